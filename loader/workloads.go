package loader

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Custom resources whose controllers create pods carry pod templates too:
// an Argo Rollout's spec.template is a Deployment's. A Workload declares
// such a kind: where its pod templates (metadata and spec) or bare pod
// specs are. Only those subtrees are decoded, with the same decoder and the
// same positions as the built-in kinds; the rest of the object is not read,
// because its schema (the CRD's) is not known here.

// Workload declares a kind that carries pod templates or pod specs at
// known paths.
type Workload struct {
	APIVersion string
	Kind       string
	// Templates are paths of pod templates (a PodTemplateSpec: metadata and
	// spec), Specs paths of bare pod specs. A path is dotted field names;
	// "[*]" after a name steps into every item of a list, "[N]" into one,
	// and a "*" name into every value of a mapping (or item of a list):
	// spec.tasks[*].template, spec.replicaSpecs.*.template.
	Templates []string
	Specs     []string
	// ClaimTemplates is the path of a volumeClaimTemplates list, whose
	// names the controller adds to each pod as volumes ("" for none).
	ClaimTemplates string
	// AddedLabels and AddedAnnotations are the keys the controller sets on
	// the pods it creates (DA207 does not ask for them).
	AddedLabels      []string
	AddedAnnotations []string
	// Origin says where the declaration comes from: "built in", or the
	// configuration file and line.
	Origin string

	// specType, when set, is the Go type a template's spec is decoded
	// into: a struct that embeds corev1.PodSpec and adds the fields the
	// kind's schema has besides (Knative's containerConcurrency).
	specType reflect.Type
	// templateType, with specType, is the Go type a template is decoded
	// into: metadata and a spec of specType.
	templateType reflect.Type
	parsed       [][]pathSeg // Templates then Specs
	claims       []pathSeg   // ClaimTemplates
}

// pathSeg is one step of a workload path.
type pathSeg struct {
	name  string // a field; "*" for every value of a mapping; "" for an index step
	index int    // with name "": the list index, or -1 for every item
}

// ParseWorkloadPath checks a workload path and splits it into steps.
func ParseWorkloadPath(p string) ([]pathSeg, error) {
	if p == "" {
		return nil, fmt.Errorf("a path cannot be empty")
	}
	var segs []pathSeg
	for _, part := range strings.Split(p, ".") {
		name, brackets := part, ""
		if i := strings.IndexByte(part, '['); i >= 0 {
			name, brackets = part[:i], part[i:]
		}
		if name == "" {
			return nil, fmt.Errorf("path %q has an empty field name", p)
		}
		if name != "*" && strings.ContainsAny(name, "*]") {
			return nil, fmt.Errorf("path %q: * stands for a whole field name (spec.*.template), not part of one", p)
		}
		segs = append(segs, pathSeg{name: name})
		for brackets != "" {
			end := strings.IndexByte(brackets, ']')
			if brackets[0] != '[' || end < 0 {
				return nil, fmt.Errorf("path %q: after a field name, a list step is [*] or [N]", p)
			}
			inner := brackets[1:end]
			brackets = brackets[end+1:]
			if inner == "*" {
				segs = append(segs, pathSeg{index: -1})
			} else if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
				segs = append(segs, pathSeg{index: n})
			} else {
				return nil, fmt.Errorf("path %q: a list step is [*] or [N], not [%s]", p, inner)
			}
		}
	}
	return segs, nil
}

// found is a node a workload path reached, with its field path.
type found struct {
	node *Node
	path *field.Path
	step []pathStep // the same path, for the decoder's messages
}

// resolve follows a workload path from the object's root to every node it
// reaches. Steps that meet nothing (an optional template left out) reach
// nothing.
func resolve(root *Node, segs []pathSeg) []found {
	cur := []found{{node: root}}
	for _, s := range segs {
		var next []found
		for _, c := range cur {
			switch {
			case s.name == "*" && c.node.Kind == MappingNode:
				eachMapEntry(c.node, func(k, v *Node) {
					if key, ok := mapKeyString(k); ok && !v.IsNull() {
						next = append(next, c.child(key, v))
					}
				})
			case s.name == "*" && c.node.Kind == SequenceNode:
				for i, it := range c.node.Content {
					next = append(next, c.item(i, it))
				}
			case s.name == "*":
			case s.name != "":
				if v := c.node.Get(s.name); v != nil && !v.IsNull() {
					next = append(next, c.child(s.name, v))
				}
			case c.node.Kind == SequenceNode:
				for i, it := range c.node.Content {
					if s.index < 0 || s.index == i {
						next = append(next, c.item(i, it))
					}
				}
			}
		}
		cur = next
	}
	return cur
}

