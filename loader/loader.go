// Package loader reads Kubernetes manifests (YAML or JSON, one or many
// documents, List objects) into typed k8s.io/api objects that keep the
// source position of every field, so that findings can point at the exact
// file:line:column.
//
// Each document is parsed once into a Node tree (by the block-YAML fast
// path, yaml.v3, or the JSON reader); the typed object is built from that
// tree (see decoder), and positions are recovered from it on demand (see
// Object.Locate). Stream hands a large file over one document at a time.
package loader

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// File is one loaded input file.
type File struct {
	Source *Source
	// Objects are the workloads found, in file order (List items in item
	// order).
	Objects []*Object
	// Problems are input errors that belong to no object: syntax errors,
	// and decode errors of documents whose object could not be built.
	Problems []FileProblem
	// Documents counts the non-empty documents (List items count one each);
	// Skipped counts those that carry no pod spec or are not Kubernetes
	// objects at all.
	Documents int
	Skipped   int
	// Directives are the comments addressed to dapilint ("# dapilint:…"),
	// in file order, with the part of the file each is attached to.
	Directives []Directive
	// SkippedDocs say which documents were skipped, and why.
	SkippedDocs []SkippedDoc

	workloads *Workloads

	roots []*Node     // the documents' root nodes, for Uses
	uses  map[Pos]int // see Uses; computed on first use
	// flowAt says which scalars are written in a flow collection (see
	// inFlow); computed the first time a fix needs it.
	flowAt map[Pos]bool
}

// SkippedDoc is a document (or List item) that carries no pod spec
// dapilint checks, and why.
type SkippedDoc struct {
	File             string
	Doc, Item        int // as in Object
	Line, Col        int
	APIVersion, Kind string
	Reason           string
}

// What names the skipped document: "document 2 (v1 ConfigMap)".
func (d SkippedDoc) What() string {
	what := fmt.Sprintf("document %d", d.Doc+1)
	if d.Item >= 0 {
		what = fmt.Sprintf("item %d of document %d", d.Item+1, d.Doc+1)
	}
	if d.Kind != "" {
		what += " (" + strings.TrimSpace(d.APIVersion+" "+d.Kind) + ")"
	}
	return what
}

// Options change how files are loaded.
type Options struct {
	// Workloads are the custom resources checked besides the built-in
	// kinds; nil means the built-in custom resources (BuiltinWorkloads).
	Workloads *Workloads
}

// FileProblem is a problem tied to a document but to no typed object.
type FileProblem struct {
	Problem
	Doc int // 0-based document index
}

// Object is one Kubernetes object that carries a pod spec.
type Object struct {
	File       *File
	Doc        int // 0-based index among the file's non-empty documents
	Item       int // index in a List's items, or -1
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	Root       *Node // the object's mapping node
	// Typed is a pointer to the k8s.io/api struct (*corev1.Pod,
	// *appsv1.Deployment, ...), built even when some fields were invalid.
	Typed any
	// Pods are the pod specs the object carries (one for every supported
	// kind).
	Pods []*PodTemplate
	// Problems are the input errors found while decoding this object.
	Problems []Problem
	// Workload is the declaration of a custom resource's pod templates;
	// nil for the built-in kinds. Typed is then a *CustomObject.
	Workload *Workload
}

// PodTemplate is a pod spec with its metadata and where both live.
type PodTemplate struct {
	Object   *Object
	MetaPath *field.Path
	SpecPath *field.Path
	Meta     *metav1.ObjectMeta
	Spec     *corev1.PodSpec
	// IsPod is true for a Pod itself (the API server defaults requests from
	// limits for Pods, not for templates).
	IsPod bool
	// ClaimVolumes are the names of a StatefulSet's volumeClaimTemplates:
	// the controller adds them to each pod as volumes, and the API server
	// accepts volumeMounts that name them.
	ClaimVolumes []string
	// MetaUnknown is true for a bare pod spec of a custom resource, whose
	// pods' metadata is somewhere dapilint does not know: Meta is empty,
	// and nothing may be concluded from it.
	MetaUnknown bool

	// Computed on first use by the walkers in walk.go.
	containers []ContainerRef
	env        []EnvRef
	files      []VolumeFileRef
	memo       map[any]any
}

