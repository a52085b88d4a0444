// Package lint runs the rules over files: it loads each file, runs every
// enabled rule on every object, and hands back the findings in a stable
// order. Files are linted in parallel; results come back in input order.
package lint

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// Config says which rules run and how severe their findings are.
type Config struct {
	// Rules are the enabled rules, input-error rules (DA0xx) included.
	Rules []*rules.Rule
	// Severity overrides a rule's default severity, by rule ID.
	Severity map[string]rules.Severity
	// Settings are the user's additions to the rules' name heuristics.
	Settings rules.Settings
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// NoIgnore shows every finding: ignore comments and annotations are
	// neither applied nor checked (for audits).
	NoIgnore bool
	// RequireIgnoreReason makes an ignore without a reason invalid (DA903).
	RequireIgnoreReason bool
	// Workloads are the custom resources whose pod templates are checked;
	// nil means the built-in ones (loader.BuiltinWorkloads).
	Workloads *loader.Workloads
}

// Input is one file to lint. Data, when nil, is read from Path.
type Input struct {
	Name string // the name findings carry
	Path string
	Data []byte
	// Config, when set, replaces the run's configuration for this file
	// (per-path overrides). Inputs with the same configuration should share
	// one pointer.
	Config *Config
	// Produce, when set, makes the result instead: charts and
	// kustomizations are rendered first, and their findings traced back
	// to their sources.
	Produce func(*Linter) FileResult
	// Kind is what the input is, for the summary.
	Kind InputKind
}

// InputKind is what an input is.
type InputKind uint8

// The kinds of input.
const (
	FileInput InputKind = iota
	ChartInput
	KustomizationInput
)

// FileResult is the outcome for one input.
type FileResult struct {
	Name     string
	Source   *loader.Source // nil when the file could not be read
	Findings []rules.Finding
	Err      error // the file could not be read
	// Ignored counts the findings that ignore comments and annotations hid.
	Ignored int
	// Baselined are the findings a baseline matched, taken out of Findings
	// by the caller that applies the baseline (see internal/cli).
	Baselined []rules.Finding
	Kind      InputKind
	// SkipReason is why the file was not linted at all ("looks like a
	// template"); "" when it was.
	SkipReason string
	// Documents, Objects and Skipped count the file's non-empty documents,
	// the pod-carrying objects checked and the documents skipped (other
	// kinds, or not Kubernetes at all).
	Documents, Objects, Skipped int
	// SkippedDocs say which documents were skipped and why (--verbose).
	SkippedDocs []loader.SkippedDoc
	// Elapsed is the time the input took to read, render and lint.
	Elapsed time.Duration
}

// Run lints inputs and calls emit once per input, in input order, as soon
// as each result (and all before it) is ready, so that callers can stream
// output without holding every file in memory.
func Run(inputs []Input, cfg Config, emit func(FileResult)) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// The enabled set of each distinct configuration, built once.
	enabled := map[*Config]map[*rules.Rule]bool{&cfg: enabledSet(cfg)}
	for _, in := range inputs {
		if in.Config != nil && enabled[in.Config] == nil {
			enabled[in.Config] = enabledSet(*in.Config)
		}
	}

	// A slot is made for each input as it is handed to a worker, and
	// dropped once emitted: window bounds the inputs being linted or
	// waiting to be emitted, so that neither a slow file early in the list
	// nor a long list makes results pile up in memory.
	type slot struct {
		in   int
		done chan struct{}
		res  FileResult
	}
	window := make(chan *slot, 4*workers)
	work := make(chan *slot)
	var wg sync.WaitGroup
	for range min(workers, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				c := &cfg
				if inputs[s.in].Config != nil {
					c = inputs[s.in].Config
				}
				s.res = lintInput(inputs[s.in], *c, enabled[c])
				close(s.done)
			}
		}()
	}
	go func() {
		for i := range inputs {
			s := &slot{in: i, done: make(chan struct{})}
			window <- s
			work <- s
		}
		close(work)
		close(window)
	}()
	for s := range window {
		<-s.done
		emit(s.res)
	}
	wg.Wait()
}

// One lints one input with cfg (the input's own Config is not consulted).
func One(in Input, cfg Config) FileResult {
	return lintInput(in, cfg, enabledSet(cfg))
}

// Linter lints loaded files with one configuration.
type Linter struct {
	cfg     Config
	enabled map[*rules.Rule]bool
	// ignored counts the findings that ignore comments and annotations
	// hid, over every Lint call.
	ignored int
}

// Lint runs the enabled rules over a loaded file and applies its ignores
// (on the loaded text, so that comments that survive rendering apply).
func (l *Linter) Lint(f *loader.File) []rules.Finding {
	out, ignored := lintFile(f, l.cfg, l.enabled)
	l.ignored += len(ignored)
	return out
}