func (f found) child(name string, n *Node) found {
	p := field.NewPath(name)
	if f.path != nil {
		p = f.path.Child(name)
	}
	return found{node: n, path: p, step: append(slices.Clip(f.step), pathStep{name: name, index: -1})}
}

func (f found) item(i int, n *Node) found {
	return found{node: n, path: f.path.Index(i), step: append(slices.Clip(f.step), pathStep{index: i})}
}

// Workloads are the kinds beyond the built-in ones that are checked: the
// common custom resources, and those a configuration declares.
type Workloads struct {
	byKey map[string]*Workload
}

func workloadKey(apiVersion, kind string) string { return apiVersion + "\x00" + kind }

// NewWorkloads returns the built-in custom resources plus those declared
// (which replace a built-in one of the same apiVersion and kind). A
// declaration with a path that does not parse, or of a kind the API
// server itself serves, is an error.
func NewWorkloads(declared []Workload) (*Workloads, error) {
	w := &Workloads{byKey: map[string]*Workload{}}
	for i := range BuiltinWorkloads {
		if err := w.add(BuiltinWorkloads[i]); err != nil {
			return nil, err
		}
	}
	for _, d := range declared {
		if IsBuiltinKind(d.APIVersion, d.Kind) {
			return nil, fmt.Errorf("%s %s is a built-in kind, checked already", d.APIVersion, d.Kind)
		}
		if err := w.add(d); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// IsBuiltinKind reports whether apiVersion and kind name a kind dapilint
// checks without a declaration (Pod, Deployment, …).
func IsBuiltinKind(apiVersion, kind string) bool {
	info, ok := kinds[kind]
	return ok && info.apiVersion == apiVersion
}

func (w *Workload) String() string { return w.APIVersion + " " + w.Kind }

func (w *Workloads) add(d Workload) error {
	if d.APIVersion == "" || d.Kind == "" {
		return fmt.Errorf("a workload needs apiVersion and kind")
	}
	if len(d.Templates)+len(d.Specs) == 0 {
		return fmt.Errorf("workload %s %s names no pod template or pod spec path", d.APIVersion, d.Kind)
	}
	d.parsed = nil
	for _, p := range append(slices.Clone(d.Templates), d.Specs...) {
		segs, err := ParseWorkloadPath(p)
		if err != nil {
			return err
		}
		d.parsed = append(d.parsed, segs)
	}
	d.claims = nil
	if d.ClaimTemplates != "" {
		segs, err := ParseWorkloadPath(d.ClaimTemplates)
		if err != nil {
			return err
		}
		d.claims = segs
	}
	if d.specType != nil {
		d.templateType = reflect.StructOf([]reflect.StructField{
			{Name: "ObjectMeta", Type: reflect.TypeFor[metav1.ObjectMeta](), Tag: `json:"metadata,omitempty"`},
			{Name: "Spec", Type: d.specType, Tag: `json:"spec,omitempty"`},
		})
	}
	w.byKey[workloadKey(d.APIVersion, d.Kind)] = &d
	return nil
}

// Lookup returns the workload declared for an apiVersion and kind, or nil.
func (w *Workloads) Lookup(apiVersion, kind string) *Workload {
	if w == nil {
		return nil
	}
	return w.byKey[workloadKey(apiVersion, kind)]
}

// List returns the workloads, built-in ones first, in a stable order.
func (w *Workloads) List() []*Workload {
	var out []*Workload
	for _, d := range w.byKey {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *Workload) int {
		return strings.Compare(a.APIVersion+" "+a.Kind, b.APIVersion+" "+b.Kind)
	})
	return out
}

// defaultWorkloads are the built-in custom resources alone.
var defaultWorkloads = func() *Workloads {
	w, err := NewWorkloads(nil)
	if err != nil {
		panic(err)
	}
	return w
}()

// Labels a Job controller sets on its pods; KEDA's ScaledJob creates Jobs.
var jobPodLabels = []string{"job-name", "controller-uid", "batch.kubernetes.io/job-name", "batch.kubernetes.io/controller-uid"}

// BuiltinWorkloads are the custom resources checked out of the box. Their
// paths and the keys their controllers add come from the projects' API
// types and controllers.
var BuiltinWorkloads = []Workload{
	// Argo Rollouts: spec.template is a Deployment's; a Rollout that
	// points at a Deployment with workloadRef has none.
	{APIVersion: "argoproj.io/v1alpha1", Kind: "Rollout", Templates: []string{"spec.template"},
		AddedLabels: []string{"rollouts-pod-template-hash"}},
	// OpenKruise.
	{APIVersion: "apps.kruise.io/v1alpha1", Kind: "CloneSet", Templates: []string{"spec.template"}, ClaimTemplates: "spec.volumeClaimTemplates",
		AddedLabels: []string{"controller-revision-hash", "pod-template-hash", "apps.kruise.io/cloneset-instance-id"}},
	{APIVersion: "apps.kruise.io/v1beta1", Kind: "StatefulSet", Templates: []string{"spec.template"}, ClaimTemplates: "spec.volumeClaimTemplates",
		AddedLabels: []string{"controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"}},
	{APIVersion: "apps.kruise.io/v1alpha1", Kind: "StatefulSet", Templates: []string{"spec.template"}, ClaimTemplates: "spec.volumeClaimTemplates",
		AddedLabels: []string{"controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"}},
	{APIVersion: "apps.kruise.io/v1alpha1", Kind: "DaemonSet", Templates: []string{"spec.template"},
		AddedLabels: []string{"controller-revision-hash", "pod-template-generation"}},
	// KEDA: jobTargetRef is a JobSpec.
	{APIVersion: "keda.sh/v1alpha1", Kind: "ScaledJob", Templates: []string{"spec.jobTargetRef.template"},
		AddedLabels: append(slices.Clone(jobPodLabels), "scaledjob.keda.sh/name")},
	// Knative Serving: spec.template is a RevisionTemplateSpec, whose spec
	// is a PodSpec with four fields of Knative's own.
	{APIVersion: "serving.knative.dev/v1", Kind: "Service", Templates: []string{"spec.template"},
		AddedLabels: knativeLabels, AddedAnnotations: knativeAnnotations, specType: reflect.TypeFor[knativeRevisionSpec]()},
	{APIVersion: "serving.knative.dev/v1", Kind: "Configuration", Templates: []string{"spec.template"},
		AddedLabels: knativeLabels, AddedAnnotations: knativeAnnotations, specType: reflect.TypeFor[knativeRevisionSpec]()},
}

var (
	knativeLabels = []string{"app", "serving.knative.dev/revision", "serving.knative.dev/revisionUID",
		"serving.knative.dev/configuration", "serving.knative.dev/configurationGeneration", "serving.knative.dev/configurationUID",
		"serving.knative.dev/service", "serving.knative.dev/serviceUID"}
	knativeAnnotations = []string{"serving.knative.dev/creator", "serving.knative.dev/lastModifier",
		"serving.knative.dev/routes", "serving.knative.dev/routingStateModified"}
)

// knativeRevisionSpec is Knative Serving's RevisionSpec: a PodSpec and
// the fields Knative adds to it.
type knativeRevisionSpec struct {
	corev1.PodSpec              `json:",inline"`
	ContainerConcurrency        *int64 `json:"containerConcurrency,omitempty"`
	TimeoutSeconds              *int64 `json:"timeoutSeconds,omitempty"`
	ResponseStartTimeoutSeconds *int64 `json:"responseStartTimeoutSeconds,omitempty"`
	IdleTimeoutSeconds          *int64 `json:"idleTimeoutSeconds,omitempty"`
}

// CustomObject is the typed part of a custom resource: its metadata, and
// the pod templates and specs at its workload's paths.
type CustomObject struct {
	metav1.TypeMeta
	metav1.ObjectMeta
	Workload *Workload
}

// loadCustom decodes the pod templates and specs of a custom resource.
func (f *File) loadCustom(w *Workload, root *Node, doc, item int, apiVersion, kind string) {
	obj := &Object{File: f, Doc: doc, Item: item, APIVersion: apiVersion, Kind: kind, Root: root, Workload: w}
	typed := &CustomObject{TypeMeta: metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}, Workload: w}
	d := decoder{custom: true}
	if m := root.Get("metadata"); m != nil {
		d.path = []pathStep{{name: "metadata", index: -1}}
		d.decode(m, reflect.ValueOf(&typed.ObjectMeta).Elem())
	}
	obj.Typed = typed
	obj.Name, obj.Namespace = typed.Name, typed.Namespace
	if obj.Name == "" {
		obj.Name = typed.GenerateName
	}
	var claims []string
	if w.claims != nil {
		for _, c := range resolve(root, w.claims) {
			if c.node.Kind != SequenceNode {
				continue
			}
			for _, it := range c.node.Content {
				if name := scalarString(it.Get("metadata").Get("name")); name != "" {
					claims = append(claims, name)
				}
			}
		}
	}
	for i, segs := range w.parsed {
		isTemplate := i < len(w.Templates)
		for _, at := range resolve(root, segs) {
			d.path = at.step
			var t *PodTemplate
			if isTemplate {
				t = d.customTemplate(at, w.templateType)
			} else {
				spec := &corev1.PodSpec{}
				d.decode(at.node, reflect.ValueOf(spec).Elem())
				// The pod's metadata is somewhere this path does not say.
				t = &PodTemplate{MetaPath: at.path.Child("metadata"), SpecPath: at.path, Meta: &metav1.ObjectMeta{}, Spec: spec, MetaUnknown: true}
			}
			t.Object, t.ClaimVolumes = obj, claims
			obj.Pods = append(obj.Pods, t)
		}
	}
	obj.Problems = d.problems
	f.Objects = append(f.Objects, obj)
}