type kindInfo struct {
	apiVersion string
	newObj     func() any
	pods       func(obj any) []*PodTemplate
}

func template(metaPath, specPath *field.Path, t *corev1.PodTemplateSpec) []*PodTemplate {
	if t == nil {
		return nil
	}
	return []*PodTemplate{{MetaPath: metaPath, SpecPath: specPath, Meta: &t.ObjectMeta, Spec: &t.Spec}}
}

var tmplMeta, tmplSpec = field.NewPath("spec", "template", "metadata"), field.NewPath("spec", "template", "spec")

// kinds lists the kinds that carry a pod spec, keyed by kind.
var kinds = map[string]kindInfo{
	"Pod": {"v1", func() any { return &corev1.Pod{} }, func(o any) []*PodTemplate {
		p := o.(*corev1.Pod)
		return []*PodTemplate{{MetaPath: field.NewPath("metadata"), SpecPath: field.NewPath("spec"), Meta: &p.ObjectMeta, Spec: &p.Spec, IsPod: true}}
	}},
	"PodTemplate": {"v1", func() any { return &corev1.PodTemplate{} }, func(o any) []*PodTemplate {
		return template(field.NewPath("template", "metadata"), field.NewPath("template", "spec"), &o.(*corev1.PodTemplate).Template)
	}},
	"ReplicationController": {"v1", func() any { return &corev1.ReplicationController{} }, func(o any) []*PodTemplate {
		return template(tmplMeta, tmplSpec, o.(*corev1.ReplicationController).Spec.Template)
	}},
	"Deployment": {"apps/v1", func() any { return &appsv1.Deployment{} }, func(o any) []*PodTemplate {
		return template(tmplMeta, tmplSpec, &o.(*appsv1.Deployment).Spec.Template)
	}},
	"ReplicaSet": {"apps/v1", func() any { return &appsv1.ReplicaSet{} }, func(o any) []*PodTemplate {
		return template(tmplMeta, tmplSpec, &o.(*appsv1.ReplicaSet).Spec.Template)
	}},
	"StatefulSet": {"apps/v1", func() any { return &appsv1.StatefulSet{} }, func(o any) []*PodTemplate {
		ss := o.(*appsv1.StatefulSet)
		pods := template(tmplMeta, tmplSpec, &ss.Spec.Template)
		for _, c := range ss.Spec.VolumeClaimTemplates {
			pods[0].ClaimVolumes = append(pods[0].ClaimVolumes, c.Name)
		}
		return pods
	}},
	"DaemonSet": {"apps/v1", func() any { return &appsv1.DaemonSet{} }, func(o any) []*PodTemplate {
		return template(tmplMeta, tmplSpec, &o.(*appsv1.DaemonSet).Spec.Template)
	}},
	"Job": {"batch/v1", func() any { return &batchv1.Job{} }, func(o any) []*PodTemplate {
		return template(tmplMeta, tmplSpec, &o.(*batchv1.Job).Spec.Template)
	}},
	"CronJob": {"batch/v1", func() any { return &batchv1.CronJob{} }, func(o any) []*PodTemplate {
		base := field.NewPath("spec", "jobTemplate", "spec", "template")
		return template(base.Child("metadata"), base.Child("spec"), &o.(*batchv1.CronJob).Spec.JobTemplate.Spec.Template)
	}},
}

// Load parses one file. It never fails: whatever is wrong with the input is
// recorded as a problem with its position.
func Load(name string, data []byte) *File {
	return LoadWith(name, data, Options{})
}

// LoadWith is Load with options.
func LoadWith(name string, data []byte, opts Options) *File {
	return load(name, data, opts, true, nil)
}

