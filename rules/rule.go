// Package rules holds dapilint's checks. A rule is one value of type Rule,
// defined in a file of its own and registered in All (registry.go); its
// testdata lives in testdata/<ID>/ with the expected findings written
// beside the offending lines ("# want DA101 `regexp`").
package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Severity of a finding. Higher is worse.
type Severity int

// The severities, from least to most severe.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Rule is one check. Rule values are immutable; register them in All.
type Rule struct {
	ID   string // "DA101": stable, never reused
	Name string // "fieldref-path-unsupported": kebab-case, accepted wherever ID is
	// Title is one line, sentence case, no trailing period.
	Title string
	// Doc is the rule's Markdown documentation: what it checks, why it
	// matters, how to fix it.
	Doc string
	// Example is a manifest that triggers the rule; the docs show it with
	// the real output, and a test checks that it does trigger.
	Example string
	// Rendered marks rules found only on rendered charts and
	// kustomizations: Example is then a chart template
	// (templates/example.yaml of a chart named "chart"), and
	// ExampleOutput what `dapilint lint chart` prints for it (an e2e test
	// checks it).
	Rendered      bool
	ExampleOutput string
	Severity      Severity
	// Default is whether the rule runs without being enabled.
	Default bool
	// Group, when set, is a name that enables the rule together with the
	// others of its group ("--enable pedantic"); see Groups.
	Group string
	// Fixable is whether findings of the rule carry a suggested fix (at
	// least sometimes).
	Fixable bool
	// Run checks one object. Rules for input errors have no Run: the loader
	// produces their findings.
	Run func(*Pass)
}

// Finding is one problem found in a file.
type Finding struct {
	Rule     *Rule
	Severity Severity
	Message  string
	File     string
	Object   ObjectRef
	// Path is the field path within the object, e.g.
	// spec.template.spec.containers[0].env[1].valueFrom.fieldRef.fieldPath.
	Path string
	// StablePath is Path with list items named by their key where they
	// have one (spec.template.spec.containers[name=web].env[name=APP]…),
	// set by package lint; fingerprints use it, so that inserting a list
	// item does not change the fingerprints of the others.
	StablePath string
	Range      loader.Range
	Fix        *Fix
	// Source is the text Range is in, when it is not the text of the
	// result the finding belongs to: findings on rendered output point
	// into the template, values file or patch they came from.
	Source *loader.Source
	// Rendered is set on findings on rendered output (a Helm chart, a
	// Kustomize build, a `helm template` stream).
	Rendered *Rendered
}

// Rendered says where a finding on rendered output was found, and how its
// position was traced back to the file a person edits.
type Rendered struct {
	// Tool is "helm" or "kustomize".
	Tool string
	// Input is the chart or kustomization directory.
	Input string
	// ValuesSets are the Helm values sets that produce the finding
	// ("values.yaml", "ci/small-values.yaml").
	ValuesSets []string
	// Template is the Helm template the object was rendered from, as Helm
	// names it ("demo/templates/deployment.yaml").
	Template string
	// Via is the template line that uses the value ("file:line"), when
	// the finding points at a values file.
	Via string
	// Approximate is set when the exact line could not be found; Note
	// then says what the position is.
	Approximate bool
	// Note explains how the position was found, for people.
	Note string
}

// ObjectRef names the object a finding is in.
type ObjectRef struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	Doc        int // 0-based document index in the file
	Item       int // index in a List's items, or -1
}

// Fix is a suggested change that resolves a finding.
type Fix struct {
	Message string // imperative: "use metadata.labels"
	Edits   []Edit
}

// Edit replaces the text in Range with New.
type Edit struct {
	Range loader.Range
	New   string
}

// Pass is what a rule sees: one object, the user's additions to the name
// heuristics, and a way to report.
type Pass struct {
	Rule     *Rule
	Object   *loader.Object
	Settings Settings
	report   func(Finding)
}

// NewPass makes a pass that hands findings to report.
func NewPass(r *Rule, o *loader.Object, s Settings, report func(Finding)) *Pass {
	return &Pass{Rule: r, Object: o, Settings: s, report: report}
}

// ReportOption changes how a finding is reported.
type ReportOption func(*reportConfig)

type reportConfig struct {
	atKey    bool
	severity Severity
	fix      *fixSpec
}

type fixSpec struct {
	message, replacement string
}

// AtKey points the finding at the field's key instead of its value (for
// fields that should not be there at all).
func AtKey() ReportOption { return func(c *reportConfig) { c.atKey = true } }

// WithSeverity reports at a severity other than the rule's default (a rule
// may have a milder variant, e.g. info for a harmless case).
func WithSeverity(s Severity) ReportOption { return func(c *reportConfig) { c.severity = s } }

// ReplaceWith suggests replacing the reported value with replacement, a
// YAML scalar written as it should appear in the file (see Quote).
func ReplaceWith(message, replacement string) ReportOption {
	return func(c *reportConfig) { c.fix = &fixSpec{message, replacement} }
}

// Report reports a finding at the field at path (relative to the object).
// When the field is absent from the source, the finding points at the
// nearest enclosing field that is there.
func (p *Pass) Report(at *field.Path, message string, opts ...ReportOption) {
	var cfg reportConfig
	for _, o := range opts {
		o(&cfg)
	}
	loc := p.Object.Locate(at)
	node := loc.Value
	if (cfg.atKey || !loc.Exact) && loc.Key != nil {
		node = loc.Key
	}
	src := p.Object.File.Source
	f := Finding{
		Rule:     p.Rule,
		Severity: p.Rule.Severity,
		Message:  message,
		File:     src.Name,
		Object:   RefOf(p.Object),
		Path:     at.String(),
		Range:    src.NodeRange(node),
	}
	if cfg.severity != 0 {
		f.Severity = cfg.severity
	}
	if node.Via != nil {
		// Reached through an alias: reported where the alias uses the
		// value. No fix: an edit at the anchor would change every use.
		f.Message += fmt.Sprintf(" (through the alias %s; the value is at line %d)", node.Via.Value, node.Line)
	} else if cfg.fix != nil && loc.Exact {
		f.Fix = &Fix{Message: cfg.fix.message, Edits: []Edit{{Range: src.NodeRange(loc.Value), New: cfg.fix.replacement}}}
	}
	p.report(f)
}

// Reportf is Report with a format string.
func (p *Pass) Reportf(at *field.Path, format string, args ...any) {
	p.Report(at, fmt.Sprintf(format, args...))
}

// RefOf describes an object for findings.
func RefOf(o *loader.Object) ObjectRef {
	return ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Doc: o.Doc, Item: o.Item}
}

// Quote renders s as a YAML scalar that reads back as the string s: plain
// when that is safe, double-quoted otherwise.
func Quote(s string) string {
	if s == "" || strings.ContainsAny(s, ":#\"{}[],&*!|>%@`\n\t") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	switch s[0] {
	case '-', '?', '.', '+', '~', '\'':
		return strconv.Quote(s)
	}
	if c := s[0]; c >= '0' && c <= '9' {
		return strconv.Quote(s)
	}
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null":
		return strconv.Quote(s)
	}
	return s
}
