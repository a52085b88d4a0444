package rules

// DuplicateKey reports a mapping key written twice.
var DuplicateKey = &Rule{
	ID:       "DA003",
	Name:     "duplicate-key",
	Title:    "A mapping key written twice",
	Severity: Error,
	Default:  true,
	Doc: `When a key appears twice in one mapping, only one of the two values takes
effect.

Which one depends on the client:

- ` + "`kubectl apply`" + ` converts the YAML to JSON first (sigs.k8s.io/yaml), which keeps
  the **last** value and drops the first without a word; the API server never
  sees the duplicate and accepts the object.
- A client that sends the YAML itself is refused by the API server's strict field
  validation (` + "`duplicate field`" + `).

This is the one input error the API server does not always see: dapilint reports
it as an error because the manifest says two things and only one of them runs.
Remove the duplicate, or merge the two values.`,
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
