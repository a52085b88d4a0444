// Package lint runs the rules over files: it loads each file, runs every
// enabled rule on every object, and hands back the findings in a stable
// order. Files are linted in parallel; results come back in input order.
package lint

import (
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

	type slot struct {
		done chan struct{}
		res  FileResult
	}
	slots := make([]slot, len(inputs))
	for i := range slots {
		slots[i].done = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := &cfg
				if inputs[i].Config != nil {
					c = inputs[i].Config
				}
				slots[i].res = lintInput(inputs[i], *c, enabled[c])
				close(slots[i].done)
			}
		}()
	}
	// window bounds the files being linted or waiting to be emitted, so a
	// slow file early in the list cannot make the others pile up in memory.
	window := make(chan struct{}, 4*workers)
	go func() {
		for i := range inputs {
			window <- struct{}{}
			next <- i
		}
		close(next)
	}()
	for i := range slots {
		<-slots[i].done
		emit(slots[i].res)
		slots[i].res = FileResult{}
		<-window
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

// NewLinter returns a linter for cfg.
func NewLinter(cfg Config) *Linter {
	return &Linter{cfg: cfg, enabled: enabledSet(cfg)}
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

// Enabled reports whether rule r runs.
func (l *Linter) Enabled(r *rules.Rule) bool { return l.enabled[r] }

// Add applies the configuration to a finding made outside the rules (a
// template that does not render): false when its rule is off.
func (l *Linter) Add(f *rules.Finding) bool {
	if !l.enabled[f.Rule] {
		return false
	}
	if s, ok := l.cfg.Severity[f.Rule.ID]; ok {
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
	f := loader.LoadWith(in.Name, data, loader.Options{Workloads: cfg.Workloads})
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
	add := func(fd rules.Finding) {
		if !enabled[fd.Rule] {
			return
		}
		if s, ok := cfg.Severity[fd.Rule.ID]; ok {
			fd.Severity = s
		}
		out = append(out, fd)
	}
	for _, p := range f.Problems {
		add(problemFinding(f, p.Problem, rules.ObjectRef{Doc: p.Doc, Item: -1}))
	}
	for _, o := range f.Objects {
		ref := rules.RefOf(o)
		addInObject := func(fd rules.Finding) {
			if enabled[fd.Rule] && fd.Path != "" {
				fd.StablePath = o.StablePath(fd.Path)
			}
			add(fd)
		}
		for _, p := range o.Problems {
			addInObject(problemFinding(f, p, ref))
		}
		for _, r := range cfg.Rules {
			if r.Run == nil || !enabled[r] {
				continue
			}
			r.Run(rules.NewPass(r, o, cfg.Settings, addInObject))
		}
	}
	if !cfg.NoIgnore {
		var meta []rules.Finding
		out, ignored, meta = applyIgnores(f, out, cfg, enabled)
		for _, m := range meta {
			add(m)
		}
	}
	dropPartialFixes(out)
	SortFindings(out)
	return slices.CompactFunc(out, func(a, b rules.Finding) bool {
		return a.Rule == b.Rule && a.Range == b.Range && a.Message == b.Message
	}), ignored
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
