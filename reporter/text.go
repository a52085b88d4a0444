package reporter

import (
	"fmt"
	"io"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
	"github.com/fatih/color"
	"github.com/mattn/go-runewidth"
)

// text renders findings for people:
//
//	deploy/web.yaml:41:22: error: fieldPath "matadata.labels" is not supported … [DA101]
//	    41 |           fieldPath: matadata.labels
//	       |                      ^~~~~~~~~~~~~~~
//	       = fix: use "metadata.labels"
//
// The first line is the stable, parseable part; the snippet follows. The
// fix line says "fix" for a safe fix, which --fix applies, and "unsafe
// fix" for one that only --unsafe-fixes applies.
type text struct {
	w                               io.Writer
	pos, errSev, warnSev, infoSev   *color.Color
	ruleID, gutter, caret, fixColor *color.Color
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
		t.pos.Sprintf("%s:%d:%d:", f.File, f.Range.Start.Line, f.Range.Start.Col),
		t.severity(f.Severity), f.Message, t.ruleID.Sprintf("[%s]", f.Rule.ID))
	if src != nil {
		line := src.Line(f.Range.Start.Line)
		if line != "" || f.Range.Start.Line <= src.LineCount() {
			fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprintf("%6d |", f.Range.Start.Line), line)
			fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       |"), t.caret.Sprint(indicator(line, f.Range)))
		}
	}
	for _, n := range RenderedNotes(f) {
		fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       ="), n)
	}
	if f.Fix != nil && f.Fix.Message != "" {
		fmt.Fprintf(&b, "%s %s\n", t.gutter.Sprint("       ="), t.fixColor.Sprint(FixLabel(f.Fix)+": "+f.Fix.Message))
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

// indicator builds the "    ^~~~" line under the span of r on line: the
// prefix keeps the line's tabs so that the caret lines up, and widths are
// display widths, so wide characters line up too.
func indicator(line string, r loader.Range) string {
	var b strings.Builder
	col := 1
	runes := []rune(line)
	for ; col < r.Start.Col && col-1 < len(runes); col++ {
		c := runes[col-1]
		if c == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteString(strings.Repeat(" ", runewidth.RuneWidth(c)))
		}
	}
	endCol := r.End.Col
	if r.End.Line != r.Start.Line {
		endCol = len(runes) + 1
	}
	width := 0
	for c := r.Start.Col; c < endCol && c-1 < len(runes); c++ {
		width += runewidth.RuneWidth(runes[c-1])
	}
	if width < 1 {
		width = 1
	}
	b.WriteString("^")
	b.WriteString(strings.Repeat("~", width-1))
	return b.String()
}

func (t *text) Finish(s Summary) error {
	_, err := fmt.Fprintln(t.w, s.Line())
	return err
}
