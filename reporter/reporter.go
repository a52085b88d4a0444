// Package reporter renders findings: text for people, and machine formats
// for tools. Reporters receive results file by file, in input order, and
// are told the totals at the end.
package reporter

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
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
	Charts            int // Helm charts rendered
	Kustomizations    int // kustomizations built
	FilesWithFindings int
	Documents         int
	Objects           int // pod-carrying objects checked
	Skipped           int // documents skipped: other kinds, not Kubernetes
	Errors            int
	Warnings          int
	Infos             int
	ReadErrors        int // inputs that could not be read
	// Excluded counts the paths left out by exclude globs or .gitignore.
	Excluded int
	// Ignored counts the findings hidden by ignore comments and
	// annotations, Baselined those hidden by the baseline, and
	// BaselineUnmatched the baseline's findings that matched nothing.
	Ignored           int
	Baselined         int
	BaselineUnmatched int
	// InputErrors describe the inputs that could not be read, in the order
	// they were met (machine formats report them).
	InputErrors []InputError
	// Fixable and UnsafeFixable count the reported findings that carry a
	// safe fix (which --fix applies) or an unsafe one (--unsafe-fixes).
	Fixable       int
	UnsafeFixable int
	// Fixing says whether the run fixed files (--fix) or showed the fixes
	// (--diff); Fixed counts the findings fixed, or that would be, in
	// FilesFixed files. The other counts are then of what remains.
	Fixing     FixMode
	Fixed      int
	FilesFixed int
	// SkippedFiles are the files not linted at all, with the reason.
	SkippedFiles []SkippedFile
}

// SkippedFile is a file that was not linted, and why: a template outside
// a chart, a Kustomize patch.
type SkippedFile struct {
	File   string
	Reason string
}

// AddSkippedFile counts a file that was not linted.
func (s *Summary) AddSkippedFile(file, reason string) {
	s.SkippedFiles = append(s.SkippedFiles, SkippedFile{File: file, Reason: reason})
}

// FixMode is whether and how a run applies fixes.
type FixMode uint8

// The fix modes.
const (
	NoFix    FixMode = iota
	FixWrite         // --fix: files are rewritten (stdin's fixed stream printed)
	FixDiff          // --diff: the fixes are shown as a diff, nothing is written
)

// InputError is an input that could not be read: a missing path, an
// unreadable file, a directory without manifests.
type InputError struct {
	File    string // the path as given, or "" when the error names no single file
	Message string // e.g. "cannot read deploy/x.yaml: permission denied"
}

// AddInputError counts an input that could not be read.
func (s *Summary) AddInputError(file, message string) {
	s.ReadErrors++
	s.InputErrors = append(s.InputErrors, InputError{File: file, Message: message})
}

// Add counts one file's result.
func (s *Summary) Add(res lint.FileResult) {
	if res.Err != nil {
		s.AddInputError(res.Name, ReadErrorMessage(res))
		return
	}
	if res.SkipReason != "" {
		s.AddSkippedFile(res.Name, res.SkipReason)
		return
	}
	switch res.Kind {
	case lint.ChartInput:
		s.Charts++
	case lint.KustomizationInput:
		s.Kustomizations++
	default:
		s.Files++
	}
	s.Documents += res.Documents
	s.Objects += res.Objects
	s.Skipped += res.Skipped
	s.Ignored += res.Ignored
	s.Baselined += len(res.Baselined)
	// A chart's or a kustomization's findings are in the files they
	// were traced to.
	files := map[string]bool{}
	for _, f := range res.Findings {
		files[f.File] = true
	}
	s.FilesWithFindings += len(files)
	for _, f := range res.Findings {
		if f.Fix != nil {
			switch f.Fix.Applicability {
			case rules.Safe:
				s.Fixable++
			case rules.Unsafe:
				s.UnsafeFixable++
			}
		}
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
			parts = append(parts, Plural(c.n, c.word))
		}
	}
	var in []string
	if s.Files > 0 || s.Charts+s.Kustomizations == 0 {
		in = append(in, Plural(s.Files, "file"))
	}
	if s.Charts > 0 {
		in = append(in, Plural(s.Charts, "chart"))
	}
	if s.Kustomizations > 0 {
		in = append(in, Plural(s.Kustomizations, "kustomization"))
	}
	checked := fmt.Sprintf("%s checked in %s", Plural(s.Objects, "object"), joinAnd(in))
	if s.Skipped > 0 {
		checked += fmt.Sprintf(", %s skipped", Plural(s.Skipped, "other document"))
	}
	if s.Excluded > 0 {
		checked += fmt.Sprintf(", %s excluded", Plural(s.Excluded, "path"))
	}
	if len(s.SkippedFiles) > 0 {
		var reasons []string
		count := map[string]int{}
		for _, f := range s.SkippedFiles {
			if count[f.Reason] == 0 {
				reasons = append(reasons, f.Reason)
			}
			count[f.Reason]++
		}
		for i, r := range reasons {
			reasons[i] = pluralPhrase(count[r], r)
		}
		checked += "; not linted: " + strings.Join(reasons, ", ")
	}
	// An input that could not be linted is not "no problems": it is
	// counted, and the messages about it precede the summary.
	failed := ""
	if s.ReadErrors > 0 {
		failed = Plural(s.ReadErrors, "input") + " could not be linted"
		if s.ReadErrors == 1 {
			failed = "1 input could not be linted"
		}
	}
	var line string
	switch {
	case len(parts) > 0 && failed != "":
		line = fmt.Sprintf("%s in %s, and %s (%s)", strings.Join(parts, ", "), Plural(s.FilesWithFindings, "file"), failed, checked)
	case len(parts) > 0:
		line = fmt.Sprintf("%s in %s (%s)", strings.Join(parts, ", "), Plural(s.FilesWithFindings, "file"), checked)
	case failed != "":
		line = fmt.Sprintf("%s (%s)", failed, checked)
	default:
		line = "no problems found (" + checked + ")"
	}
	line += s.fixesLine()
	// What was hidden is said, so that nothing is hidden silently.
	if s.Ignored > 0 {
		line += fmt.Sprintf("; %s hidden by ignore comments and annotations", Plural(s.Ignored, "finding"))
	}
	if s.Baselined > 0 || s.BaselineUnmatched > 0 {
		line += fmt.Sprintf("; %s hidden by the baseline", Plural(s.Baselined, "finding"))
	}
	if s.BaselineUnmatched > 0 {
		entries := fmt.Sprintf("%d of its findings no longer match", s.BaselineUnmatched)
		if s.BaselineUnmatched == 1 {
			entries = "1 of its findings no longer matches"
		}
		line += ", " + entries + " (rewrite it with --write-baseline)"
	}
	return line
}

