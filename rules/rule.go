// Package rules holds dapilint's checks. A rule is one value of type Rule,
// defined in a file of its own and registered in All (registry.go); its
// testdata lives in testdata/<ID>/ with the expected findings written
// beside the offending lines ("# want DA101 `regexp`").
package rules

import (
	"fmt"
	"slices"
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
	// Fixes says which fixes the rule's findings may carry: SafeFixes,
	// UnsafeFixes, both, or none (0). A test checks that every fix a rule
	// makes is of a kind it declares.
	Fixes FixKinds
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
	// Applicability says whether `dapilint lint --fix` applies the fix.
	Applicability Applicability
	// Source is the text the edits address: the file as it was read.
	// The fixer edits a file only with fixes whose Source is that file's
	// text, so a fix made on other text (output rendered from a Helm
	// chart, whose positions are traced back to a template) is never
	// applied to the file a position points into.
	Source *loader.Source
	// Uses is how many places in the document use the scalar the edits
	// replace: more than 1 for an anchored value that aliases repeat. An
	// edit there changes every use, so package lint keeps the fix only
	// when each use reports the same fix.
	Uses  int
	Edits []Edit
}

// Edit replaces the text in Range with New.
type Edit struct {
	Range loader.Range
	New   string
}

// Applicability is how sure a fix is, as in ruff.
type Applicability uint8

const (
	// DisplayOnly fixes are shown and never applied (a fix whose edits
	// address text that is not the file's, such as rendered output).
	DisplayOnly Applicability = iota
	// Unsafe fixes may change what the author meant: a guess among
	// candidates (a container name, a label key), or a fix that changes
	// what a working manifest does (a variable reading another field).
	// `dapilint lint --fix --unsafe-fixes` applies them.
	Unsafe
	// Safe fixes keep the meaning or correct an unambiguous mistake: a
	// typo with exactly one close match, the same value spelled the way
	// the API server accepts, a quoted YAML 1.1 boolean where a string is
	// required. `dapilint lint --fix` applies them.
	Safe
)

func (a Applicability) String() string {
	switch a {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	}
	return "display-only"
}

// FixKinds is a set of applicabilities a rule's fixes may have.
type FixKinds uint8

// The kinds of fix a rule may declare.
const (
	SafeFixes FixKinds = 1 << iota
	UnsafeFixes
)

// Has reports whether fixes of applicability a are in the set.
func (k FixKinds) Has(a Applicability) bool {
	switch a {
	case Safe:
		return k&SafeFixes != 0
	case Unsafe:
		return k&UnsafeFixes != 0
	}
	return false
}

// String is "safe", "unsafe", "safe, unsafe" or "none".
func (k FixKinds) String() string {
	switch k {
	case SafeFixes:
		return "safe"
	case UnsafeFixes:
		return "unsafe"
	case SafeFixes | UnsafeFixes:
		return "safe, unsafe"
	}
	return "none"
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
	also     []*field.Path
}

type fixSpec struct {
	message       string
	value         loader.Scalar
	applicability Applicability
}

// AtKey points the finding at the field's key instead of its value (for
// fields that should not be there at all).
func AtKey() ReportOption { return func(c *reportConfig) { c.atKey = true } }

// AlsoReplace makes the fix (SafeFix, UnsafeFix) replace the scalars at
// paths too, with the same value: a name and the references to it. When
// one of them cannot be edited (or is an aliased value), there is no fix.
func AlsoReplace(paths ...*field.Path) ReportOption {
	return func(c *reportConfig) { c.also = append(c.also, paths...) }
}

// WithSeverity reports at a severity other than the rule's default (a rule
// may have a milder variant, e.g. info for a harmless case).
func WithSeverity(s Severity) ReportOption { return func(c *reportConfig) { c.severity = s } }

// SafeFix suggests replacing the reported value with v, a fix that keeps
// the meaning or corrects an unambiguous mistake (see Safe); message is
// imperative ("use metadata.labels"). The value is spelled for its place
// by loader's scalar renderer; where no spelling can be trusted (a block
// scalar, a tagged value) the finding carries no fix.
func SafeFix(message string, v loader.Scalar) ReportOption {
	return func(c *reportConfig) { c.fix = &fixSpec{message, v, Safe} }
}

// UnsafeFix is SafeFix for a fix that may change what the author meant
// (see Unsafe): applied only with --unsafe-fixes.
func UnsafeFix(message string, v loader.Scalar) ReportOption {
	return func(c *reportConfig) { c.fix = &fixSpec{message, v, Unsafe} }
}

// String is a string value for SafeFix and UnsafeFix.
func String(s string) loader.Scalar { return loader.StringScalar(s) }

// ReplaceScalar builds the fix that makes the scalar n of file f read as
// v, or returns nil when no edit can be trusted there.
func ReplaceScalar(f *loader.File, n *loader.Node, message string, v loader.Scalar, a Applicability) *Fix {
	r, text, ok := f.ReplaceScalar(n, v)
	if !ok {
		return nil
	}
	return &Fix{Message: message, Applicability: a, Source: f.Source, Uses: f.Uses(n), Edits: []Edit{{Range: r, New: text}}}
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
		// value.
		f.Message += fmt.Sprintf(" (through the alias %s; the value is at line %d)", node.Via.Value, node.Line)
	}
	if cfg.fix != nil && loc.Exact {
		// An edit of an aliased value is an edit at the anchor, which
		// changes every use: package lint keeps it only when every use
		// reports it (Fix.Uses).
		f.Fix = ReplaceScalar(p.Object.File, loc.Value, cfg.fix.message, cfg.fix.value, cfg.fix.applicability)
		for _, also := range cfg.also {
			if f.Fix == nil {
				break
			}
			l := p.Object.Locate(also)
			var more *Fix
			if l.Exact {
				more = ReplaceScalar(p.Object.File, l.Value, "", cfg.fix.value, cfg.fix.applicability)
			}
			if more == nil || more.Uses > 1 || f.Fix.Uses > 1 {
				f.Fix = nil
				break
			}
			f.Fix.Edits = append(f.Fix.Edits, more.Edits...)
		}
		if f.Fix != nil {
			slices.SortFunc(f.Fix.Edits, func(a, b Edit) int { return a.Range.Start.Offset - b.Range.Start.Offset })
		}
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
