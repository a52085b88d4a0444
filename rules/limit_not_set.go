package rules

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// LimitNotSet reports limits.cpu, limits.memory and
// limits.ephemeral-storage read from a container that sets no such limit.
var LimitNotSet = &Rule{
	ID:       "DA202",
	Name:     "limit-not-set",
	Title:    "A resource limit is read from a container that sets none",
	Severity: Warning,
	Default:  true,
	Doc: `When a ` + "`resourceFieldRef`" + ` reads ` + "`limits.cpu`" + `, ` + "`limits.memory`" + ` or
` + "`limits.ephemeral-storage`" + ` and the container it names sets no such limit
(or a limit of 0, which counts as unset), the kubelet does not report
"no limit": it substitutes a fallback (` + "`defaultPodLimitsForDownwardAPI`" + ` and ` + "`MergeContainerResourceLimits`" + `):

* **env vars** of a regular container, or of the own container when
  ` + "`containerName`" + ` is empty: the pod-level limit in ` + "`spec.resources.limits`" + `
  when it sets one (cpu and memory only; PodLevelResources, on by default
  since 1.34), else the **node's allocatable** amount;
* **env vars naming an init container** by ` + "`containerName`" + `: the kubelet
  looks init containers up without any fallback, so the value is **0**;
* **downwardAPI volume files**: the node's allocatable amount, for regular
  and init containers alike. Volumes never use pod-level limits.

So a cache or a JVM heap sized from ` + "`limits.memory`" + ` without a memory limit
is sized for the whole node, and the value differs from node to node.

A LimitRange with ` + "`default`" + ` limits in the namespace fills in missing
container limits at admission, before any of this happens; an offline
linter cannot see it. If your namespaces rely on one, disable this rule.

dapilint stays quiet for an env var whose container has no limit but whose
pod sets the pod-level limit: then the pod-level limit is what the
container is bounded by, and what it reads.

It also stays quiet for env vars that size a runtime rather than a cache
or a heap: ` + "`GOMAXPROCS`" + `, ` + "`GOMEMLIMIT`" + `, and the worker-count variables of
service-mesh proxies (` + "`ISTIO_CPU_LIMIT`" + `, ` + "`ZTUNNEL_CPU_LIMIT`" + `, ` + "`CPU_LIMIT`" + `). Without
a limit, the node's allocatable amount is what the container may really
use, and what those runtimes would assume without the variable; the
fallback is intended there. The list is in rules/heuristics.go, and
` + "`heuristics: {runtime-tuning-env: [NAME, GLOB*]}`" + ` in ` + "`.dapilint.yaml`" + ` adds to it.
A variable that names an init container by ` + "`containerName`" + ` is still
reported, because it reads 0, and a variable that sizes a cache or a heap
(` + "`MEMORY_LIMIT_MIB`" + `, a JVM heap) is reported, because sizing it for the whole
node overcommits the node. Hugepages are reported by
DA211, since their fallback is always 0.

**Fix:** set ` + "`resources.limits.<resource>`" + ` on the container that is read, or
read ` + "`requests.<resource>`" + ` if the request is what the application should
size itself by.`,
	Example: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api
        resources:
          requests:
            memory: 512Mi
        env:
        - name: CACHE_SIZE_MIB
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
              divisor: 1Mi
`,
	Run: runLimitNotSet,
}

var downwardLimitResources = map[string]corev1.ResourceName{
	"limits.cpu":               corev1.ResourceCPU,
	"limits.memory":            corev1.ResourceMemory,
	"limits.ephemeral-storage": corev1.ResourceEphemeralStorage,
}

// resourceNoun is how messages name a resource: "cpu", "memory",
// "ephemeral-storage".
func resourceNoun(name corev1.ResourceName) string { return string(name) }

// aResource is resourceNoun with its article: "a cpu", "an ephemeral-storage".
func aResource(name corev1.ResourceName) string {
	if n := resourceNoun(name); n != "" && (n[0] == 'e' || n[0] == 'a') {
		return "an " + n
	}
	return "a " + resourceNoun(name)
}

func runLimitNotSet(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range resourceUses(t) {
			name, ok := downwardLimitResources[u.Ref.Resource]
			if !ok || !u.Found || resourcesUnreadable(p.Object, u.Target) {
				continue
			}
			c := u.Target
			if _, set := nonZero(c.Container.Resources.Limits, name); set {
				continue
			}
			unset := fmt.Sprintf("sets no %s limit", resourceNoun(name))
			if q, ok := c.Container.Resources.Limits[name]; ok && q.IsZero() {
				unset = fmt.Sprintf("sets %s limit of %s, which counts as unset", aResource(name), q.String())
			}
			fix := fmt.Sprintf("set its resources.limits.%s", name)
			at := u.Path.Child("resource")
			switch {
			case !u.Merged:
				p.Report(at, fmt.Sprintf("%s reads %s as 0, since %s %s; %s",
					u.where(), u.Ref.Resource, describeContainer(c), unset, fix))
			case u.Env != nil && u.PodLevel:
				if _, ok := podLevelLimit(t, name); ok {
					continue // the pod-level limit is read: correct
				}
				if name != corev1.ResourceEphemeralStorage && p.isRuntimeTuningEnv(u.Env.Var.Name) {
					continue // sizes a runtime: node allocatable is what it wants
				}
				p.Report(at, fmt.Sprintf("%s %s, so %s reads the node's allocatable %s; %s",
					describeContainer(c), unset, u.where(), resourceNoun(name), fix))
			default:
				extra := ""
				if q, ok := podLevelLimit(t, name); ok {
					extra = fmt.Sprintf(" (a volume ignores the pod-level %s)", q.String())
				}
				p.Report(at, fmt.Sprintf("%s %s, so %s shows the node's allocatable %s%s; %s",
					describeContainer(c), unset, u.where(), resourceNoun(name), extra, fix))
			}
		}
	}
}
