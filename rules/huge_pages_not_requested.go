package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
)

// HugePagesNotRequested reports limits.hugepages-<size> and
// requests.hugepages-<size> read from a container that has no such
// hugepages resource.
var HugePagesNotRequested = &Rule{
	ID:       "DA211",
	Name:     "huge-pages-not-requested",
	Title:    "A hugepages size the container does not request is read",
	Severity: Warning,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `The API server accepts any resource that starts with ` + "`limits.hugepages-`" + ` or
` + "`requests.hugepages-`" + `: ` + "`limits.hugepages-3Mi`" + `, ` + "`limits.hugepages-2M`" + ` and
even ` + "`limits.hugepages-`" + ` pass (the check is a prefix match,
` + "`IsHugePageResourceName`" + `). At runtime the kubelet looks the exact name up
in the container's resources, and when the container has no such hugepages
resource the value is **0**. Unlike cpu and memory, hugepages are never
filled in from node allocatable or from pod-level resources
(` + "`MergeContainerResourceLimits`" + ` skips them).

A container that uses hugepages must set a limit for them (the API server
requires one, and the request defaults to it), so dapilint checks that the
container read sets a non-zero ` + "`resources.limits.hugepages-<size>`" + ` for the
exact size, and suggests the size it does set.

**Fix:** read the size the container requests (` + "`hugepages-2Mi`" + `,
` + "`hugepages-1Gi`" + `: note the binary ` + "`Mi`" + `/` + "`Gi`" + ` suffix), or add that size to the
container's resources.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: dpdk
spec:
  containers:
  - name: dpdk
    image: example/dpdk
    resources:
      limits:
        hugepages-2Mi: 512Mi
        memory: 1Gi
    env:
    - name: HUGEPAGES
      valueFrom:
        resourceFieldRef:
          resource: limits.hugepages-2M
`,
	Run: runHugePagesNotRequested,
}

func runHugePagesNotRequested(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range resourceUses(t) {
			kind, name, ok := SplitResource(u.Ref.Resource)
			if !ok || !strings.HasPrefix(name, corev1.ResourceHugePagesPrefix) || !u.Found || resourcesUnreadable(p.Object, u.Target) {
				continue
			}
			c := u.Target
			if _, set := nonZero(c.Container.Resources.Limits, corev1.ResourceName(name)); set {
				continue
			}
			var sizes []string
			for r, q := range c.Container.Resources.Limits {
				if strings.HasPrefix(string(r), corev1.ResourceHugePagesPrefix) && !q.IsZero() {
					sizes = append(sizes, string(r))
				}
			}
			sort.Strings(sizes)
			at := u.Path.Child("resource")
			msg := fmt.Sprintf("%s does not request %s, so %s reads 0", describeContainer(c), name, u.Ref.Resource)
			switch s := typoOf(name, sizes); {
			case s != "":
				fixed := kind + "." + s
				p.Report(at, fmt.Sprintf("%s; did you mean %s?", msg, fixed), SafeFix("read "+fixed, String(fixed)))
			case len(sizes) > 0:
				p.Report(at, fmt.Sprintf("%s; it requests %s", msg, strings.Join(sizes, ", ")))
			default:
				p.Report(at, fmt.Sprintf("%s; set resources.limits.%s on %q or drop this reference", msg, name, c.Container.Name))
			}
		}
	}
}

// typoOf returns the hugepages resource among sizes that name was probably
// meant to be: the same page size written differently (hugepages-2M for
// hugepages-2Mi, hugepages-1gi for hugepages-1Gi), or a near miss.
func typoOf(name string, sizes []string) string {
	digits := func(s string) string {
		s = strings.TrimPrefix(s, corev1.ResourceHugePagesPrefix)
		return s[:len(s)-len(strings.TrimLeft(s, "0123456789"))]
	}
	var same []string
	for _, s := range sizes {
		if d := digits(s); d != "" && d == digits(name) {
			same = append(same, s)
		}
	}
	if len(same) == 1 {
		return same[0]
	}
	return loader.Closest(name, sizes, 1)
}