// Stream loads a file as LoadWith does, but one document at a time, so
// that a large file does not have every document's tree in memory at once:
// after each document it calls visit with the file, whose Objects, Problems
// and Directives then hold that document's only (they are dropped once
// visit returns, with the document's tree: keep nothing that points into
// them but what visit copies out). Documents, Skipped and SkippedDocs count
// on over the whole file. A directive above the file's first content
// (Directive.FileTop) covers the documents after its own: the caller keeps
// it.
func Stream(name string, data []byte, opts Options, visit func(f *File)) *File {
	return load(name, data, opts, true, visit)
}

// load is LoadWith, or Stream when visit is set; blockPath false parses
// every document with the full parser (tests and benchmarks compare the
// two paths).
func load(name string, data []byte, opts Options, blockPath bool, visit func(*File)) *File {
	// UTF-16 with a byte order mark is read as kubectl reads it.
	data, encoding := fromUTF16(data)
	f := &File{Source: NewSource(name, data), workloads: opts.Workloads}
	f.Source.Encoding = encoding
	if f.workloads == nil {
		f.workloads = defaultWorkloads
	}
	if p := binaryProblem(f.Source); p != nil {
		// Nothing of it is shown: its bytes are no text.
		f.Source.Binary = true
		f.Problems = append(f.Problems, FileProblem{Problem: *p})
		if visit != nil {
			visit(f)
			f.Problems = nil
		}
		return f
	}
	doc := 0
	// Directives are rare: only documents whose text mentions the marker
	// pay for finding them.
	anyDirective := bytes.Contains(data, directiveMarker)
	for i, raw := range splitDocuments(f.Source) {
		f.loadDocument(i, raw, &doc, anyDirective, blockPath)
		if visit != nil {
			if len(f.Objects)+len(f.Problems)+len(f.Directives) > 0 {
				visit(f)
			}
			// The document's tree, and what was worked out from it.
			f.Objects, f.Problems, f.Directives = nil, nil, nil
			f.roots, f.uses, f.flowAt = nil, nil, nil
		}
	}
	return f
}

// loadDocument loads the i-th document of the file; doc counts the
// non-empty documents.
func (f *File) loadDocument(i int, raw rawDoc, doc *int, anyDirective, blockPath bool) {
	if raw.err != nil {
		f.Problems = append(f.Problems, FileProblem{Problem: *raw.err, Doc: *doc})
		return
	}
	// A JSON document (raw.root) has no comments, and no data to look in.
	wantComments := anyDirective && bytes.Contains(raw.data, directiveMarker)
	root, comments, err := parseDocumentWith(raw, wantComments, blockPath)
	if err != nil {
		f.Problems = append(f.Problems, FileProblem{Problem: *err, Doc: *doc})
		f.Documents++
		*doc++
		return
	}
	if wantComments {
		f.addDirectives(raw, root, comments, *doc, i == 0 && raw.offset == 0)
	}
	if root == nil || root.IsNull() {
		return // empty or comment-only: kubectl skips it too
	}
	f.Documents++
	f.roots = append(f.roots, root)
	f.loadObject(root, *doc, -1)
	*doc++
}

// parseDocument parses one document: a JSON one was built while splitting,
// a YAML one is read by the block-YAML fast path (blockyaml.go) when it is
// written in the plain block style, and by yaml.v3 otherwise. With wantComments
// it also returns the text of each comment line that mentions the
// directive marker, as the parser saw it: directives are taken only from
// real comments, never from a block scalar or a quoted string that looks
// like one.
func parseDocument(raw rawDoc, wantComments bool) (*Node, []string, *Problem) {
	return parseDocumentWith(raw, wantComments, true)
}