// fixesLine is the summary's part about fixes: what --fix fixed, or what
// it would fix.
func (s Summary) fixesLine() string {
	remaining := s.Errors + s.Warnings + s.Infos
	unsafe := ""
	if s.UnsafeFixable > 0 && s.Fixing != NoFix {
		unsafe = fmt.Sprintf(" (%d fixable with --unsafe-fixes)", s.UnsafeFixable)
	}
	switch {
	case s.Fixing != NoFix && s.Fixed == 0:
		return "; nothing to fix" + unsafe
	case s.Fixing == FixWrite:
		return fmt.Sprintf("; %s fixed in %s, %d remaining%s", Plural(s.Fixed, "finding"), Plural(s.FilesFixed, "file"), remaining, unsafe)
	case s.Fixing == FixDiff:
		return fmt.Sprintf("; %s would be fixed in %s, %d would remain%s", Plural(s.Fixed, "finding"), Plural(s.FilesFixed, "file"), remaining, unsafe)
	}
	switch {
	case s.Fixable > 0 && s.UnsafeFixable > 0:
		return fmt.Sprintf("; %d fixable with --fix (%d more with --unsafe-fixes)", s.Fixable, s.UnsafeFixable)
	case s.Fixable > 0:
		return fmt.Sprintf("; %d fixable with --fix", s.Fixable)
	case s.UnsafeFixable > 0:
		return fmt.Sprintf("; %d fixable with --fix --unsafe-fixes", s.UnsafeFixable)
	}
	return ""
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// pluralPhrase is plural for a noun phrase whose first word is the noun
// ("Kustomize patch", "template outside a chart").
func pluralPhrase(n int, phrase string) string {
	if n == 1 {
		return "1 " + phrase
	}
	words := strings.Fields(phrase)
	for i, w := range words {
		if w != strings.ToLower(w) && i+1 < len(words) {
			continue // "Kustomize patch": the noun comes after a proper name
		}
		switch {
		case strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"):
			words[i] = w + "es"
		default:
			words[i] = w + "s"
		}
		break
	}
	return fmt.Sprintf("%d %s", n, strings.Join(words, " "))
}

// Plural is "1 word" or "n words".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ReadErrorMessage is how a file that could not be read is described.
func ReadErrorMessage(res lint.FileResult) string {
	err := res.Err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch res.Kind {
	case lint.ChartInput:
		return fmt.Sprintf("cannot render chart %s: %v", res.Name, err)
	case lint.KustomizationInput:
		return fmt.Sprintf("cannot build kustomization %s: %v", res.Name, err)
	}
	return fmt.Sprintf("cannot read %s: %v", res.Name, err)
}

// Format is a registered output format.
type Format struct {
	Name        string
	Description string
	// Human is true for output meant for people, which ends with the
	// summary line. Machine formats carry nothing but their format, so the
	// CLI prints the summary to standard error when one of them is on
	// standard output.
	Human bool
	// Ext is the file name extension usually given to the format.
	Ext string
	New func(w io.Writer, opts Options) Reporter
}

// Options are what reporters may need beyond the findings.
type Options struct {
	// Color turns on ANSI colours (text only).
	Color bool
	// Quiet leaves out the summary line that ends text output.
	Quiet bool
	// Version is dapilint's version ("v1.2.3", "(devel)").
	Version string
	// Rules is the catalogue of rules the SARIF log describes
	// (tool.driver.rules), normally rules.All; rules of findings that are
	// not in it are appended.
	Rules []*rules.Rule
	// Enabled are the rules that ran and Severity the severities
	// configured for them, by rule ID; SARIF records where they differ from
	// the rules' defaults. Nil Enabled means the defaults.
	Enabled  []*rules.Rule
	Severity map[string]rules.Severity
	// Baseline is true when a baseline is in use: SARIF then sets each
	// result's baselineState, and records the findings it matched
	// (lint.FileResult.Baselined) as unchanged.
	Baseline bool
	// WorkDir is the absolute directory relative file names are relative
	// to: the working directory. "" means SrcRoot.
	WorkDir string
	// SrcRoot is the absolute directory machine formats express file
	// locations relative to: the root of the git repository the run is in,
	// else the working directory. SARIF's uriBaseId %SRCROOT% is it, and
	// GitHub annotations name files relative to it, as GitHub expects
	// paths relative to the repository, wherever dapilint ran. "" leaves
	// SARIF's base undefined and names files as linted.
	SrcRoot string
	// VCS describes the repository at SrcRoot for SARIF's
	// versionControlProvenance; nil outside a repository with a remote.
	VCS *VersionControl
}

// VersionControl is the repository and commit a run linted.
type VersionControl struct {
	RepositoryURI string // https URL, without credentials
	RevisionID    string // the commit, "" when unknown
	Branch        string // "" when HEAD is detached
}

// Formats lists the output formats by name, in the order help shows them.
var Formats = []Format{
	{Name: "text", Human: true, Ext: ".txt", New: NewText,
		Description: "for people: file:line:col: severity: message [ID], with the source line, a caret and the fix (default)"},
	{Name: "json", Ext: ".json", New: NewJSON,
		Description: "versioned JSON document with every finding, its position, object and fix (see docs/json-format.md)"},
	{Name: "sarif", Ext: ".sarif", New: NewSARIF,
		Description: "SARIF 2.1.0 log for GitHub code scanning and other review tools"},
	{Name: "github", Ext: ".txt", New: NewGitHub,
		Description: "GitHub Actions workflow commands (::error file=…::), shown as annotations on the pull request"},
}

// FormatNames is "text, json, sarif, github".
func FormatNames() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// Lookup finds a format by name, in any case ("JSON" is json).
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Format{}, false
}

