// Package sourcemap traces findings on rendered output (a Helm chart, a
// Kustomize build, a `helm template` stream) back to the line a person
// edits: the template line, the values file key, the resource or patch
// file. It never points at a line that is not the source: when it cannot
// find the exact line, it says so (rules.Rendered.Approximate).
package sourcemap

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/rules"
)

// location is where a finding is traced to.
type location struct {
	src         *loader.Source
	rng         loader.Range
	via         string
	approximate bool
	note        string
	// exact is set when the text at rng is the rendered text, so that the
	// finding's fix can be moved there.
	exact bool
	// confirmed is set when the source holds the rendered text (literal
	// template text, or the values key's value).
	confirmed bool
}

// valuesSource is a file (or --set) that gives a chart its values.
type valuesSource struct {
	path, display string
	// prefix is where the template's .Values sit in this source.
	prefix []step
	set    []string // --set values, when path is ""
}

// tracer traces findings in one rendered template back to its source.
type tracer struct {
	tmpl    *template
	tmplSrc *loader.Source // nil: the template is not a file on disk
	// lines are the rendered template's lines (for a stream, its
	// segment's); match maps each to the template line that wrote it.
	lines  []string
	match  []int
	values []valuesSource // highest precedence first
	// helpers returns the chart's helper templates, for output written
	// by include; nil when the chart is not known.
	helpers func() *helpers
	files   *Files
}

// templateFile is a template parsed, and its file.
type templateFile struct {
	tmpl *template
	src  *loader.Source
}

// helpers are a chart's helper templates (templates/_*) and the named
// templates they define. A chart's are read and parsed once, on the first
// finding that needs them, and shared by every template of the chart.
type helpers struct {
	partials []templateFile
	defs     definitions
}

func newHelpers(partials []templateFile) *helpers {
	h := &helpers{partials: partials, defs: definitions{}}
	for _, p := range partials {
		for name, r := range p.tmpl.defines {
			h.defs[name] = defined{p: p, from: r[0], to: r[1]}
		}
	}
	return h
}

func newTracer(tmpl *template, src *loader.Source, lines []string) *tracer {
	return &tracer{tmpl: tmpl, tmplSrc: src, lines: lines, match: tmpl.match(lines)}
}

// renderedValue is what a finding points at in the rendered output.
type renderedValue struct {
	line, col int // in the tracer's lines: 1-based line, 1-based byte column
	text      string
	path      []step // from the object's root
	value     string // the node's value (key name when atKey)
	atKey     bool
	objLine   int // the object's first line, in the tracer's lines
}

// trace finds where the rendered value came from.
func (t *tracer) trace(rv renderedValue) location {
	i := rv.line - 1
	if i < 0 || i >= len(t.lines) {
		return t.fallback(rv, "the rendered line is outside the template's output")
	}
	var weak *location
	if j := t.match[i]; j >= 0 {
		if loc, ok := t.inLine(t.tmpl, t.tmplSrc, j, t.lines[i], rv); ok {
			if loc.confirmed {
				return loc
			}
			// An action's output matched the line: another action that
			// writes several lines may have written it instead.
			weak = &loc
		}
	}
	// A line no template line wrote comes from an action that writes
	// several lines, between the template lines of the matched lines
	// around it.
	from, to := 0, len(t.tmpl.lines)
	for k := i - 1; k >= 0; k-- {
		if t.match[k] >= 0 {
			from = t.match[k]
			break
		}
	}
	for k := i + 1; k < len(t.match); k++ {
		if t.match[k] >= 0 {
			to = t.match[k] + 1
			break
		}
	}
	if loc, ok := t.fromIncludes(from, to, i, rv); ok {
		return loc
	}
	if act, ok := t.writer(from, to); ok {
		loc := t.fromAction(t.tmpl, t.tmplSrc, act, rv, true)
		if weak == nil || loc.confirmed {
			return loc
		}
	}
	if weak != nil {
		return *weak
	}
	return t.fallback(rv, fmt.Sprintf("no template line writes the rendered line %q", strings.TrimSpace(t.lines[i])))
}

