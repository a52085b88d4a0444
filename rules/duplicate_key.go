package rules

// DuplicateKey reports a mapping key written twice.
var DuplicateKey = &Rule{
	ID:       "DA003",
	Name:     "duplicate-key",
	Title:    "A mapping key written twice",
	Severity: Error,
	Default:  true,
	Doc: `When a key appears twice in one mapping, the YAML-to-JSON conversion keeps
the last value and silently drops the first; the API server's strict field
validation rejects such an object (` + "`duplicate field`" + `). Either way one of
the two values is not what runs. Remove or merge the duplicate.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    image: nginx:1.27
`,
}
