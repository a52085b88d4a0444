package rules

// InvalidQuantity reports resource quantities that do not parse.
var InvalidQuantity = &Rule{
	ID:       "DA005",
	Name:     "invalid-quantity",
	Title:    "A resource quantity that does not parse",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `Quantities (resource requests and limits, ` + "`divisor`" + `, ` + "`sizeLimit`" + `) must match
` + "`^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`" + ` with a known suffix: ` + "`n u m k M G T P E`" + `
(decimal) or ` + "`Ki Mi Gi Ti Pi Ei`" + ` (binary). Suffixes are case-sensitive:
` + "`100ki`" + `, ` + "`1K`" + `, ` + "`512MB`" + ` are all invalid, and the API server refuses the whole
object (` + "`unable to parse quantity's suffix`" + `).

dapilint reports the bad value, suggests the intended spelling, and still
checks the rest of the object.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits:
        memory: 100ki
`,
}
