package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
)

// DivisorParsesAsZero reports divisors written without a number (m, Ki),
// which parse as 0 and are then ignored.
var DivisorParsesAsZero = &Rule{
	ID:       "DA215",
	Name:     "divisor-parses-as-zero",
	Title:    "A divisor without a number parses as zero and is ignored",
	Severity: Warning,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `The quantity parser is more lenient than its own regular expression: a
suffix or sign with no digits (` + "`m`" + `, ` + "`k`" + `, ` + "`Ki`" + `, ` + "`Mi`" + `, ` + "`E`" + `, ` + "`.`" + `, ` + "`+`" + `)
parses without error as **zero** (` + "`resource.ParseQuantity`" + ` in k8s.io/apimachinery). A zero divisor passes
validation (the check returns early for zero) and the kubelet replaces it
with 1. So ` + "`divisor: Mi`" + ` on ` + "`limits.memory`" + ` gives bytes, not mebibytes, and
` + "`divisor: m`" + ` on ` + "`limits.cpu`" + ` gives whole cores, not millicores: off by a
factor of a thousand or a million, with no error anywhere.

**Fix:** write the number: ` + "`1Mi`" + `, ` + "`1m`" + `, ` + "`1Ki`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits: {memory: 512Mi}
    env:
    - name: MEMORY_LIMIT_MB
      valueFrom:
        resourceFieldRef:
          resource: limits.memory
          divisor: Mi
`,
	Run: runDivisorParsesAsZero,
}

func runDivisorParsesAsZero(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, u := range resourceUses(t) {
			if !u.Ref.Divisor.IsZero() {
				continue
			}
			at := u.Path.Child("divisor")
			loc := p.Object.Locate(at)
			n := loc.Value
			if !loc.Exact || n.Kind != loader.ScalarNode || n.IsNull() || strings.TrimSpace(n.Value) == "" || strings.ContainsAny(n.Value, "0123456789") {
				continue
			}
			text := strings.TrimSpace(n.Value)
			unit := "whole units"
			if strings.HasSuffix(u.Ref.Resource, ".cpu") {
				unit = "whole cores"
			} else if _, name, ok := SplitResource(u.Ref.Resource); ok && name != "" {
				unit = "bytes"
			}
			msg := fmt.Sprintf("divisor %q has no number, so it parses as 0 and the kubelet divides by 1: %s reads %s", text, u.Ref.Resource, unit)
			// divisorRuleFor (apiserver_common.go) is the API server's set
			// of accepted divisors: only offer a fix it accepts.
			dr, known := divisorRuleFor(u.Ref.Resource)
			if fixed := "1" + text; known && slices.Contains(dr.allowed, fixed) {
				p.Report(at, fmt.Sprintf("%s; write %s", msg, fixed), SafeFix("write "+fixed, String(fixed)))
				continue
			}
			p.Report(at, msg+"; write its number (1m, 1Mi, …) or drop it")
		}
	}
}