// ToolName and InformationURI identify dapilint in machine formats.
const (
	ToolName       = "dapilint"
	InformationURI = "https://github.com/dapilint/dapilint"
	// RulesDocURL is the rule reference; each rule has a section whose
	// anchor is its lower-case ID (see RuleHelpURI).
	RulesDocURL = InformationURI + "/blob/main/docs/rules.md"
)

// RuleAnchor is the anchor of a rule's section in docs/rules.md: "da101".
func RuleAnchor(r *rules.Rule) string { return strings.ToLower(r.ID) }

// RuleHelpURI is the URL of a rule's documentation on the main branch.
func RuleHelpURI(r *rules.Rule) string { return RulesDocURL + "#" + RuleAnchor(r) }

// RuleHelpURIFor is the URL of a rule's documentation as of dapilint's
// version: the release's tag for a release, so that a SARIF log made by
// v1.2.0 keeps pointing at the rules v1.2.0 had; the main branch for a
// development build.
func RuleHelpURIFor(r *rules.Rule, version string) string {
	if !IsRelease(version) {
		return RuleHelpURI(r)
	}
	return InformationURI + "/blob/" + version + "/docs/rules.md#" + RuleAnchor(r)
}

var pseudoVersionRE = regexp.MustCompile(`(^|[-.])(0\.)?\d{14}-[0-9a-f]{12}$`)

// IsRelease reports whether a version is a release tag: v1.2.3 or
// v1.2.3-rc.1, not a Go pseudo-version (a commit), not a modified work
// tree (+dirty), not "(devel)".
func IsRelease(v string) bool {
	rest, ok := strings.CutPrefix(v, "v")
	return ok && semverRE.MatchString(rest) && !strings.Contains(rest, "+") && !pseudoVersionRE.MatchString(rest)
}
