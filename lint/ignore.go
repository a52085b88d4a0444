package lint

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// Ignores silence findings where the manifest says so:
//
//	# dapilint:ignore DA202,env-label-frozen -- reason   (a key or list item and everything under it)
//	# dapilint:ignore-file DA204 -- reason                (the file, or one document of a stream)
//	metadata.annotations: ignore-check.dapilint.io/DA204: "reason"   (an object, or a pod template)
//
// The loader finds the comments and what they are attached to (which works
// the same on a rendered Helm or Kustomize stream, where comments and
// annotations survive rendering); this file reads them, applies them, and
// reports the ones that silenced nothing (DA901), name unknown rules (DA902)
// or cannot be read (DA903).

// AnnotationPrefix starts the annotation keys that ignore a rule:
// ignore-check.dapilint.io/<rule ID or name>.
const AnnotationPrefix = "ignore-check.dapilint.io/"

// ignore is one ignore comment or annotation.
type ignore struct {
	scope loader.Range
	rules []*ignoredRule
	// what reports about it say it is, and where it is
	what    string // "dapilint:ignore" or the annotation key
	where   string // "on this line or under it", "in this object", …
	object  rules.ObjectRef
	path    string
	comment *loader.Directive // nil for an annotation
}

// ignoredRule is one rule named by an ignore.
type ignoredRule struct {
	rule  *rules.Rule
	label string       // "dapilint:ignore DA202", "annotation ignore-check.dapilint.io/DA202"
	at    loader.Range // the rule's name in the comment, or the annotation key
	used  bool
}

func (ig *ignore) covers(f *rules.Finding) bool {
	off := f.Range.Start.Offset
	return off >= ig.scope.Start.Offset && off < ig.scope.End.Offset ||
		off == ig.scope.Start.Offset // an empty scope still covers its start
}

// applyIgnores drops the findings that an ignore covers and returns the
// rest, the ones dropped, and the findings about the ignores themselves
// (not yet filtered by the enabled rules). The file-wide ignores (an
// ignore-file above the first document) are kept in fl.fileIgnores, since
// they cover the documents after their own, and reported as unused only
// when last is set; the others cover only what f holds.
func (fl *fileLinter) applyIgnores(f *loader.File, findings []rules.Finding, last bool) (kept, ignored, meta []rules.Finding) {
	p := ignoreParser{src: f.Source, requireReason: fl.cfg.RequireIgnoreReason}
	for i := range f.Directives {
		p.directive(&f.Directives[i])
	}
	for _, o := range f.Objects {
		p.annotations(o)
	}
	local := p.ignores[:0:0]
	for _, ig := range p.ignores {
		if ig.comment != nil && ig.comment.FileTop && ig.what == "dapilint:ignore-file" {
			fl.fileIgnores = append(fl.fileIgnores, ig)
		} else {
			local = append(local, ig)
		}
	}
	active := append(local, fl.fileIgnores...)
	kept = findings
	if len(active) > 0 && len(findings) > 0 {
		kept = findings[:0:0]
		for _, fd := range findings {
			hidden := false
			for _, ig := range active {
				if !ig.covers(&fd) {
					continue
				}
				for _, ir := range ig.rules {
					if ir.rule == fd.Rule {
						ir.used, hidden = true, true
					}
				}
			}
			if hidden {
				ignored = append(ignored, fd)
			} else {
				kept = append(kept, fd)
			}
		}
	}
	for _, ig := range local {
		p.reportUnused(ig, fl.enabled)
	}
	if last {
		for _, ig := range fl.fileIgnores {
			p.reportUnused(ig, fl.enabled)
		}
	}
	return kept, ignored, p.meta
}

type ignoreParser struct {
	src           *loader.Source
	requireReason bool
	ignores       []*ignore
	meta          []rules.Finding
}

func (p *ignoreParser) report(r *rules.Rule, at loader.Range, ref rules.ObjectRef, path, msg string, fix *rules.Fix) {
	p.meta = append(p.meta, rules.Finding{Rule: r, Severity: r.Severity, Message: msg, File: p.src.Name,
		Object: ref, Path: path, Range: at, Fix: fix})
}

func (p *ignoreParser) rangeOf(off, n int) loader.Range {
	return loader.Range{Start: p.src.PosOfOffset(off), End: p.src.PosOfOffset(off + n)}
}

