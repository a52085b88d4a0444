package rules

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
)

// ContainerNoLimits reports containers without cpu or memory limits. It is
// off by default.
var ContainerNoLimits = &Rule{
	ID:       "DA214",
	Name:     "container-no-limits",
	Title:    "A container sets no cpu or memory limit",
	Severity: Warning,
	Default:  false,
	Group:    Pedantic,
	Doc: `The general rule other Kubernetes linters have: a container without a
memory limit can use all of the node's memory until it or a neighbour is
OOM-killed, and one without a cpu limit can take every idle core. For the
Downward API it matters twice: every ` + "`limits.cpu`" + ` or ` + "`limits.memory`" + `
reference to such a container reads the node's allocatable amount instead
(DA202), and so does anything in the image that sizes itself from its
cgroup.

Many teams deliberately run without cpu limits, so the rule is **off by
default** (in the ` + "`pedantic`" + ` group). Enable it with ` + "`--enable DA214`" + ` (or
` + "`container-no-limits`" + `, or ` + "`--enable pedantic`" + ` with the other pedantic rules) or
in ` + "`.dapilint.yaml`" + `:

` + "```yaml" + `
enable: [DA214]
` + "```" + `

It checks regular and init containers (sidecars included; ephemeral
containers cannot have resources). A pod-level limit in
` + "`spec.resources.limits`" + ` (PodLevelResources, on by default since 1.34) bounds
every container, so a resource the pod limits is not reported.

**Fix:** set ` + "`resources.limits.cpu`" + ` and ` + "`resources.limits.memory`" + ` on the
container, or pod-level limits in ` + "`spec.resources`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      requests:
        memory: 128Mi
`,
	Run: runContainerNoLimits,
}

func runContainerNoLimits(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, c := range t.Containers() {
			if c.Kind == loader.EphemeralContainer || resourcesUnreadable(p.Object, c) {
				continue
			}
			var missing []string
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := nonZero(c.Container.Resources.Limits, r); ok {
					continue
				}
				if _, ok := podLevelLimit(t, r); ok {
					continue
				}
				missing = append(missing, string(r))
			}
			if len(missing) == 0 {
				continue
			}
			// Point at the limits key, else the resources key, else the
			// container's name.
			at, opts := c.Path.Child("resources", "limits"), []ReportOption{AtKey()}
			if !p.Object.Locate(c.Path.Child("resources")).Exact {
				at, opts = c.Path.Child("name"), nil
			}
			set := "resources.limits"
			if len(missing) == 1 {
				set += "." + missing[0]
			}
			p.Report(at, fmt.Sprintf("%s sets no %s limit: it can use all the node has, and its Downward API limits read node allocatable; set %s",
				describeContainer(c), strings.Join(missing, " or "), set), opts...)
		}
	}
}
