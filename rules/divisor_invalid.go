package rules

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/api/resource"
)

// DivisorInvalid reports resourceFieldRef divisors the API server rejects.
var DivisorInvalid = &Rule{
	ID:       "DA106",
	Name:     "divisor-invalid",
	Title:    "A resourceFieldRef divisor the API server does not accept",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `The divisor of a ` + "`resourceFieldRef`" + ` must be a unit, and the API server checks it by
**text**, not by value: it compares the quantity's canonical string
(` + "`Quantity.String()`" + `) against a fixed list.

| resource | accepted divisors |
|---|---|
| ` + "`limits.cpu`, `requests.cpu`" + ` | ` + "`1m`, `1`" + ` |
| ` + "`*.memory`, `*.ephemeral-storage`, `*.hugepages-*`" + ` | ` + "`1`, `1k`, `1M`, `1G`, `1T`, `1P`, `1E`, `1Ki`, `1Mi`, `1Gi`, `1Ti`, `1Pi`, `1Ei`" + ` |

A zero or missing divisor is always accepted (it means 1). Anything else is rejected:
` + "`resourceFieldRef.divisor: Invalid value: \"limits.memory\": only divisor's values 1, 1k, … are supported with the memory resource`" + `
(the value the API server prints is the resource name, not the divisor).

Because the comparison is on text, some divisors with the right value are rejected:
` + "`1024`" + ` (write ` + "`1Ki`" + `), and, when quoted, ` + "`\"+1\"`" + `, ` + "`\"01\"`" + `, ` + "`\"1.\"`" + ` and ` + "`\"1e3\"`" + `,
whose text the quantity parser keeps as written. Unquoted, YAML turns ` + "`+1`" + `, ` + "`01`" + `
and ` + "`1.`" + ` into the number 1 and ` + "`1e3`" + ` into 1000 (` + "`1k`" + `), so those pass. dapilint
evaluates the divisor exactly as kubectl sends it and the API server parses it, and
when the value is right but the spelling is not, it suggests the accepted spelling.

To fix, use one of the listed divisors, spelled exactly so.

Source: ` + "`validateContainerResourceDivisor`" + ` (Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `) and ` + "`resource.ParseQuantity`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits: {memory: 256Mi}
    env:
    - name: MEMORY_LIMIT_KB
      valueFrom:
        resourceFieldRef:
          resource: limits.memory
          divisor: "1024"
`,
	Run: runDivisorInvalid,
}

func runDivisorInvalid(p *Pass) {
	for _, s := range resourceRefSites(p.Object) {
		rule, ok := divisorRuleFor(s.Ref.Resource)
		if !ok {
			continue
		}
		d := s.Ref.Divisor
		if divisorAccepted(d, rule.allowed) {
			continue
		}
		at := s.Path.Child("divisor")
		canon := d.String()
		shown, written := fmt.Sprintf("%q", canon), canon
		if n := sourceNode(p.Object, at); n != nil && n.Kind == loader.ScalarNode {
			written = n.Value
			if n.Style == loader.Plain {
				shown = n.Value
			} else {
				shown = fmt.Sprintf("%q", n.Value)
			}
		}
		var msg string
		var opts []ReportOption
		if same := sameValue(&d, rule.allowed); same != "" {
			msg = fmt.Sprintf("divisor %s is not accepted for %s; did you mean %s? (the same value, spelled as the API server accepts it)", shown, s.Ref.Resource, same)
			opts = append(opts, SafeFix("use "+same, String(same)))
		} else if alt := caseVariants(written, rule.allowed); len(alt) > 0 {
			msg = fmt.Sprintf("divisor %s is not accepted for %s; did you mean %s?", shown, s.Ref.Resource, joinList(alt, "or"))
		} else {
			if written != canon {
				// The API server compares this text, not what was written.
				shown += fmt.Sprintf(" (read as %q)", canon)
			}
			msg = fmt.Sprintf("divisor %s is not accepted for %s; use %s", shown, s.Ref.Resource, divisorWords(rule.allowed))
		}
		p.Report(at, msg, opts...)
	}
}

// divisorWords renders the accepted divisors short: "1m or 1", or for the
// long list "1, or 1 with a suffix: k, M, … or Ei".
func divisorWords(allowed []string) string {
	if len(allowed) <= 3 || allowed[0] != "1" {
		return joinList(allowed, "or")
	}
	var suffixes []string
	for _, a := range allowed[1:] {
		suffix, ok := strings.CutPrefix(a, "1")
		if !ok {
			return joinList(allowed, "or")
		}
		suffixes = append(suffixes, suffix)
	}
	return "1, or 1 with a suffix: " + joinList(suffixes, "or")
}

// sameValue returns the accepted divisor whose value equals d, if any.
func sameValue(d *resource.Quantity, allowed []string) string {
	for _, a := range allowed {
		if d.Cmp(resource.MustParse(a)) == 0 {
			return a
		}
	}
	return ""
}

// caseVariants returns the accepted divisors that differ from s only in
// case, or by a missing binary "i" (1m for memory: 1M or 1Mi).
func caseVariants(s string, allowed []string) []string {
	var out []string
	for _, a := range allowed {
		if a != s && (strings.EqualFold(a, s) || strings.EqualFold(a, s+"i")) {
			out = append(out, a)
		}
	}
	return out
}