// directive reads one "# dapilint:…" comment.
func (p *ignoreParser) directive(d *loader.Directive) {
	ref := rules.ObjectRef{Doc: d.Doc, Item: -1}
	text := d.Text
	verb, rest, _ := strings.Cut(text, " ")
	verbAt := p.rangeOf(d.TextOffset, len(verb))
	invalid := func(at loader.Range, format string, args ...any) {
		p.report(rules.InvalidIgnore, at, ref, "", fmt.Sprintf(format, args...), nil)
	}
	ig := &ignore{comment: d, object: ref, what: "dapilint:" + verb}
	switch verb {
	case "ignore":
		if !d.Attached {
			ig.where = "" // reportUnused says why
		} else if d.OwnLine {
			ig.where = "in the key or list item below it"
		} else {
			ig.where = "on this line or under the key or list item it is on"
		}
		ig.scope = d.Scope
	case "ignore-file":
		switch {
		case d.FileTop:
			ig.scope = loader.Range{Start: p.src.PosOfOffset(0), End: p.src.PosOfOffset(len(p.src.Data))}
			ig.where = "in this file"
		case d.Top:
			ig.scope = d.Document
			ig.where = "in this document"
		default:
			invalid(verbAt, "dapilint:ignore-file must stand above the first key of the file or of a document; to ignore the key below, write dapilint:ignore")
			return
		}
	default:
		hint := ""
		if s := loader.Closest(verb, []string{"ignore", "ignore-file"}, 3); s != "" {
			hint = fmt.Sprintf("; did you mean dapilint:%s?", s)
		} else {
			hint = "; write dapilint:ignore RULE -- reason"
		}
		invalid(verbAt, "unknown dapilint directive %q%s", verb, hint)
		return
	}
	ruleText, reason, hasReason := strings.Cut(rest, "--")
	base := d.TextOffset + len(verb) + 1
	tokens := ruleTokens(ruleText)
	for _, tok := range tokens {
		at := p.rangeOf(base+tok.off, len(tok.text))
		r := rules.Lookup(tok.text)
		if r == nil {
			msg := fmt.Sprintf("%s names no rule %q, so it silences nothing", ig.what, tok.text)
			if s := rules.Suggest(tok.text); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			} else if !hasReason {
				msg += "; rules are IDs or names separated by commas, and a reason follows --"
			} else {
				msg += " (dapilint rules lists the rules)"
			}
			p.report(rules.IgnoreUnknownRule, at, ref, "", msg, nil)
			continue
		}
		ig.rules = append(ig.rules, &ignoredRule{rule: r, label: ig.what + " " + tok.text, at: at})
	}
	if len(tokens) == 0 {
		invalid(verbAt, "%s names no rule; list the rules it ignores, e.g. # %s DA204 -- reason", ig.what, ig.what)
		return
	}
	if p.requireReason && strings.TrimSpace(reason) == "" {
		invalid(p.rangeOf(d.TextOffset, len(text)), "%s has no reason, and the configuration requires one (require-ignore-reason); add -- and why", ig.what)
		return
	}
	if len(ig.rules) > 0 {
		p.ignores = append(p.ignores, ig)
	}
}

type ruleToken struct {
	text string
	off  int
}

