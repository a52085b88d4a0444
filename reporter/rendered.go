package reporter

import (
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// sourceOf is the text a finding's range is in.
func sourceOf(res lint.FileResult, f rules.Finding) *loader.Source {
	if f.Source != nil {
		return f.Source
	}
	return res.Source
}

// objectName is "Deployment default/web", "Deployment web".
func objectName(o rules.ObjectRef) string {
	name := o.Name
	if o.Namespace != "" {
		name = o.Namespace + "/" + name
	}
	return strings.TrimSpace(o.Kind + " " + name)
}

// RenderedNotes describe, for people, where a finding on rendered output
// was found and how its position was traced: the rendered object, the
// chart or kustomization, the values sets, the template line that uses a
// value, and whether the position is approximate. Nil for other findings.
func RenderedNotes(f rules.Finding) []string {
	r := f.Rendered
	if r == nil {
		return nil
	}
	var b strings.Builder
	if obj := objectName(f.Object); obj != "" {
		b.WriteString("in " + obj + ", ")
	}
	switch r.Tool {
	case "helm":
		if r.Template != "" {
			b.WriteString("rendered from " + r.Template)
		} else {
			b.WriteString("rendered from chart " + r.Input)
		}
		if len(r.ValuesSets) > 0 {
			b.WriteString(" with " + strings.Join(r.ValuesSets, ", "))
		}
	case "kustomize":
		b.WriteString("built by kustomize from " + r.Input)
	}
	notes := []string{b.String()}
	if r.Via != "" {
		notes = append(notes, "the value is used at "+r.Via)
	}
	if r.Note != "" {
		if r.Approximate {
			notes = append(notes, "approximate position: "+r.Note)
		} else {
			notes = append(notes, r.Note)
		}
	} else if r.Approximate {
		notes = append(notes, "approximate position")
	}
	return notes
}
