package rules

// IgnoreUnknownRule reports an ignore that names no rule dapilint has.
var IgnoreUnknownRule = &Rule{
	ID:       "DA902",
	Name:     "ignore-unknown-rule",
	Title:    "An ignore names a rule that does not exist",
	Severity: Error,
	Default:  true,
	Doc: `An ignore comment or annotation names a rule by an ID or name that dapilint does
not have, so it silences nothing, and whatever it was meant to silence is still
reported. This is usually a typo (` + "`DA2O4`" + ` for ` + "`DA204`" + `); the message suggests the
closest rule. ` + "`dapilint rules`" + ` lists them all.

Rules are named by ID (` + "`DA204`" + `, any case) or by name (` + "`env-label-frozen`" + `),
separated by commas; a reason follows ` + "`--`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: APP # dapilint:ignore DA2O4 -- read once at start on purpose
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels['app']
`,
}
