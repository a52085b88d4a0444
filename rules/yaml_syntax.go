package rules

// YAMLSyntax reports files that do not parse.
var YAMLSyntax = &Rule{
	ID:       "DA001",
	Name:     "yaml-syntax",
	Title:    "The file is not valid YAML or JSON",
	Severity: Error,
	Default:  true,
	Doc: `A document that does not parse cannot be applied: kubectl stops at it.
dapilint reports the position the parser gives, skips that document, and goes
on with the other documents of the file.

This includes a document separator line with content after it (` + "`--- {a: 1}`" + `):
kubectl accepts only blanks or a comment after ` + "`---`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
     env: []
`,
}
