package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/rules"
	"github.com/dapilint/dapilint/sourcemap"
)

// helmOptions are the lint command's Helm flags.
type helmOptions struct {
	values      []string // --values, as given
	set         []string
	releaseName string
	namespace   string
	kubeVersion string
}

// renderer is the command's Renderer: dapilint-render, unless a test set
// another.
func (c *Command) renderer() render.Renderer {
	if c.Renderer != nil {
		return c.Renderer
	}
	return &render.Exec{Getenv: c.Getenv}
}

// isChartDir reports whether dir holds a Helm chart.
func isChartDir(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && st.Mode().IsRegular()
}

// valuesSets are the values a chart is rendered with: with --values or
// --set, that one set; otherwise values.yaml, and values.yaml plus each
// ci/*-values.yaml (the chart-testing convention).
func (c *Command) valuesSets(dir string, ho helmOptions) []render.ValuesSet {
	if len(ho.values) > 0 || len(ho.set) > 0 {
		set := render.ValuesSet{Set: ho.set}
		var name []string
		for _, v := range ho.values {
			set.Files = append(set.Files, c.resolve(v))
			name = append(name, "--values "+v)
		}
		for _, s := range ho.set {
			name = append(name, "--set "+s)
		}
		set.Name = strings.Join(name, " ")
		return []render.ValuesSet{set}
	}
	sets := []render.ValuesSet{{Name: "values.yaml"}}
	ci, _ := filepath.Glob(filepath.Join(dir, "ci", "*-values.yaml"))
	slices.Sort(ci)
	for _, f := range ci {
		sets = append(sets, render.ValuesSet{Name: "ci/" + filepath.Base(f), Files: []string{f}})
	}
	return sets
}

// findingKey identifies a finding across values sets and builds.
type findingKey struct {
	rule, file, message string
	offset              int
}

// collector gathers a rendered input's findings, reporting a finding that
// several values sets produce once, with every set named.
type collector struct {
	res   lint.FileResult
	index map[findingKey]int
	// hidden are the findings ignores hid, traced: a finding hidden in
	// several values sets is counted once.
	hidden map[findingKey]bool
	// renderedIn names the values sets that rendered each template.
	renderedIn map[string][]string
}

func keyOf(f rules.Finding) findingKey {
	return findingKey{f.Rule.ID, f.File, f.Message, f.Range.Start.Offset}
}

func (col *collector) add(f rules.Finding) {
	if col.index == nil {
		col.index = map[findingKey]int{}
	}
	k := keyOf(f)
	if i, ok := col.index[k]; ok {
		prev := col.res.Findings[i].Rendered
		if prev != nil && f.Rendered != nil {
			for _, s := range f.Rendered.ValuesSets {
				if !slices.Contains(prev.ValuesSets, s) {
					prev.ValuesSets = append(prev.ValuesSets, s)
				}
			}
		}
		return
	}
	col.index[k] = len(col.res.Findings)
	col.res.Findings = append(col.res.Findings, f)
}

// hide records a finding that an ignore hid.
func (col *collector) hide(f rules.Finding) {
	if col.hidden == nil {
		col.hidden = map[findingKey]bool{}
	}
	col.hidden[keyOf(f)] = true
}

// lint lints a rendered file; trace moves each finding to its source.
func (col *collector) lint(l *lint.Linter, file *loader.File, trace func(rules.Finding) rules.Finding) {
	col.res.Documents += file.Documents
	col.res.Objects += len(file.Objects)
	col.res.Skipped += file.Skipped
	col.res.SkippedDocs = append(col.res.SkippedDocs, file.SkippedDocs...)
	found, hidden := l.LintHidden(file)
	for _, f := range found {
		col.add(trace(f))
	}
	for _, f := range hidden {
		col.hide(trace(f))
	}
}

// rendered records that a values set rendered a template.
func (col *collector) rendered(template, set string) {
	if col.renderedIn == nil {
		col.renderedIn = map[string][]string{}
	}
	if !slices.Contains(col.renderedIn[template], set) {
		col.renderedIn[template] = append(col.renderedIn[template], set)
	}
}