// writer finds the output action between template lines from and to
// (exclusive) that most likely wrote lines no template line matches.
func (t *tracer) writer(from, to int) (seg, bool) {
	if to <= from {
		to = from + 1
	}
	var any seg
	found := false
	for j := from; j < to && j < len(t.tmpl.lines); j++ {
		for _, s := range t.tmpl.lines[j].segs {
			if s.kind != segOutput {
				continue
			}
			if s.multi {
				return s, true
			}
			if !found {
				any, found = s, true
			}
		}
	}
	return any, found
}

// spans lays a template line's pieces over the rendered line it matched.
type span struct {
	start, end int // byte offsets in the rendered line
	seg        seg
}

func lineSpans(l tline, rendered string) []span {
	var groups []int
	if l.re != nil {
		groups = l.re.FindStringSubmatchIndex(strings.TrimRight(rendered, " \t\r"))
		if groups == nil {
			return nil
		}
	}
	var out []span
	cur, g := 0, 1
	for _, s := range l.segs {
		switch s.kind {
		case segText:
			if strings.HasPrefix(rendered[min(cur, len(rendered)):], s.text) || cur+len(s.text) <= len(rendered) {
				out = append(out, span{cur, min(cur+len(s.text), len(rendered)), s})
			}
			cur += len(s.text)
		case segOutput:
			if groups != nil && 2*g+1 < len(groups) && groups[2*g] >= 0 {
				out = append(out, span{groups[2*g], groups[2*g+1], s})
				cur = groups[2*g+1]
			}
			g++
		}
	}
	return out
}

// inLine traces a value on a rendered line that template line j wrote.
func (t *tracer) inLine(tmpl *template, src *loader.Source, j int, rendered string, rv renderedValue) (location, bool) {
	l := tmpl.lines[j]
	col := rv.col - 1
	var after *seg
	for _, sp := range lineSpans(l, rendered) {
		switch {
		case sp.seg.kind == segText && col >= sp.start && col < sp.end:
			off := sp.seg.off + col - sp.start
			end := off + len(rv.text)
			exact := end <= sp.seg.end && string(tmpl.data[off:end]) == rv.text
			if !exact {
				end = off + (sp.end - col)
			}
			if src == nil {
				return location{}, false
			}
			return location{src: src, rng: loader.Range{Start: src.PosOfOffset(off), End: src.PosOfOffset(end)}, exact: exact, confirmed: true}, true
		case sp.seg.kind == segOutput && col >= sp.start && col <= sp.end:
			return t.fromAction(tmpl, src, sp.seg, rv, false), true
		case sp.seg.kind == segOutput && col >= sp.end:
			s := sp.seg
			after = &s
		}
	}
	if after != nil && after.multi {
		return t.fromAction(tmpl, src, *after, rv, true), true
	}
	return location{}, false
}

// usesDot matches actions that read "." or a field of it: "toYaml .",
// ".name".
var usesDot = lazyRegexp(`(?:^|[\s(])\.((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*)?(?:$|[\s)|])`)

var valuesRef = lazyRegexp(`\.Values((?:\.[A-Za-z_][\w-]*)*)`)
var indexValuesRef = lazyRegexp(`index\s+\.Values((?:\s+"[^"]*")+)`)
var quotedKey = lazyRegexp(`"([^"]*)"`)

// valuesPath reads the values an action uses: ".Values.a.b" → [a b];
// "index .Values "a" "b"" → [a b].
func valuesPath(action string) ([]step, bool) {
	if m := indexValuesRef().FindStringSubmatch(action); m != nil {
		var p []step
		for _, q := range quotedKey().FindAllStringSubmatch(m[1], -1) {
			p = append(p, keyStep(q[1]))
		}
		return p, true
	}
	m := valuesRef().FindStringSubmatch(action)
	if m == nil {
		return nil, false
	}
	var p []step
	for _, k := range strings.Split(strings.TrimPrefix(m[1], "."), ".") {
		if k != "" {
			p = append(p, keyStep(k))
		}
	}
	return p, true
}

