// Package reporter renders findings: text for people, and machine formats
// for tools. Reporters receive results file by file, in input order, and
// are told the totals at the end.
package reporter

import (
	"fmt"
	"io"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// Reporter renders one output format.
type Reporter interface {
	// File receives one file's result; it is called in input order.
	File(res lint.FileResult) error
	// Finish is called once, after the last file.
	Finish(s Summary) error
}

// Summary is what a run found, in numbers.
type Summary struct {
	Files             int // files read
	FilesWithFindings int
	Documents         int
	Objects           int // pod-carrying objects checked
	Skipped           int // documents skipped: other kinds, not Kubernetes
	Errors            int
	Warnings          int
	Infos             int
	ReadErrors        int // inputs that could not be read
}

// Add counts one file's result.
func (s *Summary) Add(res lint.FileResult) {
	if res.Err != nil {
		s.ReadErrors++
		return
	}
	s.Files++
	s.Documents += res.Documents
	s.Objects += res.Objects
	s.Skipped += res.Skipped
	if len(res.Findings) > 0 {
		s.FilesWithFindings++
	}
	for _, f := range res.Findings {
		switch f.Severity {
		case rules.Error:
			s.Errors++
		case rules.Warning:
			s.Warnings++
		default:
			s.Infos++
		}
	}
}

// Line is the one-line summary printed after text output, e.g.
// "2 errors, 1 warning in 1 file (14 objects checked in 9 files)".
func (s Summary) Line() string {
	var parts []string
	for _, c := range []struct {
		n    int
		word string
	}{{s.Errors, "error"}, {s.Warnings, "warning"}, {s.Infos, "info"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.word))
		}
	}
	checked := fmt.Sprintf("%s checked in %s", plural(s.Objects, "object"), plural(s.Files, "file"))
	if s.Skipped > 0 {
		checked += fmt.Sprintf(", %s skipped", plural(s.Skipped, "other document"))
	}
	if len(parts) == 0 {
		return "no problems found (" + checked + ")"
	}
	return fmt.Sprintf("%s in %s (%s)", strings.Join(parts, ", "), plural(s.FilesWithFindings, "file"), checked)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Format is a registered output format.
type Format struct {
	Name        string
	Description string
	New         func(w io.Writer, opts Options) Reporter
}

// Options are what reporters may need beyond the findings.
type Options struct {
	Color   bool
	Version string
	// Rules are the rules that ran (SARIF lists them).
	Rules []*rules.Rule
}

// Formats lists the output formats by name.
var Formats = []Format{
	{Name: "text", Description: "file:line:col: severity: message [ID], with the source line and a caret (default)", New: NewText},
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}
