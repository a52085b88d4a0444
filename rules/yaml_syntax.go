package rules

// YAMLSyntax reports files that do not parse.
var YAMLSyntax = &Rule{
	ID:       "DA001",
	Name:     "yaml-syntax",
	Title:    "The file is not valid YAML or JSON",
	Severity: Error,
	Default:  true,
	Doc: `A document that does not parse cannot be applied: kubectl stops at it.
dapilint reports where the problem is, skips that document, and goes on with
the other documents of the file.

The message says whether the file was read as YAML or as JSON, as kubectl reads
it: a file whose first non-blank character is ` + "`{`" + ` is JSON, unless its first or
second value is not strict JSON (` + "`\"defaultMode\": 0644`" + `, a trailing comma), in
which case kubectl reads the rest as YAML; when that fails too, the JSON error is
reported. The position is the problem's own line and column: the YAML parser's
line number is often that of the enclosing block, which can be far above.
Control characters and invalid UTF-8, which YAML refuses (JSON strings may hold
them), are reported at the offending byte.

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
