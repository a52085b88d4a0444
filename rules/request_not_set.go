package rules

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// RequestNotSet reports requests.cpu, requests.memory and
// requests.ephemeral-storage read from a container that sets no such
// request.
var RequestNotSet = &Rule{
	ID:       "DA203",
	Name:     "request-not-set",
	Title:    "A resource request is read from a container that sets none",
	Severity: Warning,
	Default:  true,
	Doc: `A ` + "`resourceFieldRef`" + ` that reads ` + "`requests.cpu`" + `, ` + "`requests.memory`" + ` or
` + "`requests.ephemeral-storage`" + ` from a container without that request does not
fail (` + "`SetDefaults_Pod`" + ` and the kubelet's ` + "`ExtractContainerResourceValue`" + `):

* when the container sets a **limit** for the resource, the API server
  copies it into the missing request when the Pod is created
  (` + "`SetDefaults_Pod`" + `; templates of Deployments, Jobs and the like get it when
  their Pods are created), so the value read is **the limit**. That is the
  real request of the container, so dapilint says nothing;
* with no limit either, the value is **0**: there is no node-allocatable
  fallback for requests. An application that divides by it, or sizes a
  pool from it, gets nothing. This is reported.

A LimitRange in the namespace may inject default requests at admission;
an offline linter cannot see it, so the warning says "unless".

**Fix:** set ` + "`resources.requests.<resource>`" + ` on the container that is read.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
  - name: worker
    image: example/worker
    env:
    - name: MEMORY_REQUEST
      valueFrom:
        resourceFieldRef:
          resource: requests.memory
`,
	Run: runRequestNotSet,
}

var downwardRequestResources = map[string]corev1.ResourceName{
	"requests.cpu":               corev1.ResourceCPU,
	"requests.memory":            corev1.ResourceMemory,
	"requests.ephemeral-storage": corev1.ResourceEphemeralStorage,
}

func runRequestNotSet(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range resourceUses(t) {
			name, ok := downwardRequestResources[u.Ref.Resource]
			if !ok || !u.Found || resourcesUnreadable(p.Object, u.Target) {
				continue
			}
			c := u.Target
			if _, ok := c.Container.Resources.Requests[name]; ok {
				continue
			}
			at := u.Path.Child("resource")
			if _, ok := c.Container.Resources.Limits[name]; ok {
				continue // the API server copies the limit into the request: that is the real request
			}
			p.Report(at, fmt.Sprintf("%s sets no %s request or limit, so %s reads 0 (unless a LimitRange sets one); set resources.requests.%s",
				describeContainer(c), resourceNoun(name), u.Ref.Resource, name))
		}
	}
}