// parseDocumentWith parses one document; blockPath lets the block-YAML
// fast path (blockyaml.go) try first. Comments are the full parser's:
// documents that need them take it.
func parseDocumentWith(raw rawDoc, wantComments, blockPath bool) (*Node, []string, *Problem) {
	if raw.root != nil {
		return raw.root, nil, nil
	}
	if blockPath && !wantComments {
		if root, ok := parseBlockYAML(raw.data, raw.startLine-1, raw.colShift); ok {
			return root, nil, nil
		}
	}
	var y yaml.Node
	if err := yaml.Unmarshal(raw.data, &y); err != nil {
		if raw.jsonErr != nil {
			// Neither JSON nor YAML: kubectl reports the JSON error.
			return nil, nil, raw.jsonErr
		}
		reported, msg := SplitYAMLError(err)
		line, col := locateYAMLError(raw.data, reported, msg)
		if line == 1 {
			col += raw.colShift
		}
		return nil, nil, &Problem{Kind: SyntaxError, Line: raw.startLine + line - 1, Col: col, Message: "invalid YAML: " + msg}
	}
	root, err := convertYAML3(&y, raw.data, raw.startLine-1, raw.colShift)
	if err != nil {
		return nil, nil, &Problem{Kind: SyntaxError, Line: err.line, Col: err.col, Message: "invalid YAML: " + err.msg}
	}
	var comments []string
	if wantComments {
		comments = yaml3Comments(&y, nil)
	}
	return root, comments, nil
}

func scalarString(n *Node) string {
	if n == nil || n.Kind != ScalarNode {
		return ""
	}
	s := resolveScalar(n)
	if s.kind != jsonString {
		return ""
	}
	return s.text
}

// loadObject decodes one object (a document or a list item). fill, for a
// list item, is the apiVersion and kind kubectl gives items that have
// neither.
func (f *File) loadObject(root *Node, doc, item int, fill ...string) {
	if root.Kind != MappingNode {
		f.skip(root, doc, item, "", "", "not a Kubernetes object: "+describe(root)+", not a mapping")
		return
	}
	apiVersionNode, kindNode := root.Get("apiVersion"), root.Get("kind")
	apiVersion, kind := scalarString(apiVersionNode), scalarString(kindNode)
	if apiVersionNode == nil && kindNode == nil && len(fill) == 2 {
		apiVersion, kind = fill[0], fill[1]
	}
	if item < 0 && kind != "" && root.KeyNode("items") != nil {
		// Any object with an items key is a list to kubectl (its
		// unstructured decoding), whatever its kind.
		f.loadList(root, doc, apiVersion, kind)
		return
	}
	if w := f.workloads.Lookup(apiVersion, kind); w != nil {
		f.loadCustom(w, root, doc, item, apiVersion, kind)
		return
	}
	info, ok := kinds[kind]
	if !ok || (apiVersion != "" && apiVersion != info.apiVersion && !builtinGroup(apiVersion)) {
		// Not a pod-carrying kind, or a custom resource that happens to
		// share a name with one (Volcano's batch.volcano.sh Job).
		if v := checkKind(apiVersion, kind, false); v != nil {
			f.kindProblem(root, doc, v)
		}
		f.skip(root, doc, item, apiVersion, kind, skipReason(root, apiVersion, kind, ok))
		return
	}
	obj := &Object{File: f, Doc: doc, Item: item, APIVersion: apiVersion, Kind: kind, Root: root}
	d := decoder{}
	if apiVersion != info.apiVersion {
		d.lenient = true
		at := apiVersionNode
		if at == nil {
			at = root.KeyNode("kind")
		}
		if at == nil {
			at = root // a list item whose kind came from the list
		}
		msg := fmt.Sprintf("%s %q is not served by the API server; use %q", kind, apiVersion, info.apiVersion)
		if apiVersion == "" {
			msg = fmt.Sprintf("%s has no apiVersion, so kubectl refuses it; add apiVersion: %s", kind, info.apiVersion)
		}
		p := Problem{Kind: UnservedVersion, Path: "apiVersion", Node: at, Message: msg}
		if apiVersion != "" && at != nil {
			v := StringScalar(info.apiVersion)
			p.Replacement, p.FixMessage = &v, "use apiVersion "+info.apiVersion
			// Another version of a kind may need other fields (apps/v1
			// requires a selector that extensions/v1beta1 defaulted).
			p.FixUnsafe = true
		}
		obj.Problems = append(obj.Problems, p)
	}
	typed := info.newObj()
	d.decode(root, reflect.ValueOf(typed).Elem())
	obj.Problems = append(obj.Problems, d.problems...)
	obj.Typed = typed
	if m, ok := typed.(metav1.Object); ok {
		obj.Name, obj.Namespace = m.GetName(), m.GetNamespace()
		if obj.Name == "" && m.GetGenerateName() != "" {
			obj.Name = m.GetGenerateName()
		}
	}
	obj.Pods = info.pods(typed)
	for _, p := range obj.Pods {
		p.Object = obj
	}
	f.Objects = append(f.Objects, obj)
}