// customTemplate decodes a pod template: metadata as ObjectMeta, spec as a
// PodSpec, or into templateType (see Workload) when it is set.
func (d *decoder) customTemplate(at found, templateType reflect.Type) *PodTemplate {
	if templateType == nil {
		t := &corev1.PodTemplateSpec{}
		d.decode(at.node, reflect.ValueOf(t).Elem())
		return &PodTemplate{MetaPath: at.path.Child("metadata"), SpecPath: at.path.Child("spec"), Meta: &t.ObjectMeta, Spec: &t.Spec}
	}
	tmpl := reflect.New(templateType)
	d.decode(at.node, tmpl.Elem())
	meta := tmpl.Elem().Field(0).Addr().Interface().(*metav1.ObjectMeta)
	spec := tmpl.Elem().Field(1).FieldByName("PodSpec").Addr().Interface().(*corev1.PodSpec)
	return &PodTemplate{MetaPath: at.path.Child("metadata"), SpecPath: at.path.Child("spec"), Meta: meta, Spec: spec}
}

// skip records a document that is not checked.
func (f *File) skip(root *Node, doc, item int, apiVersion, kind, reason string) {
	f.Skipped++
	f.SkippedDocs = append(f.SkippedDocs, SkippedDoc{File: f.Source.Name, Doc: doc, Item: item, Line: root.Line, Col: root.Col,
		APIVersion: apiVersion, Kind: kind, Reason: reason})
}