// actionLoc points at an action in a template.
func actionLoc(src *loader.Source, s seg) location {
	return location{src: src, rng: loader.Range{Start: src.PosOfOffset(s.off), End: src.PosOfOffset(s.end)}}
}

func (t *tracer) where(src *loader.Source, s seg) string {
	if src == nil {
		return t.tmpl.name
	}
	return fmt.Sprintf("%s:%d", src.Name, src.PosOfOffset(s.off).Line)
}

// fromAction traces a value an action wrote: to the values key it reads,
// to the helper it includes, or to the action itself.
func (t *tracer) fromAction(tmpl *template, src *loader.Source, act seg, rv renderedValue, multi bool) location {
	if src == nil {
		return t.fallback(rv, "the value is written by {{ "+act.text+" }} in a template that is not a file on disk")
	}
	actionText := "{{ " + act.text + " }}"
	p, ok, scoped := actionValues(tmpl, act)
	if scoped {
		multi = true // the value is somewhere under that key
	}
	if ok {
		if loc, ok := t.fromValues(p, rv, multi); ok {
			loc.via = t.where(src, act)
			return loc
		}
		loc := actionLoc(src, act)
		if set := t.setBy(p); set != "" {
			loc.note = "the value is set by --set " + set
			return loc
		}
		loc.note = fmt.Sprintf("the value is written by %s; no values file sets the rendered value", actionText)
		loc.approximate = multi
		return loc
	}
	if strings.Contains(act.text, "include") || strings.Contains(act.text, "template") {
		if loc, ok := t.fromPartials(rv); ok {
			return loc
		}
	}
	loc := actionLoc(src, act)
	loc.note = "the value is written by " + actionText
	loc.approximate = multi
	return loc
}

// fromValues finds the values key that gave the rendered value: p is the
// values path the action reads.
func (t *tracer) fromValues(p []step, rv renderedValue, multi bool) (location, bool) {
	for _, vs := range t.values {
		if vs.path == "" {
			if len(vs.set) > 0 && t.setBy(p) != "" {
				return location{}, false // --set wins over every file
			}
			continue
		}
		f := t.files.get(vs.path, vs.display)
		full := append(append([]step{}, vs.prefix...), p...)
		n := get(f.root(), full)
		if n == nil {
			continue
		}
		var hit *loader.Node
		switch {
		case n.Kind == loader.ScalarNode && !rv.atKey && (n.Value == rv.value || (!multi && n.Value != "" && strings.Contains(rv.value, n.Value))):
			hit = n
		case n.Kind != loader.ScalarNode:
			hit = findValue(n, p, rv.value, rv.path, rv.atKey)
		}
		if hit == nil {
			// The key is set here, but not to the rendered value: the
			// template changed it, or another key wrote the line.
			return location{}, false
		}
		return location{src: f.src, rng: f.src.NodeRange(hit), exact: hit.Value == rv.text, confirmed: true}, true
	}
	return location{}, false
}

// setBy returns the --set value that sets values path p, if any.
func (t *tracer) setBy(p []step) string {
	for _, vs := range t.values {
		if len(vs.set) == 0 {
			continue
		}
		want := pathString(append(append([]step{}, vs.prefix...), p...))
		for _, s := range vs.set {
			key, _, _ := strings.Cut(s, "=")
			if key == want || strings.HasPrefix(key, want+".") || strings.HasPrefix(key, want+"[") || strings.HasPrefix(want, key+".") {
				return s
			}
		}
	}
	return ""
}

