package sourcemap

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// Stream traces findings on a `helm template` stream to the templates its
// "# Source: chart/templates/x.yaml" comments name, when those are files
// under the working directory.
type Stream struct {
	name     string
	segments []segment
	resolve  func(string) string
	files    *Files
	tracers  map[int]*tracer
	// The templates and the charts' helpers, by template path and by
	// chart directory, read once each.
	tmpls   map[string]*templateFile
	helpers map[string]*helpers
}

type segment struct {
	template    string
	first, last int // the stream's lines (1-based) of the template's output
}

const sourcePrefix = "# Source: "

// NewStream reads the "# Source:" comments of a stream; nil when it has
// none. resolve turns a template path into the path to read.
func NewStream(file *loader.File, resolve func(string) string) *Stream {
	src := file.Source
	s := &Stream{name: src.Name, resolve: resolve, files: NewFiles(), tracers: map[int]*tracer{},
		tmpls: map[string]*templateFile{}, helpers: map[string]*helpers{}}
	n := src.LineCount()
	for i := 1; i <= n; i++ {
		line := src.Line(i)
		if name, ok := strings.CutPrefix(line, sourcePrefix); ok {
			s.segments = append(s.segments, segment{template: strings.TrimSpace(name), first: i + 1, last: n})
			continue
		}
		if strings.HasPrefix(line, "---") && len(s.segments) > 0 && s.segments[len(s.segments)-1].last == n {
			s.segments[len(s.segments)-1].last = i - 1
		}
	}
	if len(s.segments) == 0 {
		return nil
	}
	return s
}

// Trace moves a finding on the stream to the template that wrote it.
func (s *Stream) Trace(file *loader.File, f rules.Finding) rules.Finding {
	line := f.Range.Start.Line
	k := -1
	for i, seg := range s.segments {
		if line >= seg.first && line <= seg.last {
			k = i
		}
	}
	if k < 0 {
		return f
	}
	seg := s.segments[k]
	r := &rules.Rendered{Tool: "helm", Input: s.name, Template: seg.template}
	tr := s.tracer(k, file.Source)
	if tr == nil {
		r.Approximate = true
		r.Note = "rendered from " + seg.template + ", which is not a file under the working directory, so the position is the stream's"
		f.Rendered = r
		return f
	}
	rv := renderedAt(file, f)
	rv.line -= seg.first - 1
	rv.objLine -= seg.first - 1
	loc := tr.trace(rv)
	if loc.via != "" || (loc.src != nil && loc.src != tr.tmplSrc) {
		loc.note = strings.TrimPrefix(loc.note+"; ", "; ") + "values as in the chart's values.yaml: the stream does not say which values it was rendered with"
	}
	return apply(f, file.Source, loc, r)
}

func (s *Stream) tracer(k int, src *loader.Source) *tracer {
	if tr, ok := s.tracers[k]; ok {
		return tr
	}
	seg := s.segments[k]
	tf := s.template(seg.template)
	if tf == nil {
		s.tracers[k] = nil
		return nil
	}
	var lines []string
	for i := seg.first; i <= seg.last; i++ {
		lines = append(lines, src.Line(i))
	}
	tr := newTracer(tf.tmpl, tf.src, lines)
	tr.files = s.files
	if i := strings.LastIndex(seg.template, "/templates/"); i >= 0 {
		chartDir := seg.template[:i]
		vp := filepath.FromSlash(chartDir + "/values.yaml")
		tr.values = []valuesSource{{path: s.resolve(vp), display: vp}}
		tr.helpers = func() *helpers { return s.helpersOf(chartDir) }
	}
	s.tracers[k] = tr
	return tr
}

// template reads and parses a template the stream names, once (a template
// that writes several documents has a segment for each); nil when it is
// not a file.
func (s *Stream) template(name string) *templateFile {
	if tf, ok := s.tmpls[name]; ok {
		return tf
	}
	var tf *templateFile
	if data, err := os.ReadFile(s.resolve(filepath.FromSlash(name))); err == nil {
		tf = &templateFile{tmpl: parseTemplate(name, data), src: loader.NewSource(filepath.FromSlash(name), data)}
	}
	s.tmpls[name] = tf
	return tf
}

// helpersOf reads and parses the helper templates of the chart in
// chartDir, once.
func (s *Stream) helpersOf(chartDir string) *helpers {
	if h, ok := s.helpers[chartDir]; ok {
		return h
	}
	var partials []templateFile
	matches, _ := filepath.Glob(filepath.Join(s.resolve(filepath.FromSlash(chartDir)), "templates", "_*"))
	for _, m := range matches {
		if data, err := os.ReadFile(m); err == nil {
			rel := filepath.Join(filepath.FromSlash(chartDir), "templates", filepath.Base(m))
			partials = append(partials, templateFile{tmpl: parseTemplate(rel, data), src: loader.NewSource(rel, data)})
		}
	}
	h := newHelpers(partials)
	s.helpers[chartDir] = h
	return h
}