// skipReason says why an object of a kind dapilint does not check is
// skipped; when it has something that looks like a pod spec, it says
// where, and how to have it checked. sameName is set for a custom resource
// whose kind is also a built-in kind's.
func skipReason(root *Node, apiVersion, kind string, sameName bool) string {
	if kind == "" {
		return "not a Kubernetes object: it has no kind"
	}
	at := findPodSpec(root, nil, 0)
	declare := fmt.Sprintf("it has a pod spec at %s: to check it, declare the kind under workloads: in .dapilint.yaml", at)
	switch {
	case sameName && at != "":
		return fmt.Sprintf("%s %s is a custom resource, not the built-in %s; %s", apiVersion, kind, kind, declare)
	case sameName:
		return fmt.Sprintf("%s %s is a custom resource, not the built-in %s", apiVersion, kind, kind)
	case at != "":
		return fmt.Sprintf("%s is not a kind dapilint knows, but %s", kind, declare)
	}
	return fmt.Sprintf("a %s carries no pod spec that dapilint checks", kind)
}

// findPodSpec looks for a mapping with a "containers" list of mappings
// that have an image, a few levels down (status and metadata left out),
// and returns its path (spec.tasks[0].template.spec).
func findPodSpec(n *Node, path []string, depth int) string {
	if n == nil || depth > 8 {
		return ""
	}
	switch n.Kind {
	case SequenceNode:
		for i, it := range n.Content {
			if at := findPodSpec(it, appendIndex(path, i), depth+1); at != "" {
				return at
			}
		}
	case MappingNode:
		if c := n.Get("containers"); c != nil && c.Kind == SequenceNode && len(c.Content) > 0 &&
			c.Content[0].Kind == MappingNode && c.Content[0].Get("image") != nil && len(path) > 0 {
			return strings.Join(path, ".")
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != ScalarNode || k.Value == "status" || k.Value == "metadata" {
				continue
			}
			if at := findPodSpec(n.Content[i+1], append(slices.Clip(path), k.Value), depth+1); at != "" {
				return at
			}
		}
	}
	return ""
}

// appendIndex adds "[i]" to the last step of a path.
func appendIndex(path []string, i int) []string {
	if len(path) == 0 {
		return path
	}
	out := slices.Clone(path)
	out[len(out)-1] += "[" + strconv.Itoa(i) + "]"
	return out
}