// ruleTokens splits "DA202, env-label-frozen " at commas and blanks.
func ruleTokens(s string) []ruleToken {
	var out []ruleToken
	start := -1
	for i := 0; i <= len(s); i++ {
		sep := i == len(s) || s[i] == ',' || s[i] == ' ' || s[i] == '\t'
		switch {
		case sep && start >= 0:
			out = append(out, ruleToken{s[start:i], start})
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}

// annotations reads the ignore annotations of an object's metadata (the
// whole object) and of its pod templates' metadata (that template).
func (p *ignoreParser) annotations(o *loader.Object) {
	ref := rules.RefOf(o)
	if ann := o.Root.Get("metadata").Get("annotations"); hasIgnoreAnnotation(ann) {
		p.annotationMap(o, ref, "metadata.annotations", ann, p.src.SubtreeRange(o.Root), "in this object")
	}
	for _, pt := range o.Pods {
		if pt.IsPod {
			continue // a Pod's template is the object itself
		}
		path := pt.MetaPath.Child("annotations")
		ann := o.Locate(path)
		if !ann.Exact || !hasIgnoreAnnotation(ann.Value) {
			continue
		}
		// The template is its metadata and spec, in either order.
		meta, spec := o.Locate(pt.MetaPath), o.Locate(pt.SpecPath)
		scope := p.src.SubtreeRange(meta.Value)
		if meta.Key != nil {
			scope.Start = p.src.NodeRange(meta.Key).Start
		}
		if spec.Exact {
			s := p.src.SubtreeRange(spec.Value)
			if spec.Key != nil {
				s.Start = p.src.NodeRange(spec.Key).Start
			}
			if s.Start.Offset < scope.Start.Offset {
				scope.Start = s.Start
			}
			if s.End.Offset > scope.End.Offset {
				scope.End = s.End
			}
		}
		p.annotationMap(o, ref, path.String(), ann.Value, scope, "in this pod template")
	}
}

// hasIgnoreAnnotation reports whether an annotations mapping has a key
// that starts with AnnotationPrefix: the scopes are worked out only then.
func hasIgnoreAnnotation(ann *loader.Node) bool {
	if ann == nil || ann.Kind != loader.MappingNode {
		return false
	}
	for i := 0; i < len(ann.Content); i += 2 {
		if strings.HasPrefix(ann.Content[i].Value, AnnotationPrefix) {
			return true
		}
	}
	return false
}

func (p *ignoreParser) annotationMap(o *loader.Object, ref rules.ObjectRef, path string, ann *loader.Node, scope loader.Range, where string) {
	if ann == nil || ann.Kind != loader.MappingNode {
		return
	}
	for i := 0; i+1 < len(ann.Content); i += 2 {
		k, v := ann.Content[i], ann.Content[i+1]
		name, ok := strings.CutPrefix(k.Value, AnnotationPrefix)
		if k.Kind != loader.ScalarNode || !ok {
			continue
		}
		at := p.src.NodeRange(k)
		keyPath := path + "[" + k.Value + "]"
		what := "annotation " + k.Value
		r := rules.Lookup(name)
		if r == nil {
			msg := fmt.Sprintf("%s names no rule %q, so it silences nothing", what, name)
			if s := rules.Suggest(name); s != "" {
				msg += fmt.Sprintf("; did you mean %s%s?", AnnotationPrefix, s)
			} else {
				msg += " (dapilint rules lists the rules)"
			}
			p.report(rules.IgnoreUnknownRule, at, ref, keyPath, msg, nil)
			continue
		}
		if p.requireReason && (v.Kind != loader.ScalarNode || strings.TrimSpace(v.Value) == "" || v.IsNull()) {
			p.report(rules.InvalidIgnore, at, ref, keyPath,
				fmt.Sprintf("%s has no reason, and the configuration requires one (require-ignore-reason); give the reason as its value", what), nil)
			continue
		}
		p.ignores = append(p.ignores, &ignore{scope: scope, what: what, where: where, object: ref, path: keyPath,
			rules: []*ignoredRule{{rule: r, label: what, at: at}}})
	}
}

// reportUnused reports the rules an ignore named that it did not silence.
// Rules that did not run for this file are left alone: nothing can be
// known about them.
func (p *ignoreParser) reportUnused(ig *ignore, enabled map[*rules.Rule]bool) {
	var unused []*ignoredRule
	for _, ir := range ig.rules {
		if !ir.used && enabled[ir.rule] {
			unused = append(unused, ir)
		}
	}
	for i, ir := range unused {
		msg := fmt.Sprintf("%s silenced nothing: %s reported nothing %s; remove it", ir.label, ir.rule.ID, ig.where)
		if ig.comment != nil && !ig.comment.Attached {
			msg = fmt.Sprintf("%s applies to nothing: a blank line or the end of the document follows it (a comment on its own line covers the next line)", ir.label)
		}
		var fix *rules.Fix
		if i == 0 && len(unused) == len(ig.rules) && ig.comment != nil {
			fix = p.removeComment(ig.comment)
		}
		p.report(rules.UnusedIgnore, ir.at, ig.object, ig.path, msg, fix)
	}
}

// removeComment is the fix that deletes a directive comment: its whole
// line when it stands alone, else the comment and the blanks before it.
func (p *ignoreParser) removeComment(d *loader.Directive) *rules.Fix {
	data := p.src.Data
	start, end := d.Comment.Start.Offset, d.Comment.End.Offset
	lineEnd := end
	for lineEnd < len(data) && (data[lineEnd] == ' ' || data[lineEnd] == '\t' || data[lineEnd] == '\r') {
		lineEnd++
	}
	if lineEnd < len(data) && data[lineEnd] != '\n' {
		return nil // another comment follows on the line: leave it to a person
	}
	if d.OwnLine {
		start = d.Comment.Start.Offset - (d.Comment.Start.Col - 1)
		if lineEnd < len(data) {
			lineEnd++ // the newline
		}
		end = lineEnd
	} else {
		for start > 0 && (data[start-1] == ' ' || data[start-1] == '\t') {
			start--
		}
	}
	r := loader.Range{Start: p.src.PosOfOffset(start), End: p.src.PosOfOffset(end)}
	return &rules.Fix{Message: "remove the ignore", Applicability: rules.Safe, Source: p.src, Edits: []rules.Edit{{Range: r, New: ""}}}
}
