package rules

// WrongType reports values of the wrong type.
var WrongType = &Rule{
	ID:       "DA004",
	Name:     "wrong-type",
	Title:    "A value of the wrong type",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes | UnsafeFixes,
	Doc: `The API server decodes manifests as JSON into typed structs, and a value of
the wrong JSON type fails the whole object:
` + "`cannot unmarshal string into Go struct field … of type int32`" + `.

YAML 1.1 rules apply, as kubectl reads them: unquoted ` + "`yes`" + `, ` + "`no`" + `, ` + "`on`" + `, ` + "`off`" + `,
` + "`y`" + ` and ` + "`n`" + ` are booleans, so an env value ` + "`value: yes`" + ` is refused; and a quoted
` + "`mode: \"0644\"`" + ` is a string, not a number. Quote strings, leave numbers unquoted.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: DEBUG
      value: yes
  volumes:
  - name: podinfo
    downwardAPI:
      defaultMode: "0644"
`,
}
