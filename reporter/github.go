package reporter

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// github writes GitHub Actions workflow commands, which the runner turns
// into annotations on the files of the pull request:
//
//	::error file=deploy/web.yaml,line=41,col=22,endLine=41,endColumn=37,title=DA101 fieldref-unsupported-path::fieldPath …
//
// See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
type github struct {
	w    io.Writer
	opts Options
}

// NewGitHub returns the GitHub Actions reporter.
func NewGitHub(w io.Writer, opts Options) Reporter { return &github{w: w, opts: opts} }

// path names a file as GitHub expects: relative to the repository's root
// (Options.SrcRoot), wherever dapilint ran.
func (g *github) path(name string) string {
	if rel, ok := underRoot(name, g.opts.WorkDir, g.opts.SrcRoot); ok && g.opts.SrcRoot != "" {
		return rel
	}
	return name
}

func (g *github) File(res lint.FileResult) error {
	var b strings.Builder
	for _, f := range res.Findings {
		f.File = g.path(f.File)
		b.WriteString(GitHubAnnotation(f))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

// Finish reports the inputs that could not be read, as errors without a
// line (an annotation on the file, or on the run when there is no file).
func (g *github) Finish(s Summary) error {
	var b strings.Builder
	for _, e := range s.InputErrors {
		b.WriteString("::error ")
		if e.File != "" {
			b.WriteString("file=" + EscapeGitHubProperty(Printable(filepath.ToSlash(g.path(e.File)))) + ",")
		}
		b.WriteString("title=" + EscapeGitHubProperty(ToolName) + "::" + EscapeGitHubData(PrintableLines(e.Message)) + "\n")
	}
	_, err := io.WriteString(g.w, b.String())
	return err
}

// githubCommand maps a severity to its workflow command.
func githubCommand(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "notice"
}

// GitHubAnnotation renders one finding as a workflow command (without the
// newline). The fix, if any, is a second line of the message.
func GitHubAnnotation(f rules.Finding) string {
	props := []struct{ k, v string }{
		{"file", Printable(filepath.ToSlash(f.File))},
		{"line", fmt.Sprint(f.Range.Start.Line)},
		{"col", fmt.Sprint(f.Range.Start.Col)},
		{"endLine", fmt.Sprint(f.Range.End.Line)},
		{"endColumn", fmt.Sprint(f.Range.End.Col)},
		{"title", f.Rule.ID + " " + f.Rule.Name},
	}
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(githubCommand(f.Severity))
	for i, p := range props {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(EscapeGitHubProperty(p.v))
	}
	// Lines are the runner's; any other control character from a
	// manifest is escaped, as for a terminal.
	msg := PrintableLines(f.Message)
	for _, n := range RenderedNotes(f) {
		msg += "\n" + PrintableLines(n)
	}
	if f.Fix != nil && f.Fix.Message != "" {
		msg += "\n" + FixLabel(f.Fix) + ": " + PrintableLines(f.Fix.Message)
	}
	b.WriteString("::")
	b.WriteString(EscapeGitHubData(msg))
	return b.String()
}

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// EscapeGitHubData escapes a workflow command's message: %, CR and LF.
func EscapeGitHubData(s string) string { return githubData.Replace(s) }

// EscapeGitHubProperty escapes a workflow command's property value: as
// data, plus ':' and ','.
func EscapeGitHubProperty(s string) string { return githubProperty.Replace(s) }

// PrintableLines is PrintableMessage line by line: line breaks stay (a
// GitHub annotation shows them; dapilint's multi-line errors have them).
func PrintableLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = PrintableMessage(l)
	}
	return strings.Join(lines, "\n")
}