// fromIncludes traces a rendered line that no template line wrote to the
// helper line that wrote it, when the template lines from to to include
// helpers (include "x.labels"). Several helpers may write the same line
// (two label helpers both writing app.kubernetes.io/component): the k-th
// time a line appears in the output run, it is taken from the k-th helper
// included, in template order, that writes it.
func (t *tracer) fromIncludes(from, to, i int, rv renderedValue) (location, bool) {
	if t.helpers == nil || t.tmplSrc == nil {
		return location{}, false
	}
	text := strings.TrimSpace(t.lines[i])
	// Earlier occurrences of the line since the last matched line.
	k := 0
	for j := i - 1; j >= 0 && t.match[j] < 0; j-- {
		if strings.TrimSpace(t.lines[j]) == text {
			k++
		}
	}
	defs := t.helpers().defs
	included := false
	for j := from; j < to && j < len(t.tmpl.lines); j++ {
		for _, s := range t.tmpl.lines[j].segs {
			if s.kind != segOutput {
				continue
			}
			var loc location
			found := false
			for _, m := range includedNames().FindAllStringSubmatch(s.text, -1) {
				included = true
				if p, line, ok := defs.find(m[1], text, 0); ok {
					loc, found = t.partialLine(p, line, rv)
					break
				}
			}
			if !found && included {
				// A values block written after an included helper
				// (toYaml .Values.commonLabels after the selector
				// labels) may repeat the helper's line.
				loc, found = t.valuesAction(s, rv)
			}
			if !found {
				continue
			}
			if k > 0 {
				k--
				continue
			}
			if loc.via == "" {
				loc.via = t.where(t.tmplSrc, s)
			}
			return loc, true
		}
	}
	return location{}, false
}

// valuesAction traces rv to the values key that action act writes, when
// the values files hold the rendered value there.
func (t *tracer) valuesAction(act seg, rv renderedValue) (location, bool) {
	p, ok, _ := actionValues(t.tmpl, act)
	if !ok {
		return location{}, false
	}
	return t.fromValues(p, rv, true)
}

// actionValues returns the values path an action reads: its own
// (.Values.a.b), or, for an action on "." (toYaml .) inside
// {{ with .Values.x }}, that of the block (scoped is then set).
func actionValues(tmpl *template, act seg) (p []step, ok, scoped bool) {
	if p, ok = valuesPath(act.text); ok || !usesDot().MatchString(act.text) {
		return p, ok, false
	}
	p, ok = valuesPath(tmpl.scopeOf(act.off))
	if !ok {
		return nil, false, false
	}
	if m := usesDot().FindStringSubmatch(act.text); m[1] != "" {
		for _, k := range strings.Split(m[1], ".") {
			p = append(p, keyStep(k))
		}
	}
	return p, true, true
}

// definitions maps the named templates of the chart's helpers to where
// they are defined.
type definitions map[string]defined

type defined struct {
	p        templateFile
	from, to int
}

// find returns the line of named template name (or of a template it
// includes) that writes text, a rendered line without its indentation.
func (d definitions) find(name, text string, depth int) (templateFile, int, bool) {
	def, ok := d[name]
	if !ok || depth > 4 {
		return templateFile{}, 0, false
	}
	for j := def.from; j <= def.to && j < len(def.p.tmpl.lines); j++ {
		l := def.p.tmpl.lines[j]
		if l.literal && strings.TrimSpace(l.key) == text || !l.literal && l.re != nil && l.re.MatchString(leadingText(l)+text) {
			return def.p, j, true
		}
		for _, s := range l.segs {
			if s.kind != segOutput {
				continue
			}
			for _, m := range includedNames().FindAllStringSubmatch(s.text, -1) {
				if p, line, ok := d.find(m[1], text, depth+1); ok {
					return p, line, true
				}
			}
		}
	}
	return templateFile{}, 0, false
}

// leadingText is the indentation a template line's text starts with.
func leadingText(l tline) string {
	if len(l.segs) == 0 || l.segs[0].kind != segText {
		return ""
	}
	s := l.segs[0].text
	return s[:len(s)-len(strings.TrimLeft(s, " "))]
}

