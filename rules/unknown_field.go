package rules

// UnknownField reports fields the object's type does not have.
var UnknownField = &Rule{
	ID:       "DA002",
	Name:     "unknown-field",
	Title:    "A field the object's type does not have",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `kubectl validates strictly by default (` + "`--validate=strict`" + `): the API server
rejects an object with a field its type does not have, with
` + "`strict decoding error: unknown field \"…\"`" + `. Field names are case-sensitive
(` + "`fieldpath`" + ` is not ` + "`fieldPath`" + `).

The commonest cause is a key indented at the wrong level, such as ` + "`volumes:`" + `
at the top level of a Pod instead of under ` + "`spec:`" + `. Even with
` + "`--validate=false`" + ` the field is silently dropped, so what it says never
takes effect.

dapilint points at the key, suggests the closest field name, and says when
the key belongs to a nested field.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldpath: metadata.name
`,
}