func (col *collector) result() lint.FileResult {
	// An ignore in a template is unused only if it silenced nothing in
	// every values set that rendered it: the finding it is for may come
	// from one set only.
	col.res.Findings = slices.DeleteFunc(col.res.Findings, func(f rules.Finding) bool {
		if f.Rule != rules.UnusedIgnore || f.Rendered == nil || f.Rendered.Template == "" {
			return false
		}
		for _, s := range col.renderedIn[f.Rendered.Template] {
			if !slices.Contains(f.Rendered.ValuesSets, s) {
				return true
			}
		}
		return false
	})
	col.res.Ignored += len(col.hidden)
	lint.SortFindings(col.res.Findings)
	return col.res
}

// chartInput renders the chart in dir (named display) with each values
// set, lints every rendered template, and traces the findings back to the
// templates and values files.
func (c *Command) chartInput(dir, display string, ho helmOptions) lint.Input {
	return lint.Input{Name: display, Path: dir, Kind: lint.ChartInput, Produce: func(l *lint.Linter) lint.FileResult {
		col := &collector{res: lint.FileResult{Name: display}}
		out, err := c.renderer().Helm(render.HelmRequest{
			Dir: dir, ReleaseName: ho.releaseName, Namespace: ho.namespace, KubeVersion: ho.kubeVersion,
			Sets: c.valuesSets(dir, ho),
		})
		if err != nil {
			col.res.Err = err
			return col.res
		}
		ch := sourcemap.NewChart(out, dir, display)
		for i := range out.Sets {
			set := &out.Sets[i]
			for _, e := range set.Errors {
				if isDefaultSet(set.Set) && isRequiredValue(e) {
					// A required or fail check that values.yaml alone
					// does not pass asks the user for values (a cluster
					// name, a password): not a bug of the chart. The ci/
					// values sets, when there are any, are rendered too,
					// and their failures are reported.
					continue
				}
				if f := ch.ErrorFinding(set, e); l.Add(&f) {
					col.add(f)
				}
			}
			for _, m := range set.Manifests {
				file := l.Load(m.Template, []byte(m.Content))
				tr := ch.Manifest(set, m)
				col.rendered(m.Template, set.Set.Name)
				col.lint(l, file, func(f rules.Finding) rules.Finding { return tr.Trace(file, f) })
			}
		}
		return col.result()
	}}
}

// isDefaultSet reports whether a values set is the chart's values.yaml
// alone (no --values, --set or ci/ file).
func isDefaultSet(s render.ValuesSet) bool {
	return len(s.Files) == 0 && len(s.Set) == 0
}

// isRequiredValue reports whether a render error is a chart's own
// `required` or `fail` check (Helm words those "execution error at (…)").
func isRequiredValue(e render.TemplateError) bool {
	return strings.HasPrefix(e.Message, "execution error at (")
}

// kustomizationInput builds the kustomization in dir and traces the
// findings back to its resource and patch files.
func (c *Command) kustomizationInput(dir, display string) lint.Input {
	return lint.Input{Name: display, Path: dir, Kind: lint.KustomizationInput, Produce: func(l *lint.Linter) lint.FileResult {
		col := &collector{res: lint.FileResult{Name: display}}
		out, err := c.renderer().Kustomize(render.KustomizeRequest{Dir: dir})
		b := sourcemap.NewBuild(dir, display)
		if err != nil {
			// A build that fails is a finding on the kustomization (a
			// remote base, which is never fetched, is an input error).
			if strings.Contains(err.Error(), "remote base") {
				col.res.Err = err
				return col.res
			}
			src, rng, msg, approximate := b.BuildError(err)
			r := &rules.Rendered{Tool: "kustomize", Input: display, Approximate: approximate}
			if approximate {
				r.Note = "kustomize reports no position"
			}
			f := rules.Finding{Rule: rules.RenderFailed, Severity: rules.RenderFailed.Severity,
				Message: msg, File: src.Name, Source: src, Range: rng, Rendered: r}
			if l.Add(&f) {
				col.add(f)
			}
			return col.result()
		}
		for _, r := range out.Resources {
			file := l.Load(display, []byte(r.YAML))
			col.lint(l, file, func(f rules.Finding) rules.Finding { return b.Trace(r, file, f) })
		}
		return col.result()
	}}
}