// partialLine traces rv to line j of a helper, whose output include
// re-indented.
func (t *tracer) partialLine(p templateFile, j int, rv renderedValue) (location, bool) {
	rendered := t.lines[rv.line-1]
	indent := len(rendered) - len(strings.TrimLeft(rendered, " "))
	lead := len(leadingText(p.tmpl.lines[j]))
	shifted := strings.Repeat(" ", lead) + rendered[indent:]
	inner := rv
	inner.col = rv.col - indent + lead
	return t.inLine(p.tmpl, p.src, j, shifted, inner)
}

// fromPartials looks for the rendered line among the lines of the
// chart's helpers (templates defined in _*.tpl files), whose output
// include re-indents.
func (t *tracer) fromPartials(rv renderedValue) (location, bool) {
	if t.helpers == nil {
		return location{}, false
	}
	rendered := t.lines[rv.line-1]
	indent := len(rendered) - len(strings.TrimLeft(rendered, " "))
	stripped := rendered[indent:]
	for _, p := range t.helpers().partials {
		for j, l := range p.tmpl.lines {
			text := ""
			for _, s := range l.segs {
				if s.kind == segText {
					text = s.text
					break
				}
			}
			lead := len(text) - len(strings.TrimLeft(text, " "))
			if text == "" || strings.TrimSpace(text) == "" {
				continue
			}
			shifted := strings.Repeat(" ", lead) + stripped
			if l.literal && strings.TrimRight(shifted, " \t\r") != l.key {
				continue
			}
			if !l.literal && (l.re == nil || !l.re.MatchString(strings.TrimRight(shifted, " \t\r"))) {
				continue
			}
			inner := rv
			inner.col = rv.col - indent + lead
			if loc, ok := t.inLine(p.tmpl, p.src, j, shifted, inner); ok {
				return loc, true
			}
		}
	}
	return location{}, false
}

// fallback points at the template line that wrote the object's first
// line, or at the template's first line, and says so.
func (t *tracer) fallback(rv renderedValue, why string) location {
	if t.tmplSrc == nil {
		return location{approximate: true, note: why}
	}
	line := 1
	if k := rv.objLine - 1; k >= 0 && k < len(t.match) && t.match[k] >= 0 {
		line = t.tmplSrc.PosOfOffset(t.tmpl.firstText(t.tmpl.lines[t.match[k]])).Line
	}
	return location{src: t.tmplSrc, rng: lineRange(t.tmplSrc, line), approximate: true,
		note: why + "; this is the first template line of the object"}
}

// Chart traces findings on a chart rendered by render.Renderer.Helm.
type Chart struct {
	res *render.HelmResult
	// root and display: the chart directory as rendered (resolved) and as
	// findings name it.
	root, display string
	files         *Files
	// The chart's templates parsed, their sources, and the helpers of
	// each chart of the tree (by ChartInfo.Path), made once each.
	tmpls   map[string]*template
	srcs    map[string]*loader.Source
	helpers map[string]*helpers
}

// NewChart prepares tracing for a rendered chart. dir is the chart's
// directory as rendered, display the name findings give it.
func NewChart(res *render.HelmResult, dir, display string) *Chart {
	return &Chart{res: res, root: dir, display: display, files: NewFiles(),
		tmpls: map[string]*template{}, srcs: map[string]*loader.Source{}, helpers: map[string]*helpers{}}
}

// Display names a path under the chart directory as findings name it.
func (c *Chart) Display(p string) string {
	if rel, err := filepath.Rel(c.root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join(c.display, rel)
	}
	return p
}

func (c *Chart) template(name string) *template {
	t, ok := c.tmpls[name]
	if !ok {
		t = parseTemplate(name, []byte(c.res.Templates[name]))
		c.tmpls[name] = t
	}
	return t
}

// chartOf returns the chart a template belongs to (the longest path
// prefix) and the template's path in it.
func (c *Chart) chartOf(name string) (render.ChartInfo, string) {
	var best render.ChartInfo
	for _, ci := range c.res.Charts {
		if strings.HasPrefix(name, ci.Path+"/") && len(ci.Path) > len(best.Path) {
			best = ci
		}
	}
	return best, strings.TrimPrefix(name, best.Path+"/")
}

