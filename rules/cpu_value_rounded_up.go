package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// CPUValueRoundedUp reports cpu values that the default divisor rounds up
// to whole cores.
var CPUValueRoundedUp = &Rule{
	ID:       "DA212",
	Name:     "cpu-value-rounded-up",
	Title:    "A cpu value is rounded up to whole cores",
	Severity: Info,
	Default:  false,
	Group:    Pedantic,
	Doc: `The kubelet divides a cpu quantity by the divisor and rounds **up**
(` + "`convertResourceCPUToString`" + `: ceil of millicores over the divisor's
millicores). With the default divisor (1 core), ` + "`requests.cpu: 250m`" + ` reads
as ` + "`1`" + `, ` + "`1500m`" + ` as ` + "`2`" + `: an application that sizes a thread pool from it
gets four times, or a third more than, its share (` + "`ExtractContainerResourceValue`" + ` in Kubernetes
` + "`pkg/api/v1/resource/helpers.go`" + ` rounds up).

dapilint reports this when it knows the value: the container's own cpu
limit for ` + "`limits.cpu`" + `, its cpu request for ` + "`requests.cpu`" + ` (or its limit,
which a missing request defaults to).

**Off by default** (in the ` + "`pedantic`" + ` group: ` + "`--enable pedantic`" + ` or
` + "`--enable DA212`" + `). On real manifests the values read this way are thread and
worker counts (` + "`GOMAXPROCS`" + `, proxy worker threads), for which rounding up is
what the application wants: ` + "`divisor: 1m`" + ` would hand ` + "`GOMAXPROCS`" + ` the number
1500 for a limit of 1500m. So the rule offers no fix.

**Fix:** only when the application divides the cpu value itself: set
` + "`divisor: 1m`" + ` to read millicores (250), and convert in the application.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
  - name: worker
    image: example/worker
    resources:
      requests: {cpu: 250m}
      limits: {cpu: 500m}
    env:
    - name: CPU_REQUEST
      valueFrom:
        resourceFieldRef:
          resource: requests.cpu
`,
	Run: runCPUValueRoundedUp,
}

func runCPUValueRoundedUp(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range resourceUses(t) {
			if !u.Found || resourcesUnreadable(p.Object, u.Target) {
				continue
			}
			res := u.Target.Container.Resources
			var q resource.Quantity
			var from string
			switch u.Ref.Resource {
			case "limits.cpu":
				v, ok := nonZero(res.Limits, "cpu")
				if !ok {
					continue // node allocatable or 0: DA202
				}
				q, from = v, "cpu limit"
			case "requests.cpu":
				if v, ok := res.Requests["cpu"]; ok {
					q, from = v, "cpu request"
				} else if v, ok := res.Limits["cpu"]; ok {
					q, from = v, "cpu request (its limit, as no request is set)"
				} else {
					continue
				}
			default:
				continue
			}
			if !u.Ref.Divisor.IsZero() && u.Ref.Divisor.MilliValue() != 1000 {
				continue // 1m: exact millicores
			}
			milli := q.MilliValue()
			if milli%1000 == 0 {
				continue
			}
			reads := (milli + 999) / 1000
			// No fix: divisor 1m is right only for an application that
			// divides by 1000 itself; for a thread count it is harmful.
			msg := fmt.Sprintf("%s reads %q, not %s: the %s of %s is %s, and with divisor 1 cpu is rounded up to whole cores; if the application needs the fraction, read millicores (%d) with divisor: 1m and convert there",
				u.where(), fmt.Sprint(reads), strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", float64(milli)/1000), "0"), "."), from, describeContainer(u.Target), q.String(), milli)
			at := u.Path.Child("resource")
			if div := u.Path.Child("divisor"); p.Object.Locate(div).Exact {
				at = div
			}
			p.Report(at, msg)
		}
	}
}