// LintHidden is Lint, but it returns the findings that ignores hid instead
// of counting them: a chart rendered with several values sets hides the
// same finding once per set, and its caller counts it once.
func (l *Linter) LintHidden(f *loader.File) (findings, hidden []rules.Finding) {
	return lintFile(f, l.cfg, l.enabled)
}

// Load loads a file with the configuration's options (the custom
// resources it checks).
func (l *Linter) Load(name string, data []byte) *loader.File {
	return loader.LoadWith(name, data, loader.Options{Workloads: l.cfg.Workloads})
}

// Add applies the configuration to a finding made outside the rules (a
// template that does not render): false when its rule is off.
func (l *Linter) Add(f *rules.Finding) bool {
	return configure(f, &l.cfg, l.enabled)
}

// configure applies cfg to a finding, its severity: false when its rule
// is off.
func configure(f *rules.Finding, cfg *Config, enabled map[*rules.Rule]bool) bool {
	if !enabled[f.Rule] {
		return false
	}
	if s, ok := cfg.Severity[f.Rule.ID]; ok {
		f.Severity = s
	}
	return true
}

func lintInput(in Input, cfg Config, enabled map[*rules.Rule]bool) FileResult {
	start := time.Now()
	res := lintInputUntimed(in, cfg, enabled)
	res.Elapsed = time.Since(start)
	return res
}

func lintInputUntimed(in Input, cfg Config, enabled map[*rules.Rule]bool) FileResult {
	if in.Produce != nil {
		l := &Linter{cfg: cfg, enabled: enabled}
		res := in.Produce(l)
		res.Kind = in.Kind
		res.Ignored += l.ignored
		return res
	}
	res := FileResult{Name: in.Name, Kind: in.Kind}
	data := in.Data
	if data == nil {
		var err error
		if data, err = os.ReadFile(in.Path); err != nil {
			res.Err = err
			return res
		}
	}
	opts := loader.Options{Workloads: cfg.Workloads}
	if !bytes.Contains(data, []byte("{{")) {
		// Not a template (see LooksLikeTemplate): stream its documents.
		f, findings, ignored, objects := streamFile(in.Name, data, opts, cfg, enabled)
		res.Source, res.Findings, res.Ignored = f.Source, findings, len(ignored)
		res.Documents, res.Objects, res.Skipped = f.Documents, objects, f.Skipped
		res.SkippedDocs = f.SkippedDocs
		return res
	}
	f := loader.LoadWith(in.Name, data, opts)
	res.Source = f.Source
	if LooksLikeTemplate(data, f) {
		res.SkipReason = SkipTemplate
		return res
	}
	var ignored []rules.Finding
	res.Findings, ignored = lintFile(f, cfg, enabled)
	res.Ignored = len(ignored)
	res.Documents, res.Objects, res.Skipped = f.Documents, len(f.Objects), f.Skipped
	res.SkippedDocs = f.SkippedDocs
	return res
}

func enabledSet(cfg Config) map[*rules.Rule]bool {
	enabled := make(map[*rules.Rule]bool, len(cfg.Rules))
	for _, r := range cfg.Rules {
		enabled[r] = true
	}
	return enabled
}

// Bytes lints one file's contents with cfg.
func Bytes(name string, data []byte, cfg Config) []rules.Finding {
	return LintFile(loader.LoadWith(name, data, loader.Options{Workloads: cfg.Workloads}), cfg, enabledSet(cfg))
}

// LintFile runs the enabled rules over a loaded file, applies its ignores
// (unless cfg.NoIgnore) and returns its findings sorted by position.
func LintFile(f *loader.File, cfg Config, enabled map[*rules.Rule]bool) []rules.Finding {
	out, _ := lintFile(f, cfg, enabled)
	return out
}

func lintFile(f *loader.File, cfg Config, enabled map[*rules.Rule]bool) (out, ignored []rules.Finding) {
	fl := fileLinter{cfg: cfg, enabled: enabled}
	fl.lint(f)
	fl.finish(f)
	return fl.out, fl.ignored
}

// streamFile loads and lints a file one document at a time (see
// loader.Stream): only the findings outlive each document.
func streamFile(name string, data []byte, opts loader.Options, cfg Config, enabled map[*rules.Rule]bool) (*loader.File, []rules.Finding, []rules.Finding, int) {
	fl := fileLinter{cfg: cfg, enabled: enabled}
	objects := 0
	f := loader.Stream(name, data, opts, func(f *loader.File) {
		objects += len(f.Objects)
		fl.lint(f)
	})
	fl.finish(f)
	return f, fl.out, fl.ignored, objects
}

