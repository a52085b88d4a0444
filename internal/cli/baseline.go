package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// A baseline records the findings a repository has today, so that a run
// reports (and fails on) only the findings that are not in it. The format is
// documented in docs/baseline.md.

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

// baselineEntry is a group of identical findings: same rule, file, object
// and field path. The field path names list items by their key where they
// have one (containers[name=web]), as rules.Fingerprint does.
type baselineEntry struct {
	RuleID    string         `json:"ruleId"`
	File      string         `json:"file"`
	Object    baselineObject `json:"object"`
	FieldPath string         `json:"fieldPath"`
	Count     int            `json:"count"`
}

type baselineObject struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// finding is the entry as a finding, for rules.Fingerprint.
func (e baselineEntry) finding() rules.Finding {
	r := rules.Lookup(e.RuleID)
	if r == nil {
		r = &rules.Rule{ID: e.RuleID} // a rule this version no longer has
	}
	return rules.Finding{Rule: r, Object: rules.ObjectRef{Kind: e.Object.Kind, Namespace: e.Object.Namespace, Name: e.Object.Name}, Path: e.FieldPath}
}

// baseline matches findings against a baseline file.
type baseline struct {
	dir       string         // file names in it are relative to this directory
	remaining map[string]int // by fingerprint: findings not matched yet
}

// fileKey is how the baseline names a finding's file: relative to the
// baseline's directory, with slashes (absolute when outside it).
func fileKey(dir, abs string) string {
	if rel, ok := relInside(dir, abs); ok {
		return rel
	}
	return filepath.ToSlash(abs)
}

// readBaseline reads the baseline file at path (absolute); shown is how
// messages name it.
func readBaseline(path, shown string) (*baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read baseline %s: %w", shown, unwrapPathError(err))
	}
	var f baselineFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		where := ""
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			where = offsetPos(data, se.Offset)
		case errors.As(err, &te):
			where = offsetPos(data, te.Offset)
		}
		return nil, fmt.Errorf("%s%s: not a dapilint baseline: %v (write one with --write-baseline)", shown, where, err)
	}
	if f.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d is not supported (this dapilint reads version %d; rewrite it with --write-baseline)", shown, f.Version, BaselineVersion)
	}
	b := &baseline{dir: filepath.Dir(path), remaining: map[string]int{}}
	for _, e := range f.Findings {
		b.remaining[rules.Fingerprint(e.finding(), e.File)] += max(e.Count, 1)
	}
	return b, nil
}

// offsetPos is ":LINE:COL" of a byte offset.
func offsetPos(data []byte, off int64) string {
	o := min(int(off), len(data))
	line := 1 + bytes.Count(data[:o], []byte("\n"))
	col := o - bytes.LastIndexByte(data[:o], '\n')
	return fmt.Sprintf(":%d:%d", line, col)
}

// match reports whether f (in the file at abs) is in the baseline, and
// uses up one of the baseline's findings if so.
func (b *baseline) match(f rules.Finding, abs string) bool {
	fp := rules.Fingerprint(f, fileKey(b.dir, abs))
	if b.remaining[fp] > 0 {
		b.remaining[fp]--
		return true
	}
	return false
}

// fixable returns, for --fix, which findings of a result may be fixed: those
// the baseline does not hold (it records them as they are). Nil without a
// baseline: all.
func (b *baseline) fixable(c *Command) func(lint.FileResult) func(rules.Finding) bool {
	return func(res lint.FileResult) func(rules.Finding) bool {
		if b == nil {
			return nil
		}
		return func(f rules.Finding) bool {
			abs := absPath(c.resolve(f.File))
			return b.remaining[rules.Fingerprint(f, fileKey(b.dir, abs))] == 0
		}
	}
}

// unmatched is the number of baseline findings nothing matched: fixed,
// or changed beyond recognition.
func (b *baseline) unmatched() int {
	n := 0
	for _, c := range b.remaining {
		n += c
	}
	return n
}

// baselineWriter collects a run's findings into a baseline file.
type baselineWriter struct {
	dir     string
	entries map[string]*baselineEntry
	total   int
}

func newBaselineWriter(path string) *baselineWriter {
	return &baselineWriter{dir: filepath.Dir(path), entries: map[string]*baselineEntry{}}
}

func (w *baselineWriter) add(f rules.Finding, abs string) {
	file := fileKey(w.dir, abs)
	fp := rules.Fingerprint(f, file)
	w.total++
	if e, ok := w.entries[fp]; ok {
		e.Count++
		return
	}
	w.entries[fp] = &baselineEntry{RuleID: f.Rule.ID, File: file, FieldPath: rules.FingerprintPath(f), Count: 1,
		Object: baselineObject{Kind: f.Object.Kind, Namespace: f.Object.Namespace, Name: f.Object.Name}}
}

// write writes the baseline, its entries sorted so that it diffs well.
func (w *baselineWriter) write(path string) error {
	f := baselineFile{Version: BaselineVersion, Tool: "dapilint", Findings: []baselineEntry{}}
	for _, e := range w.entries {
		f.Findings = append(f.Findings, *e)
	}
	slices.SortFunc(f.Findings, func(a, b baselineEntry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Object.Kind, b.Object.Kind),
			cmp.Compare(a.Object.Namespace, b.Object.Namespace), cmp.Compare(a.Object.Name, b.Object.Name),
			cmp.Compare(a.FieldPath, b.FieldPath), cmp.Compare(a.RuleID, b.RuleID))
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("cannot write baseline: %w", err)
	}
	return nil
}
