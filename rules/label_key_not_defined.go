package rules

import (
	"fmt"
	"slices"
	"sort"

	"github.com/dapilint/dapilint/loader"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LabelKeyNotDefined reports metadata.labels['K'] and
// metadata.annotations['K'] references to keys the pod does not have.
var LabelKeyNotDefined = &Rule{
	ID:       "DA207",
	Name:     "label-key-not-defined",
	Title:    "A label or annotation that the pod does not have is read",
	Severity: Warning,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `Reading ` + "`metadata.labels['KEY']`" + ` or ` + "`metadata.annotations['KEY']`" + ` for a key
the pod does not have is not an error anywhere: the API server only checks
that the key is well-formed, and the kubelet returns an **empty string**
(` + "`ExtractFieldPathAsString`" + ` in Kubernetes ` + "`pkg/fieldpath`" + `). The lookup is exact and
case-sensitive, so a typo (` + "`app.kubernetes.io/nmae`" + `, ` + "`App`" + ` for ` + "`app`" + `) or a
key set on the Deployment's own metadata instead of its pod template
silently yields an empty env var or file.

dapilint compares the key with the labels or annotations of the pod (for a
workload: of its pod template) and does not report keys that are added to
the pod later by Kubernetes itself:

* ` + "`pod-template-hash`" + ` (Deployment, ReplicaSet);
* ` + "`controller-revision-hash`" + ` (StatefulSet, DaemonSet), ` + "`pod-template-generation`" + `
  (DaemonSet);
* ` + "`statefulset.kubernetes.io/pod-name`" + `, ` + "`apps.kubernetes.io/pod-index`" + `
  (StatefulSet);
* ` + "`job-name`" + `, ` + "`controller-uid`" + `, ` + "`batch.kubernetes.io/job-name`" + `,
  ` + "`batch.kubernetes.io/controller-uid`" + ` (Job, CronJob), and
  ` + "`batch.kubernetes.io/job-completion-index`" + ` (label and annotation),
  ` + "`batch.kubernetes.io/job-index-failure-count`" + `,
  ` + "`batch.kubernetes.io/job-index-ignored-failure-count`" + ` for an **Indexed** Job;
* ` + "`topology.kubernetes.io/zone`" + ` and ` + "`topology.kubernetes.io/region`" + `, copied
  from the node at binding time (KEP-4742, PodTopologyLabelsAdmission, beta
  and on by default since 1.35), for any pod;
* the annotation ` + "`kubectl.kubernetes.io/restartedAt`" + ` (` + "`kubectl rollout restart`" + `), and,
  on a Pod itself, ` + "`kubectl.kubernetes.io/last-applied-configuration`" + `
  (` + "`kubectl apply`" + `; a workload's pods do not get it).

A key a controller adds for another kind is reported: a Deployment's pods
never get ` + "`statefulset.kubernetes.io/pod-name`" + `, and a Job that is not
Indexed never gets ` + "`batch.kubernetes.io/job-completion-index`" + `. Keys that an installer or a webhook writes on the pod are not reported
either: the Operator Lifecycle Manager's ` + "`olm.targetNamespaces`" + `,
` + "`olm.operatorNamespace`" + ` and ` + "`olm.operatorGroup`" + ` (written on an operator's pod
template at install; operator-sdk projects read the first into
` + "`WATCH_NAMESPACE`" + `, where empty means all namespaces), and the annotation
` + "`topology.kubernetes.io/zone`" + ` (Envoy Gateway's topology injector). Other
webhooks (service meshes, policy engines) cannot be known offline: add their
keys to ` + "`heuristics: {injected-keys: [...]}`" + ` in ` + "`.dapilint.yaml`" + `.

**Fix:** correct the key (dapilint suggests the closest one the pod has), or
add the label or annotation to the pod template's metadata.`,
	Example: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
        app.kubernetes.io/name: web
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - name: APP_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['app.kubernetes.io/nmae']
`,
	Run: runLabelKeyNotDefined,
}

var topologyLabels = []string{"topology.kubernetes.io/zone", "topology.kubernetes.io/region"}

// addedKeys returns the labels and annotations Kubernetes adds to the pods
// of an object of this kind after the manifest is applied.
func addedKeys(o *loader.Object) (labels, annotations []string) {
	labels = slices.Clone(topologyLabels)
	annotations = []string{"kubectl.kubernetes.io/restartedAt"}
	jobLabels := []string{"job-name", "controller-uid", "batch.kubernetes.io/job-name", "batch.kubernetes.io/controller-uid"}
	indexed := []string{"batch.kubernetes.io/job-completion-index"}
	indexedAnn := []string{"batch.kubernetes.io/job-completion-index", "batch.kubernetes.io/job-index-failure-count", "batch.kubernetes.io/job-index-ignored-failure-count"}
	switch o.Kind {
	case "Pod":
		// kubectl apply records the applied manifest on the object itself.
		annotations = append(annotations, "kubectl.kubernetes.io/last-applied-configuration")
	case "Deployment", "ReplicaSet":
		labels = append(labels, "pod-template-hash")
	case "StatefulSet":
		labels = append(labels, "controller-revision-hash", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index")
	case "DaemonSet":
		labels = append(labels, "controller-revision-hash", "pod-template-generation")
	case "Job", "CronJob":
		labels = append(labels, jobLabels...)
		var mode *batchv1.CompletionMode
		switch j := o.Typed.(type) {
		case *batchv1.Job:
			mode = j.Spec.CompletionMode
		case *batchv1.CronJob:
			mode = j.Spec.JobTemplate.Spec.CompletionMode
		}
		if mode != nil && *mode == batchv1.IndexedCompletion {
			labels = append(labels, indexed...)
			annotations = append(annotations, indexedAnn...)
		}
	case "PodTemplate":
		// Any controller may use it: accept every controller's keys.
		labels = append(labels, "pod-template-hash", "controller-revision-hash", "pod-template-generation",
			"statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index")
		labels = append(labels, jobLabels...)
		labels = append(labels, indexed...)
		annotations = append(annotations, indexedAnn...)
	}
	// A custom resource's controller adds keys of its own.
	if w := o.Workload; w != nil {
		labels = append(labels, w.AddedLabels...)
		annotations = append(annotations, w.AddedAnnotations...)
	}
	return labels, annotations
}

func runLabelKeyNotDefined(p *Pass) {
	addedLabels, addedAnnotations := addedKeys(p.Object)
	for _, t := range p.Object.Pods {
		if t.MetaUnknown {
			continue // a bare pod spec: its pods' labels are not known here
		}
		for _, u := range fieldUses(t) {
			kind, key, ok := metadataKey(u.Ref)
			if !ok {
				continue
			}
			have, added := t.Meta.Labels, addedLabels
			if kind == "annotations" {
				have, added = t.Meta.Annotations, addedAnnotations
			}
			if _, ok := have[key]; ok || slices.Contains(added, key) || p.isInjectedKey(key) {
				continue
			}
			noun := kind[:len(kind)-1]
			owner := "the pod template"
			if t.IsPod {
				owner = "the pod"
			}
			what := "file %q is empty"
			consumer := ""
			if u.Env != nil {
				what, consumer = "env var %q is empty", u.Env.Var.Name
			} else {
				consumer = u.File.File.Path
			}
			msg := fmt.Sprintf("%s %q is not on %s, so "+what, noun, key, owner, consumer)
			keys := make([]string, 0, len(have))
			for k := range have {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			at := u.Path.Child("fieldPath")
			if s := loader.Closest(key, append(keys, added...), max(2, len(key)/4)); s != "" {
				fixed := fmt.Sprintf("metadata.%s['%s']", kind, s)
				p.Report(at, fmt.Sprintf("%s; did you mean %q?", msg, s), UnsafeFix("use "+fixed, String(fixed)))
				continue
			}
			if other := otherKindKey(p.Object.Kind, kind, key); other != "" {
				msg += "; " + other
			} else if onObject(p.Object, t, kind, key) {
				msg += fmt.Sprintf("; the %s's own metadata has it, which pods do not get: move it to %s", p.Object.Kind, t.MetaPath)
			} else {
				msg += fmt.Sprintf("; add the %s to %s's metadata", noun, owner)
			}
			p.Report(at, msg)
		}
	}
}

// onObject reports whether a workload's own metadata (rather than its pod
// template's) has the key.
func onObject(o *loader.Object, t *loader.PodTemplate, kind, key string) bool {
	m, ok := o.Typed.(metav1.Object)
	if !ok || t.IsPod {
		return false
	}
	have := m.GetLabels()
	if kind == "annotations" {
		have = m.GetAnnotations()
	}
	_, ok = have[key]
	return ok
}

// otherKindKey explains a controller-added key used on the wrong kind.
func otherKindKey(objKind, kind, key string) string {
	switch key {
	case "pod-template-hash":
		return "only a Deployment's pods get it"
	case "controller-revision-hash":
		return "only StatefulSet and DaemonSet pods get it"
	case "pod-template-generation":
		return "only a DaemonSet's pods get it"
	case "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index":
		return "only a StatefulSet's pods get it"
	case "batch.kubernetes.io/job-completion-index", "batch.kubernetes.io/job-index-failure-count", "batch.kubernetes.io/job-index-ignored-failure-count":
		if objKind == "Job" || objKind == "CronJob" {
			return "only pods of a Job with completionMode: Indexed get it"
		}
		return "only pods of an Indexed Job get it"
	case "job-name", "controller-uid", "batch.kubernetes.io/job-name", "batch.kubernetes.io/controller-uid":
		return "only a Job's pods get it"
	}
	return ""
}