// source returns the template's text as a file findings can point at;
// nil when the chart came from an archive.
func (c *Chart) source(name string) *loader.Source {
	src, ok := c.srcs[name]
	if !ok {
		if ci, rel := c.chartOf(name); ci.Dir != "" {
			src = loader.NewSource(c.Display(filepath.Join(ci.Dir, filepath.FromSlash(rel))), []byte(c.res.Templates[name]))
		}
		c.srcs[name] = src
	}
	return src
}

// Manifest is one rendered template, ready for tracing.
type Manifest struct {
	c   *Chart
	set *render.HelmSetResult
	m   render.Manifest
	tr  *tracer // made by tracer on the first finding
}

// Manifest prepares a rendered template of set for tracing.
func (c *Chart) Manifest(set *render.HelmSetResult, m render.Manifest) *Manifest {
	return &Manifest{c: c, set: set, m: m}
}

// tracer parses the template and matches the rendered text to it, on the
// first finding: most rendered templates have none, and parsing a
// template (a regular expression per line) and matching it cost as much
// as rendering the chart.
func (m *Manifest) tracer() *tracer {
	if m.tr == nil {
		c := m.c
		m.tr = newTracer(c.template(m.m.Template), c.source(m.m.Template), strings.Split(m.m.Content, "\n"))
		m.tr.files = c.files
		ci, _ := c.chartOf(m.m.Template)
		m.tr.values = c.valuesSources(ci, m.set.Set)
		m.tr.helpers = func() *helpers { return c.helpersOf(ci) }
	}
	return m.tr
}

// valuesSources lists where a chart's values come from, highest
// precedence first: --set, the set's files, then the values.yaml of each
// chart from the root down to the chart itself.
func (c *Chart) valuesSources(ci render.ChartInfo, set render.ValuesSet) []valuesSource {
	prefix := make([]step, len(ci.ValuesKey))
	for i, k := range ci.ValuesKey {
		prefix[i] = keyStep(k)
	}
	out := []valuesSource{{set: set.Set, prefix: prefix}}
	for i := len(set.Files) - 1; i >= 0; i-- {
		out = append(out, valuesSource{path: set.Files[i], display: c.Display(set.Files[i]), prefix: prefix})
	}
	for _, a := range c.res.Charts {
		if a.Dir == "" || len(a.ValuesKey) > len(ci.ValuesKey) || !strings.HasPrefix(ci.Path+"/", a.Path+"/") {
			continue
		}
		p := filepath.Join(a.Dir, "values.yaml")
		out = append(out, valuesSource{path: p, display: c.Display(p), prefix: prefix[len(a.ValuesKey):]})
	}
	return out
}

// helpersOf returns the helper templates of chart ci, in name order.
func (c *Chart) helpersOf(ci render.ChartInfo) *helpers {
	if h, ok := c.helpers[ci.Path]; ok {
		return h
	}
	var partials []templateFile
	for _, name := range slices.Sorted(maps.Keys(c.res.Templates)) {
		if owner, _ := c.chartOf(name); owner.Path != ci.Path || !strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		if src := c.source(name); src != nil {
			partials = append(partials, templateFile{tmpl: c.template(name), src: src})
		}
	}
	h := newHelpers(partials)
	c.helpers[ci.Path] = h
	return h
}