// fileLinter collects one file's findings, loaded whole or one document
// at a time.
type fileLinter struct {
	cfg     Config
	enabled map[*rules.Rule]bool
	out     []rules.Finding
	ignored []rules.Finding
	// fileIgnores are the file-wide ignores (ignore-file above the first
	// document), which cover the documents after their own.
	fileIgnores []*ignore
}

func (fl *fileLinter) add(fd rules.Finding) {
	if configure(&fd, &fl.cfg, fl.enabled) {
		fl.out = append(fl.out, fd)
	}
}

// lint runs the rules over what f holds and applies its ignores.
func (fl *fileLinter) lint(f *loader.File) {
	start := len(fl.out)
	for _, p := range f.Problems {
		fl.add(problemFinding(f, p.Problem, rules.ObjectRef{Doc: p.Doc, Item: -1}))
	}
	for _, o := range f.Objects {
		ref := rules.RefOf(o)
		addInObject := func(fd rules.Finding) {
			if fl.enabled[fd.Rule] && fd.Path != "" {
				fd.StablePath = o.StablePath(fd.Path)
			}
			fl.add(fd)
		}
		for _, p := range o.Problems {
			addInObject(problemFinding(f, p, ref))
		}
		for _, r := range fl.cfg.Rules {
			if r.Run == nil || !fl.enabled[r] {
				continue
			}
			r.Run(rules.NewPass(r, o, fl.cfg.Settings, addInObject))
		}
	}
	if !fl.cfg.NoIgnore {
		kept, ignored, meta := fl.applyIgnores(f, fl.out[start:], false)
		fl.out = append(fl.out[:start], kept...)
		fl.ignored = append(fl.ignored, ignored...)
		for _, m := range meta {
			fl.add(m)
		}
	}
}

// finish reports the file-wide ignores that silenced nothing, drops the
// fixes that not every use of an aliased value asks for, and sorts the
// findings.
func (fl *fileLinter) finish(f *loader.File) {
	if !fl.cfg.NoIgnore && len(fl.fileIgnores) > 0 {
		_, _, meta := fl.applyIgnores(&loader.File{Source: f.Source}, nil, true)
		for _, m := range meta {
			fl.add(m)
		}
	}
	if f.Source.Encoding != "" {
		// The file was read as UTF-16: its fixes (an unused ignore's
		// removal too) are edits of the UTF-8 text it was read into,
		// which --fix cannot write back in the file's own encoding. Show
		// them, never apply them.
		for i := range fl.out {
			if fd := &fl.out[i]; fd.Fix != nil && fd.Fix.Applicability != rules.DisplayOnly {
				fix := *fd.Fix
				fix.Applicability = rules.DisplayOnly
				fd.Fix = &fix
			}
		}
	}
	dropPartialFixes(fl.out)
	SortFindings(fl.out)
	fl.out = slices.CompactFunc(fl.out, func(a, b rules.Finding) bool {
		return a.Rule == b.Rule && a.Range == b.Range && a.Message == b.Message
	})
}

func problemFinding(file *loader.File, p loader.Problem, ref rules.ObjectRef) rules.Finding {
	src := file.Source
	r := rules.ForProblem(p.Kind)
	f := rules.Finding{Rule: r, Severity: r.Severity, Message: p.Message, File: src.Name, Object: ref, Path: p.Path}
	if p.Repeated {
		f.Severity = rules.Info
	}
	if p.Node != nil {
		f.Range = src.NodeRange(p.Node)
		if p.Node.Via != nil {
			f.Message += fmt.Sprintf(" (through the alias %s; the value is at line %d)", p.Node.Via.Value, p.Node.Line)
		}
		if p.Replacement != nil {
			// Through an alias too: the fix edits the anchored value, and
			// stands only when every use asks for it (dropPartialFixes).
			a := rules.Safe
			if p.FixUnsafe {
				a = rules.Unsafe
			}
			f.Fix = rules.ReplaceScalar(file, p.Node, p.FixMessage, *p.Replacement, a)
		}
	} else {
		start := src.PosAt(p.Line, p.Col)
		f.Range = loader.Range{Start: start, End: start}
	}
	return f
}

// SortFindings orders findings by file position, then rule ID and message.
func SortFindings(fs []rules.Finding) {
	slices.SortStableFunc(fs, CompareFindings)
}

// CompareFindings orders two findings as SortFindings does.
func CompareFindings(a, b rules.Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset),
		cmp.Compare(a.Rule.ID, b.Rule.ID),
		cmp.Compare(a.Message, b.Message),
	)
}
