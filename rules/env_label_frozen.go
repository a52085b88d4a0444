package rules

import (
	"fmt"
)

// EnvLabelFrozen reports env vars fed from a label or an annotation.
var EnvLabelFrozen = &Rule{
	ID:       "DA204",
	Name:     "env-label-frozen",
	Title:    "An env var from a label or annotation never sees later changes",
	Severity: Warning,
	Default:  false,
	Group:    Pedantic,
	Doc: `The kubelet resolves env vars once, when it creates the container
(` + "`makeEnvironmentVariables`" + `). A label or an annotation read into an env var
with ` + "`metadata.labels['KEY']`" + ` or ` + "`metadata.annotations['KEY']`" + ` is therefore
frozen at its value at container start: a later ` + "`kubectl label`" + `, a
controller that relabels pods, or an annotation updated by an operator never
reaches the process until the container restarts (kubernetes/kubernetes#19367, "env vars are not updated, period").
A downwardAPI volume file is refreshed by the kubelet instead.

**Off by default** (in the ` + "`pedantic`" + ` group: ` + "`--enable pedantic`" + ` or
` + "`--enable DA204`" + `). On real manifests the keys read this way are almost always
identity labels of a pod template (` + "`app.kubernetes.io/component`" + ` into
` + "`OTEL_SERVICE_NAME`" + `): changing a template label rolls out new pods, which
read the new value, and only relabelling a *running* pod leaves the env var
stale. dapilint cannot see whether anything relabels your pods, so it does
not warn by default (docs/precision.md has the numbers).

When enabled, it stays quiet for keys that never change on a running pod:
` + "`pod-template-hash`" + `, ` + "`controller-revision-hash`" + `, ` + "`pod-template-generation`" + `,
` + "`statefulset.kubernetes.io/pod-name`" + `, ` + "`apps.kubernetes.io/pod-index`" + `,
` + "`batch.kubernetes.io/job-completion-index`" + `, the Job labels ` + "`job-name`" + ` and
` + "`controller-uid`" + ` (with and without the ` + "`batch.kubernetes.io/`" + ` prefix), all set
by their controllers when the pod is made, the topology labels
` + "`topology.kubernetes.io/zone`" + ` and ` + "`topology.kubernetes.io/region`" + `, copied from
the node at binding, before any container starts (KEP-4742), and keys that
an installer writes on the pod template (` + "`olm.targetNamespaces`" + ` and the
others of the ` + "`injected-keys`" + ` list, which ` + "`.dapilint.yaml`" + ` can extend).

**Fix:** if the application must see changes, mount the value as a
downwardAPI volume file (without ` + "`subPath`" + `, see DA201) and re-read it;
otherwise, keep the env var and disable this rule for it.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    tier: frontend
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: TIER
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels['tier']
`,
	Run: runEnvLabelFrozen,
}

// stableLabels are labels Kubernetes sets once, before the pod's
// containers start, and never changes afterwards: controllers set them when
// they create the pod (pods are replaced, not relabelled, when the template
// changes), and the topology labels are copied from the node at binding (a
// pod never changes nodes). They are labels: an annotation of the same name
// is set by someone else, or not at all, except for jobCompletionIndex,
// which the Job controller sets as both.
var stableLabels = map[string]bool{
	"pod-template-hash":                  true,
	"controller-revision-hash":           true,
	"pod-template-generation":            true,
	"statefulset.kubernetes.io/pod-name": true,
	"apps.kubernetes.io/pod-index":       true,
	jobCompletionIndex:                   true,
	"batch.kubernetes.io/job-name":       true,
	"batch.kubernetes.io/controller-uid": true,
	"job-name":                           true,
	"controller-uid":                     true,
	"topology.kubernetes.io/zone":        true,
	"topology.kubernetes.io/region":      true,
}

func runEnvLabelFrozen(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range fieldUses(t) {
			if u.Env == nil {
				continue
			}
			kind, key, ok := metadataKey(u.Ref)
			if !ok {
				continue
			}
			noun := kind[:len(kind)-1] // "label", "annotation"
			at := u.Path.Child("fieldPath")
			stable := stableLabels[key] && (kind == "labels" || key == jobCompletionIndex)
			if stable || p.isInjectedKey(key) {
				continue // never changes on a running pod
			}
			p.Report(at, fmt.Sprintf("env var %q gets %s %q once, at container start, and never sees later changes to it; mount it from a downwardAPI volume to read the current value",
				u.Env.Var.Name, noun, key))
		}
	}
}

const jobCompletionIndex = "batch.kubernetes.io/job-completion-index"