// Trace moves a finding on the manifest's rendered text (file is the
// manifest as loaded) to its source.
func (m *Manifest) Trace(file *loader.File, f rules.Finding) rules.Finding {
	rv := renderedAt(file, f)
	tr := m.tracer()
	loc := tr.trace(rv)
	r := &rules.Rendered{Tool: "helm", Input: m.c.display, ValuesSets: []string{m.set.Set.Name}, Template: m.m.Template}
	f.Message = renumber(f.Message, func(line int) string {
		// A line of the rendered output named in the message (the
		// first of two duplicate keys): its source, when found exactly.
		if line < 1 || line > len(tr.lines) {
			return ""
		}
		text := tr.lines[line-1]
		trimmed := strings.TrimLeft(text, " ")
		other := renderedValue{line: line, col: len(text) - len(trimmed) + 1, text: strings.TrimSpace(text), objLine: rv.objLine}
		other.value = other.text
		if l := tr.trace(other); l.src != nil && !l.approximate {
			if loc.src != nil && l.src.Name == loc.src.Name {
				// The finding's own file: its line is enough.
				return fmt.Sprintf("line %d", l.rng.Start.Line)
			}
			return fmt.Sprintf("%s:%d", l.src.Name, l.rng.Start.Line)
		}
		return ""
	})
	if loc.src == nil {
		// The template is inside an archive: point at the chart's
		// dependency entry in Chart.yaml.
		ci, rel := m.c.chartOf(m.m.Template)
		loc = m.c.archiveLoc(ci)
		loc.note = fmt.Sprintf("the object comes from %s in the packaged subchart %s, which has no file to edit", rel, m.c.Display(ci.Archive))
	}
	return apply(f, file.Source, loc, r)
}

// archiveLoc points at Chart.yaml of the root chart, for a subchart read
// from an archive.
func (c *Chart) archiveLoc(ci render.ChartInfo) location {
	p := filepath.Join(c.root, "Chart.yaml")
	f := c.files.get(p, c.Display(p))
	if f == nil {
		return location{approximate: true}
	}
	name := ci.Path[strings.LastIndex(ci.Path, "/")+1:]
	line := 1
	if deps := f.root().Get("dependencies"); deps != nil {
		for _, d := range deps.Content {
			if n := d.Get("alias"); n != nil && n.Value == name {
				line = d.Line
			} else if n := d.Get("name"); n != nil && n.Value == name && line == 1 {
				line = d.Line
			}
		}
	}
	return location{src: f.src, rng: lineRange(f.src, line), approximate: true}
}

// helmErrAt is the position in Helm's messages ("execution error at
// (demo/templates/job.yaml:11:52): …"): the finding's position says it.
var helmErrAt = lazyRegexp(` at \([^()\s]+:\d+(?::\d+)?\)`)

// helmErrLead is the position that starts Helm's other messages
// ("template: demo/templates/x.yaml:4:18: executing …"), also said by the
// finding's position.
var helmErrLead = lazyRegexp(`^(?:template: )?[^\s:]+:\d+(?::\d+)?:? `)

// ErrorFinding is a template that failed to render, at the position Helm
// reports in the template.
func (c *Chart) ErrorFinding(set *render.HelmSetResult, e render.TemplateError) rules.Finding {
	f := rules.Finding{Rule: rules.RenderFailed, Severity: rules.RenderFailed.Severity,
		Message: "the chart does not render: " + helmErrLead().ReplaceAllString(helmErrAt().ReplaceAllString(e.Message, ""), "")}
	r := &rules.Rendered{Tool: "helm", Input: c.display, ValuesSets: []string{set.Set.Name}, Template: e.Template}
	src := (*loader.Source)(nil)
	if e.Template != "" {
		src = c.source(e.Template)
		if ci, rel := c.chartOf(e.Template); src == nil && ci.Archive != "" {
			// The template is inside a packaged subchart: point at its
			// dependency in Chart.yaml, as for its findings.
			loc := c.archiveLoc(ci)
			if loc.src != nil {
				r.Approximate = true
				at := rel
				if e.Line > 0 {
					// The line still helps whoever reads the
					// subchart's source upstream.
					at = fmt.Sprintf("%s:%d", rel, e.Line)
					if e.Col > 0 {
						at += fmt.Sprintf(":%d", e.Col)
					}
				}
				r.Note = fmt.Sprintf("the template is %s in the packaged subchart %s, which has no file to edit", at, c.Display(ci.Archive))
				f.File, f.Source, f.Range, f.Rendered = loc.src.Name, loc.src, loc.rng, r
				return f
			}
		}
	}
	if src == nil {
		p := filepath.Join(c.root, "Chart.yaml")
		if fl := c.files.get(p, c.Display(p)); fl != nil {
			src = fl.src
		} else {
			src = loader.NewSource(c.display, nil)
		}
		r.Approximate = true
		r.Note = "Helm names no template file for this error"
	}
	line, col := max(e.Line, 1), max(e.Col, 1)
	start := src.PosAt(line, col)
	if e.Col == 0 {
		start = src.PosAt(line, 1+len(src.Line(line))-len(strings.TrimLeft(src.Line(line), " \t")))
	}
	end := src.PosOfOffset(start.Offset + len(strings.TrimRight(src.Line(line), " \t\r")) - (start.Col - 1))
	if end.Offset < start.Offset {
		end = start
	}
	f.File, f.Source, f.Range, f.Rendered = src.Name, src, loader.Range{Start: start, End: end}, r
	return f
}

