package rules

// DuplicateKey reports a mapping key written twice.
var DuplicateKey = &Rule{
	ID:       "DA003",
	Name:     "duplicate-key",
	Title:    "A mapping key written twice",
	Severity: Warning,
	Default:  true,
	Doc: `When a key appears twice in one mapping, only one of the two values takes
effect.

Which one depends on the client:

- ` + "`kubectl apply`" + ` and ` + "`kubectl create`" + ` convert the YAML to JSON first
  (sigs.k8s.io/yaml), which keeps the **last** value and drops the first without
  a word; the API server never sees the duplicate and accepts the object.
- A client that sends the YAML itself is refused by the API server's strict
  field validation (` + "`duplicate field`" + `).

Because the object kubectl sends is accepted, this is a **warning**, not an
error: the manifest says two things and only the later one runs. The message
names both lines; remove the one you do not mean.

When the second value is written exactly like the first (a ` + "`selector:`" + `
copied twice), nothing is lost whichever value is kept: that case is an
` + "`info`" + ` asking to remove the repetition.`,
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