// loadList loads the items of a list (kind: List, DeploymentList, or any
// object with an items key); each item is an object of its own. As kubectl
// does, items with neither apiVersion nor kind get the list's apiVersion
// and its kind without "List".
func (f *File) loadList(root *Node, doc int, apiVersion, kind string) {
	if v := checkKind(apiVersion, kind, true); v != nil {
		f.kindProblem(root, doc, v)
		f.Skipped++
		return
	}
	items := root.Get("items")
	if items.IsNull() {
		f.Skipped++
		return
	}
	if items.Kind != SequenceNode {
		f.Problems = append(f.Problems, FileProblem{Doc: doc, Problem: Problem{Kind: WrongType, Path: "items", Node: items,
			Message: "\"items\" of a list must be a list, got " + describe(items) + " (kubectl cannot decode the document)"}})
		f.Skipped++
		return
	}
	itemKind := strings.TrimSuffix(kind, "List")
	for i, it := range items.Content {
		if i > 0 {
			f.Documents++
		}
		if it.Kind != MappingNode {
			f.Problems = append(f.Problems, FileProblem{Doc: doc, Problem: Problem{Kind: WrongType, Path: fmt.Sprintf("items[%d]", i), Node: it,
				Message: "each item of a list must be an object, got " + describe(it) + " (kubectl cannot decode the document)"}})
			f.Skipped++
			continue
		}
		f.loadObject(it, doc, i, apiVersion, itemKind)
	}
}

// Documents parses data, split as kubectl splits it, into the node trees
// of its documents, for YAML that is not a manifest to lint (Helm values
// files, Kustomize patches) but in which positions must be found. A
// document that does not parse, or is empty, is nil.
func Documents(data []byte) []*Node {
	var out []*Node
	for _, raw := range splitDocuments(NewSource("", data)) {
		if raw.err != nil {
			out = append(out, nil)
			continue
		}
		root, _, err := parseDocument(raw, false)
		if err != nil {
			root = nil
		}
		out = append(out, root)
	}
	return out
}

// kindProblem reports an apiVersion and kind the API server does not serve.
func (f *File) kindProblem(root *Node, doc int, v *kindVerdict) {
	p := Problem{Kind: UnknownKind, Path: "kind", Node: root.Get("kind"), Message: v.message}
	if v.unservedVersion {
		p.Kind, p.Path, p.Node = UnservedVersion, "apiVersion", root.Get("apiVersion")
	}
	if p.Node == nil {
		p.Node = root
	} else if v.suggestion != "" {
		repl := StringScalar(v.suggestion)
		p.Replacement, p.FixMessage = &repl, "use "+v.suggestion
		// Another version may need other fields (see loadObject); a kind
		// in the wrong case or misspelt has one reading.
		p.FixUnsafe = v.unservedVersion
	}
	f.Problems = append(f.Problems, FileProblem{Doc: doc, Problem: p})
}
