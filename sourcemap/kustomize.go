package sourcemap

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/rules"
)

// Kustomization is what dapilint reads of a kustomization file: the files
// it names, and its patches.
type Kustomization struct {
	Dir, File string
	// Component is set for kind: Component, which is only built as part
	// of a kustomization that names it.
	Component bool
	// Resources and Components are the paths named, resolved (files or
	// directories; remote ones are left out).
	Resources, Components []string
	Patches               []Patch
	// Inputs are the other local files it reads (generator sources,
	// replacements, configurations).
	Inputs []string
	// DisabledPatches are the files named by commented-out entries of its
	// patch lists (see disabledPatches).
	DisabledPatches []string
	file            *file
}

// Patch is one patch of a kustomization.
type Patch struct {
	// Path is the patch file, "" for a patch written in the
	// kustomization file.
	Path string
	// Inline is the patch text node, for inline patches.
	Inline *loader.Node
	// Target selects the objects patched; nil means the patch's own
	// kind and name (strategic merge).
	Target *Target
}

// Target is a patch target.
type Target struct {
	Kind, Name, Namespace string
	// namePattern is Name as kustomize matches it, a whole-name regular
	// expression; nil when Name is not one.
	namePattern *regexp.Regexp
}

// ReadKustomization reads the kustomization file in dir.
func ReadKustomization(dir string) (*Kustomization, error) {
	path := render.FindKustomization(dir)
	if path == "" {
		return nil, fmt.Errorf("no kustomization file in %s", dir)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k := &Kustomization{Dir: dir, File: path, DisabledPatches: disabledPatches(dir, data)}
	k.file = &file{src: loader.NewSource(path, data), docs: loader.Documents(data)}
	root := k.file.root()
	if root == nil || root.Kind != loader.MappingNode {
		return k, nil
	}
	k.Component = scalar(root.Get("kind")) == "Component"
	local := func(ref string) (string, bool) {
		if strings.Contains(ref, "://") || strings.Contains(ref, "?ref=") || strings.HasPrefix(ref, "git@") {
			return "", false
		}
		if !filepath.IsAbs(ref) {
			ref = filepath.Join(dir, ref)
		}
		return filepath.Clean(ref), true
	}
	for _, key := range []string{"resources", "bases"} {
		for _, n := range seqOf(root.Get(key)) {
			if p, ok := local(scalar(n)); ok {
				k.Resources = append(k.Resources, p)
			}
		}
	}
	for _, n := range seqOf(root.Get("components")) {
		if p, ok := local(scalar(n)); ok {
			k.Components = append(k.Components, p)
		}
	}
	for _, n := range seqOf(root.Get("patchesStrategicMerge")) {
		if n.Kind == loader.ScalarNode && !strings.Contains(n.Value, "\n") && !strings.Contains(n.Value, ":") {
			p, _ := local(n.Value)
			k.Patches = append(k.Patches, Patch{Path: p})
		} else {
			k.Patches = append(k.Patches, Patch{Inline: n})
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, n := range seqOf(root.Get(key)) {
			var pt Patch
			if s := scalar(n.Get("path")); s != "" {
				pt.Path, _ = local(s)
			} else if pn := n.Get("patch"); pn != nil {
				pt.Inline = pn
			} else {
				continue
			}
			if t := n.Get("target"); t != nil {
				pt.Target = &Target{Kind: scalar(t.Get("kind")), Name: scalar(t.Get("name")), Namespace: scalar(t.Get("namespace"))}
				if pt.Target.Name != "" {
					pt.Target.namePattern, _ = regexp.Compile("^(?:" + pt.Target.Name + ")$")
				}
			}
			k.Patches = append(k.Patches, pt)
		}
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range seqOf(root.Get(key)) {
			for _, fk := range []string{"files", "envs"} {
				for _, n := range seqOf(g.Get(fk)) {
					s := scalar(n)
					if _, after, ok := strings.Cut(s, "="); ok && fk == "files" {
						s = after
					}
					if p, ok := local(s); ok {
						k.Inputs = append(k.Inputs, p)
					}
				}
			}
			if p, ok := local(scalar(g.Get("env"))); ok && scalar(g.Get("env")) != "" {
				k.Inputs = append(k.Inputs, p)
			}
		}
	}
	for _, key := range []string{"replacements"} {
		for _, n := range seqOf(root.Get(key)) {
			if s := scalar(n.Get("path")); s != "" {
				p, _ := local(s)
				k.Inputs = append(k.Inputs, p)
			}
		}
	}
	for _, key := range []string{"configurations", "crds", "generators", "transformers", "validators"} {
		for _, n := range seqOf(root.Get(key)) {
			if n.Kind == loader.ScalarNode {
				if p, ok := local(n.Value); ok {
					k.Inputs = append(k.Inputs, p)
				}
			}
		}
	}
	return k, nil
}

func scalar(n *loader.Node) string {
	if n == nil || n.Kind != loader.ScalarNode {
		return ""
	}
	return n.Value
}

func seqOf(n *loader.Node) []*loader.Node {
	if n == nil || n.Kind != loader.SequenceNode {
		return nil
	}
	return n.Content
}

// Build traces findings on a built kustomization.
type Build struct {
	root, display string
	files         *Files
	// kusts are the kustomizations of the build, the root first; a
	// kustomization's patches apply after those of the bases it names.
	// Their files are named as findings name them.
	kusts []*Kustomization
	// inline are the patches written in a kustomization file, parsed
	// once each.
	inline map[*loader.Node]*patchFile
}

// NewBuild prepares tracing for the kustomization in dir (resolved),
// named display in findings.
func NewBuild(dir, display string) *Build {
	b := &Build{root: dir, display: display, files: NewFiles(), inline: map[*loader.Node]*patchFile{}}
	seen := map[string]bool{}
	var visit func(d string)
	visit = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		k, err := ReadKustomization(d)
		if err != nil {
			return
		}
		k.file.src.Name = b.Display(k.File)
		b.kusts = append(b.kusts, k)
		for _, r := range append(append([]string{}, k.Resources...), k.Components...) {
			if st, err := os.Stat(r); err == nil && st.IsDir() {
				visit(r)
			}
		}
	}
	visit(dir)
	return b
}

// Display names a path as findings name it.
func (b *Build) Display(p string) string {
	if rel, err := filepath.Rel(b.root, p); err == nil {
		return filepath.Join(b.display, rel)
	}
	return p
}

// KustomizationFile is the root kustomization file, as findings name it.
func (b *Build) KustomizationFile() *loader.Source {
	if len(b.kusts) == 0 {
		return loader.NewSource(b.display, nil)
	}
	return b.kusts[0].file.src
}

// Trace moves a finding on a built object (file is the object as loaded)
// to the resource or patch file that wrote the value.
func (b *Build) Trace(res render.Resource, file *loader.File, f rules.Finding) rules.Finding {
	rv := renderedAt(file, f)
	r := &rules.Rendered{Tool: "kustomize", Input: b.display}
	f.Message = renumber(f.Message, func(int) string { return "" })
	var obj *loader.Object
	for _, o := range file.Objects {
		if o.Doc == f.Object.Doc && o.Item == f.Object.Item {
			obj = o
		}
	}
	if obj == nil {
		// A document dapilint does not lint as an object (a kind or
		// version the API server does not serve): its fields are still
		// those of its resource file.
		if loc, ok := b.inOrigin(res, file, f); ok {
			return apply(f, file.Source, loc, r)
		}
	}
	if obj == nil || rv.path == nil && !rv.atKey && rv.value == "" {
		return apply(f, file.Source, b.kustLoc("the finding is not on a field of the object"), r)
	}
	if loc, ok := b.fromPatches(obj, rv); ok {
		return apply(f, file.Source, loc, r)
	}
	if res.Origin == "" {
		why := "the object is generated"
		if res.ConfiguredIn != "" {
			why += " by " + res.ConfiguredIn
		}
		return apply(f, file.Source, b.kustLoc(why), r)
	}
	path := filepath.Join(b.root, filepath.FromSlash(res.Origin))
	src := b.files.get(path, b.Display(path))
	if src == nil {
		return apply(f, file.Source, b.kustLoc("its resource file "+res.Origin+" cannot be read"), r)
	}
	doc := findObject(src.docs, obj)
	if doc == nil {
		return apply(f, file.Source, b.kustLoc("the object is not found by kind and name in "+res.Origin), r)
	}
	n, key, ok := follow(obj.Root, doc, rv.path)
	loc := location{src: src.src}
	switch {
	case ok && rv.atKey && key != nil:
		loc.rng, loc.exact = src.src.NodeRange(key), key.Value == rv.text
	case ok && !rv.atKey && n != nil && (n.Kind != loader.ScalarNode || n.Value == rv.value):
		loc.rng, loc.exact = src.src.NodeRange(n), n.Value == rv.text
	default:
		at := n
		if key != nil {
			at = key
		}
		if at == nil {
			at = doc
		}
		loc.rng = src.src.NodeRange(at)
		loc.approximate = true
		loc.note = "the build changed this field (a patch, a transformer or a replacement), and no patch file of the kustomization sets it; this is the nearest field of the resource file"
	}
	return apply(f, file.Source, loc, r)
}

// kustLoc points at the root kustomization file, approximately.
func (b *Build) kustLoc(why string) location {
	src := b.KustomizationFile()
	return location{src: src, rng: lineRange(src, 1), approximate: true, note: why}
}

// inOrigin finds a finding's field in the resource file of a built
// document that is not an object dapilint lints: the document of the same
// kind and name, then the same path.
func (b *Build) inOrigin(res render.Resource, rendered *loader.File, f rules.Finding) (location, bool) {
	docs := loader.Documents(rendered.Source.Data)
	if len(docs) != 1 || docs[0] == nil {
		return location{}, false
	}
	built := docs[0]
	want := &loader.Object{Kind: scalar(built.Get("kind")), Name: scalar(built.Get("metadata").Get("name"))}
	// The resource file kustomize recorded; it records none for the
	// resources of components: then the one resource file of the build
	// that has the object.
	var paths []string
	if res.Origin != "" {
		paths = []string{filepath.Join(b.root, filepath.FromSlash(res.Origin))}
	} else {
		for _, k := range b.kusts {
			for _, r := range k.Resources {
				if st, err := os.Stat(r); err == nil && !st.IsDir() {
					paths = append(paths, r)
				}
			}
		}
	}
	var src *file
	var doc *loader.Node
	for _, path := range paths {
		fl := b.files.get(path, b.Display(path))
		if fl == nil {
			continue
		}
		if d := findObject(fl.docs, want); d != nil {
			if doc != nil {
				return location{}, false // in two files: cannot tell
			}
			src, doc = fl, d
		}
	}
	if doc == nil {
		return location{}, false
	}
	p, n, atKey := nodeAt(built, f.Range.Start.Line, f.Range.Start.Col)
	if n == nil {
		return location{}, false
	}
	value, key, ok := follow(built, doc, p)
	switch {
	case ok && atKey && key != nil:
		return location{src: src.src, rng: src.src.NodeRange(key), exact: key.Value == n.Value}, true
	case ok && !atKey && value != nil && value.Kind == loader.ScalarNode && value.Value == n.Value:
		return location{src: src.src, rng: src.src.NodeRange(value), exact: true}, true
	}
	return location{}, false
}

// findObject finds the document of a resource file that became obj: same
// kind, and a name the build's prefix and suffix grew from.
func findObject(docs []*loader.Node, obj *loader.Object) *loader.Node {
	var byKind *loader.Node
	for _, d := range docs {
		if d == nil || scalar(d.Get("kind")) != obj.Kind {
			continue
		}
		name := scalar(d.Get("metadata").Get("name"))
		if name == obj.Name {
			return d
		}
		if name != "" && strings.Contains(obj.Name, name) {
			byKind = d
		}
	}
	return byKind
}

// mergeKeys are the fields that identify list items in strategic merge
// patches of pod specs, in the order tried.
var mergeKeys = []string{"name", "mountPath", "containerPort", "devicePath", "path", "key", "ip", "topologyKey"}

// follow walks a path from the built object's root through the same
// object in a source document, matching list items by merge key as
// strategic merge patches do. ok is false when the path leaves the source.
func follow(built, src *loader.Node, path []step) (value, key *loader.Node, ok bool) {
	b, s := built, src
	for _, st := range path {
		if b == nil || s == nil {
			return s, key, false
		}
		switch {
		case st.index >= 0:
			if b.Kind != loader.SequenceNode || s.Kind != loader.SequenceNode || st.index >= len(b.Content) {
				return s, key, false
			}
			be := b.Content[st.index]
			se := matchItem(be, s.Content)
			if se == nil {
				return s, key, false
			}
			b, s, key = be, se, nil
		default:
			nb, ns := b.Get(st.key), s.Get(st.key)
			k := s.KeyNode(st.key)
			if ns == nil {
				return s, key, false
			}
			b, s, key = nb, ns, k
		}
	}
	return s, key, true
}

// matchItem finds the item of a source list that is the built item.
func matchItem(built *loader.Node, items []*loader.Node) *loader.Node {
	if built.Kind == loader.ScalarNode {
		for _, it := range items {
			if it.Kind == loader.ScalarNode && it.Value == built.Value {
				return it
			}
		}
		return nil
	}
	for _, mk := range mergeKeys {
		want := built.Get(mk)
		if want == nil || want.Kind != loader.ScalarNode {
			continue
		}
		for _, it := range items {
			if v := it.Get(mk); v != nil && v.Kind == loader.ScalarNode && v.Value == want.Value {
				return it
			}
		}
		return nil
	}
	return nil
}

// fromPatches finds the patch that set the value, the last applied
// first.
func (b *Build) fromPatches(obj *loader.Object, rv renderedValue) (location, bool) {
	for _, k := range b.kusts {
		for i := len(k.Patches) - 1; i >= 0; i-- {
			p := k.Patches[i]
			pf := b.patchText(k, p)
			if pf == nil {
				continue
			}
			for _, d := range pf.docs {
				if d == nil {
					continue
				}
				var n, key *loader.Node
				var ok bool
				if d.Kind == loader.SequenceNode {
					n, key, ok = followJSONPatch(obj.Root, d, rv.path)
				} else {
					if !targets(p.Target, d, obj) {
						continue
					}
					n, key, ok = follow(obj.Root, d, rv.path)
				}
				if !ok {
					continue
				}
				at := n
				if rv.atKey {
					at = key
				}
				if at == nil || (!rv.atKey && at.Kind == loader.ScalarNode && at.Value != rv.value) || (rv.atKey && at.Value != rv.value) {
					continue
				}
				loc := location{src: pf.src, rng: pf.rangeOf(at), exact: at.Value == rv.text && p.Inline == nil}
				if p.Inline != nil {
					loc.note = "set by a patch written in " + b.Display(k.File)
				}
				return loc, true
			}
		}
	}
	return location{}, false
}

// patchFile is the text of a patch: the file it is written in, its
// documents, and the range of a node of those documents in that file (an
// inline patch sits in a block scalar of the kustomization file,
// indented).
type patchFile struct {
	src     *loader.Source
	docs    []*loader.Node
	rangeOf func(*loader.Node) loader.Range
}

// patchText returns the text of patch p of kustomization k; nil when it
// cannot be read.
func (b *Build) patchText(k *Kustomization, p Patch) *patchFile {
	if p.Path != "" {
		f := b.files.get(p.Path, b.Display(p.Path))
		if f == nil {
			return nil
		}
		return &patchFile{f.src, f.docs, f.src.NodeRange}
	}
	n := p.Inline
	if pf, ok := b.inline[n]; ok {
		return pf
	}
	pf := inlinePatch(k.file.src, n)
	b.inline[n] = pf
	return pf
}

// inlinePatch parses a patch written in kustomization file kf at node n.
func inlinePatch(kf *loader.Source, n *loader.Node) *patchFile {
	switch {
	case n == nil:
		return nil
	case n.Kind == loader.MappingNode:
		return &patchFile{kf, []*loader.Node{n}, kf.NodeRange}
	case n.Kind != loader.ScalarNode || (n.Style != loader.Literal && n.Style != loader.Folded):
		return nil
	}
	// A block scalar's text starts on the next line, indented.
	firstLine := n.Line + 1
	indent := len(kf.Line(firstLine)) - len(strings.TrimLeft(kf.Line(firstLine), " "))
	inner := loader.NewSource(kf.Name, []byte(n.Value))
	rangeOf := func(x *loader.Node) loader.Range {
		r := inner.NodeRange(x)
		return loader.Range{
			Start: kf.PosAt(r.Start.Line+firstLine-1, r.Start.Col+indent),
			End:   kf.PosAt(r.End.Line+firstLine-1, r.End.Col+indent),
		}
	}
	return &patchFile{kf, loader.Documents([]byte(n.Value)), rangeOf}
}

// targets reports whether a strategic merge patch applies to obj.
func targets(t *Target, doc *loader.Node, obj *loader.Object) bool {
	kind, name := scalar(doc.Get("kind")), scalar(doc.Get("metadata").Get("name"))
	if t != nil {
		if t.Kind != "" {
			kind = t.Kind
		}
		if t.Name != "" {
			if t.namePattern != nil && t.namePattern.MatchString(obj.Name) {
				return kind == "" || kind == obj.Kind
			}
			name = t.Name
		} else {
			return kind == "" || kind == obj.Kind
		}
	}
	return kind == obj.Kind && name != "" && (name == obj.Name || strings.Contains(obj.Name, name))
}

// followJSONPatch finds, in a JSON 6902 patch, the add or replace
// operation whose value holds the path.
func followJSONPatch(built, ops *loader.Node, path []step) (value, key *loader.Node, ok bool) {
	for i := len(ops.Content) - 1; i >= 0; i-- {
		op := ops.Content[i]
		if o := scalar(op.Get("op")); o != "add" && o != "replace" {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(scalar(op.Get("path")), "/"), "/")
		if len(parts) > len(path) {
			continue
		}
		match := true
		b := built
		for j, part := range parts {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			st := path[j]
			switch {
			case st.index >= 0:
				n, err := strconv.Atoi(part)
				if part != "-" && (err != nil || n != st.index) {
					match = false
				}
				if b != nil && b.Kind == loader.SequenceNode && st.index < len(b.Content) {
					b = b.Content[st.index]
				}
			default:
				if part != st.key {
					match = false
				}
				b = b.Get(st.key)
			}
			if !match {
				break
			}
		}
		if !match {
			continue
		}
		v := op.Get("value")
		if len(parts) == len(path) {
			return v, op.KeyNode("value"), true
		}
		if n, k, ok := follow(b, v, path[len(parts):]); ok {
			return n, k, true
		}
	}
	return nil, nil, false
}

// missingFile finds, in a kustomize error, the local file it could not
// read: "evalsymlink failure on '/x/.env'", "lstat /x/.env: no such file",
// "names \"x.yaml\", which does not exist".
var missingFile = lazyRegexp(`evalsymlink failure on '([^']+)'|lstat ([^:]+): no such file|names "([^"]+)", which does not exist|open ([^:]+): no such file`)

// BuildError is a kustomization that does not build. When kustomize names
// a file it cannot find, the finding points at the line of the
// kustomization (the root one or a base) that names that file, and the
// message says only that, so that every kustomization built on the same
// broken base reports the same finding, once; otherwise it points at the
// root kustomization file's first line, approximately.
func (b *Build) BuildError(err error) (src *loader.Source, rng loader.Range, message string, approximate bool) {
	msg := err.Error()
	if m := missingFile().FindStringSubmatch(msg); m != nil {
		missing := cmp.Or(m[1], m[2], m[3], m[4])
		for _, k := range b.kusts {
			p := missing
			if !filepath.IsAbs(p) {
				p = filepath.Join(k.Dir, p)
			}
			if n := k.names(p); n != nil {
				s := k.file.src
				return s, s.NodeRange(n), fmt.Sprintf("the kustomization does not build: %s names %q, which does not exist", s.Name, n.Value), false
			}
		}
	}
	loc := b.kustLoc("")
	return loc.src, loc.rng, "the kustomization does not build: " + msg, true
}

// names returns the node of the kustomization file whose value names the
// file p (a resource, patch, generator source, …), or nil.
func (k *Kustomization) names(p string) *loader.Node {
	var found *loader.Node
	var walk func(n *loader.Node)
	walk = func(n *loader.Node) {
		if n == nil || found != nil {
			return
		}
		if n.Kind == loader.ScalarNode {
			cands := []string{n.Value}
			if _, file, ok := strings.Cut(n.Value, "="); ok {
				cands = append(cands, file) // a generator's "key=file"
			}
			for _, v := range cands {
				if !strings.Contains(v, "\n") && realPath(filepath.Join(k.Dir, v)) == realPath(p) {
					found = n
				}
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(k.file.root())
	return found
}

// realPath is p absolute, with the links of its directory resolved (the
// file itself may not exist): kustomize's errors name files by their real
// path.
func realPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		p = a
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(d, filepath.Base(p))
	}
	return filepath.Clean(p)
}

// commentedPatch matches a commented-out entry of a patch list, as
// kubebuilder's scaffolding leaves them: "#- manager_webhook_patch.yaml",
// "#- path: patches/webhook_in_x.yaml", "#  path: x.yaml".
var commentedPatch = lazyRegexp(`^\s*#+\s*(?:-\s*)?(?:path:\s*)?([\w./-]+\.ya?ml)\s*$`)

// topKey matches a top-level key of a kustomization, or a commented-out
// one.
var topKey = lazyRegexp(`^#*\s?([A-Za-z0-9]+):`)

// disabledPatches lists the files that commented-out entries of the
// kustomization's patch lists name: patches switched off, which are never
// linted as objects of their own either.
func disabledPatches(dir string, data []byte) []string {
	var out []string
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		if m := topKey().FindStringSubmatch(line); m != nil && !strings.HasPrefix(strings.TrimLeft(line, "#"), " ") {
			section = m[1]
		}
		switch section {
		case "patches", "patchesStrategicMerge", "patchesJson6902":
		default:
			continue
		}
		if m := commentedPatch().FindStringSubmatch(line); m != nil {
			out = append(out, filepath.Clean(filepath.Join(dir, m[1])))
		}
	}
	return out
}