// streamInput lints standard input; a `helm template` stream's findings
// are traced to the templates its "# Source:" comments name.
func (c *Command) streamInput(name string, data []byte) lint.Input {
	// Path names the file for per-path configuration (overrides).
	return lint.Input{Name: name, Path: c.resolve(name), Data: data, Produce: func(l *lint.Linter) lint.FileResult {
		f := l.Load(name, data)
		res := lint.FileResult{Name: name, Source: f.Source, Documents: f.Documents, Objects: len(f.Objects), Skipped: f.Skipped, SkippedDocs: f.SkippedDocs}
		if lint.LooksLikeTemplate(data, f) {
			res.SkipReason = lint.SkipTemplate
			return res
		}
		res.Findings = l.Lint(f)
		if s := sourcemap.NewStream(f, c.resolve); s != nil {
			for i, fd := range res.Findings {
				res.Findings[i] = s.Trace(f, fd)
			}
			lint.SortFindings(res.Findings)
		}
		return res
	}}
}

// errSkipped is a file the walk does not lint, with the reason.
type skippedInput struct{ path, reason string }

func (s skippedInput) input() lint.Input {
	return lint.Input{Name: s.path, Produce: func(*lint.Linter) lint.FileResult {
		return lint.FileResult{Name: s.path, SkipReason: s.reason}
	}}
}

// Reasons a walked file is not linted as a plain manifest.
const (
	skipPatch = "Kustomize patch"
	// A patch whose entry in the kustomization is commented out
	// (kubebuilder's scaffolding): still a patch, not an object.
	skipDisabledPatch = "Kustomize patch (commented out)"
	skipInput         = "file read by a kustomization"
	// A symbolic link to a directory being walked (or above it) would be
	// walked for ever.
	skipLinkLoop = "link back to a directory being walked"
)

// ownerSet is the charts and kustomizations of a run's inputs: those added
// already, and what each directory above a named file is. Every file named
// (a shell's or a glob's expansion of deploy/*.yaml) climbs the same
// directories, so each is looked at, and its kustomization read, once.
type ownerSet struct {
	added map[string]bool // by absolute path
	dirs  map[string]dirOwner
}

// dirOwner is what a directory is, for ownerOf.
type dirOwner struct {
	kind     dirKind
	kustFile string                   // kustomizationDir: its file
	kust     *sourcemap.Kustomization // kustomizationDir: nil when it cannot be read
}

func newOwners() *ownerSet {
	return &ownerSet{added: map[string]bool{}, dirs: map[string]dirOwner{}}
}

// add records that the chart or kustomization in dir is an input; false
// when it was already.
func (o *ownerSet) add(dir string) bool {
	abs := absPath(dir)
	if o.added[abs] {
		return false
	}
	o.added[abs] = true
	return true
}

// dir says what the directory d (absolute) is.
func (o *ownerSet) dir(d string) dirOwner {
	if do, ok := o.dirs[d]; ok {
		return do
	}
	var do dirOwner
	if isChartDir(d) {
		do.kind = chartDir
	} else if kf := render.FindKustomization(d); kf != "" {
		do.kind, do.kustFile = kustomizationDir, kf
		do.kust, _ = sourcemap.ReadKustomization(d)
	}
	o.dirs[d] = do
	return do
}

// ownerOf finds the chart or kustomization an explicitly named file
// belongs to: a file inside a chart is linted by rendering the chart; a
// file that a kustomization in its directory or above names (as a
// resource or a patch) by building that kustomization.
func (o *ownerSet) ownerOf(path string) (dir string, kind lint.InputKind, ok bool) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", 0, false
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		switch do := o.dir(d); do.kind {
		case chartDir:
			return d, lint.ChartInput, true
		case kustomizationDir:
			if do.kustFile == abs || do.kust != nil && names(do.kust, abs) {
				return d, lint.KustomizationInput, true
			}
		}
		if filepath.Dir(d) == d {
			return "", 0, false
		}
	}
}

// names reports whether a kustomization names a file.
func names(k *sourcemap.Kustomization, abs string) bool {
	if slices.Contains(k.Resources, abs) || slices.Contains(k.Inputs, abs) {
		return true
	}
	for _, p := range k.Patches {
		if p.Path == abs {
			return true
		}
	}
	return false
}

// displayFor names a chart or kustomization directory found above a file
// given as given: relative like the file, when it can be.
func displayFor(given, resolved, dir string) string {
	givenAbs, err := filepath.Abs(resolved)
	if err != nil {
		return dir
	}
	rel, err := filepath.Rel(filepath.Dir(givenAbs), dir)
	if err != nil {
		return dir
	}
	return filepath.Clean(filepath.Join(filepath.Dir(given), rel))
}