// renderedAt describes what a finding points at in a loaded rendered file.
func renderedAt(file *loader.File, f rules.Finding) renderedValue {
	src := file.Source
	rv := renderedValue{line: f.Range.Start.Line, objLine: 1}
	lineStart := src.PosAt(f.Range.Start.Line, 1).Offset
	rv.col = f.Range.Start.Offset - lineStart + 1
	end := f.Range.End.Offset
	if f.Range.End.Line != f.Range.Start.Line {
		end = lineStart + len(src.Line(f.Range.Start.Line))
	}
	rv.text = string(src.Data[f.Range.Start.Offset:max(end, f.Range.Start.Offset)])
	rv.value = rv.text
	for _, o := range file.Objects {
		if o.Doc != f.Object.Doc || o.Item != f.Object.Item || o.Root == nil {
			continue
		}
		rv.objLine = o.Root.Line
		if p, n, atKey := nodeAt(o.Root, f.Range.Start.Line, f.Range.Start.Col); n != nil {
			rv.path, rv.value, rv.atKey = p, n.Value, atKey
		}
	}
	return rv
}

// lineRef is how messages name another line of the same file ("repeats
// the value it has at line 14").
var lineRef = lazyRegexp(`\bat line (\d+)\b`)

// renumber rewrites the lines of the rendered output that a message names
// as where they came from (source returns "FILE:LINE", "line N" in the
// finding's own file, or "" when it cannot tell): a line number of the rendered output names a line that exists
// nowhere.
func renumber(msg string, source func(line int) string) string {
	return lineRef().ReplaceAllStringFunc(msg, func(ref string) string {
		n, _ := strconv.Atoi(lineRef().FindStringSubmatch(ref)[1])
		if where := source(n); where != "" {
			return "at " + where
		}
		return ref + " of the rendered output"
	})
}

// apply moves a finding to a traced location.
//
// A fix on rendered output becomes display-only: its edit was written for
// the rendered text (its quoting, its context), not for the template or
// values file the position points into, so --fix never applies it there,
// and SARIF does not offer it.
func apply(f rules.Finding, rendered *loader.Source, loc location, r *rules.Rendered) rules.Finding {
	r.Via, r.Approximate, r.Note = loc.via, loc.approximate, loc.note
	f.Rendered = r
	if f.Fix != nil {
		fix := *f.Fix
		fix.Applicability = rules.DisplayOnly
		f.Fix = &fix
	}
	if loc.src == nil {
		// Nothing better than the rendered position: keep it.
		f.Source = rendered
		return f
	}
	orig := f.Range
	f.File, f.Source, f.Range = loc.src.Name, loc.src, loc.rng
	if f.Fix != nil {
		fix := *f.Fix
		fix.Edits = nil
		if loc.exact {
			for _, e := range f.Fix.Edits {
				if e.Range == orig {
					fix.Edits = append(fix.Edits, rules.Edit{Range: loc.rng, New: e.New})
				}
			}
		}
		f.Fix = &fix
	}
	return f
}
