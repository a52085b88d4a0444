package reporter

import (
	"fmt"
	"io"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
	"github.com/fatih/color"
)

// text renders findings for people:
//
//	deploy/web.yaml:41:22: error: fieldPath "matadata.labels" is not supported … [DA101]
//	    41 |           fieldPath: matadata.labels
//	       |                      ^~~~~~~~~~~~~~~
//	       = in Deployment prod/web
//	       = fix: use "metadata.labels"
//
// The first line is the stable, parseable part; the snippet follows, and
// the object the finding is in is named on the first of its findings. The
// fix line says "fix" for a safe fix, which --fix applies, and "unsafe
// fix" for one that only --unsafe-fixes applies. Nothing from a manifest
// reaches the terminal raw: control characters are escaped (see
// Printable), and long lines are cut around the finding.
type text struct {
	w                               io.Writer
	quiet                           bool
	pos, errSev, warnSev, infoSev   *color.Color
	ruleID, gutter, caret, fixColor *color.Color
	// lastObject is the object of the previous finding, named once.
	lastObject objectKey
}

type objectKey struct {
	file      string
	doc, item int
	kind      string
}

// NewText returns the text reporter.
func NewText(w io.Writer, opts Options) Reporter {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if opts.Color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &text{
		w:        w,
		quiet:    opts.Quiet,
		pos:      mk(color.Bold),
		errSev:   mk(color.FgRed, color.Bold),
		warnSev:  mk(color.FgYellow, color.Bold),
		infoSev:  mk(color.FgCyan, color.Bold),
		ruleID:   mk(color.Faint),
		gutter:   mk(color.Faint),
		caret:    mk(color.FgGreen, color.Bold),
		fixColor: mk(color.FgCyan),
	}
}

func (t *text) File(res lint.FileResult) error {
	for _, f := range res.Findings {
		if err := t.finding(sourceOf(res, f), f); err != nil {
			return err
		}
	}
	return nil
}

func (t *text) severity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return t.errSev.Sprint(s)
	case rules.Warning:
		return t.warnSev.Sprint(s)
	}
	return t.infoSev.Sprint(s)
}

func (t *text) finding(src *loader.Source, f rules.Finding) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s %s\n",
		t.pos.Sprintf("%s:%d:%d:", Printable(f.File), f.Range.Start.Line, f.Range.Start.Col),
		t.severity(f.Severity), PrintableMessage(f.Message), t.ruleID.Sprintf("[%s]", f.Rule.ID))
	if src != nil && !src.Binary {
		line := src.Line(f.Range.Start.Line)
		if line != "" || f.Range.Start.Line <= src.LineCount() {
			shown, under := snippet(line, f.Range, maxSnippetWidth)
			fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprintf("%6d |", f.Range.Start.Line), shown)
			fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       |"), t.caret.Sprint(under))
		}
	}
	notes := RenderedNotes(f)
	if key := (objectKey{f.File, f.Object.Doc, f.Object.Item, f.Object.Kind}); key != t.lastObject {
		t.lastObject = key
		// A finding on rendered output names its object in its notes.
		if obj := objectName(f.Object); f.Object.Kind != "" && f.Rendered == nil {
			notes = append([]string{"in " + obj}, notes...)
		}
	}
	for _, n := range notes {
		fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       ="), PrintableMessage(n))
	}
	if f.Fix != nil && f.Fix.Message != "" {
		fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       ="), t.fixColor.Sprint(FixLabel(f.Fix)+": "+PrintableMessage(f.Fix.Message)))
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// FixLabel names a fix by its applicability, for people: "fix" (safe:
// --fix applies it), "unsafe fix" (--unsafe-fixes) or "suggested fix"
// (never applied).
func FixLabel(f *rules.Fix) string {
	switch f.Applicability {
	case rules.Safe:
		return "fix"
	case rules.Unsafe:
		return "unsafe fix"
	}
	return "suggested fix"
}

func (t *text) Finish(s Summary) error {
	if t.quiet {
		return nil
	}
	_, err := fmt.Fprintln(t.w, s.Line())
	return err
}
