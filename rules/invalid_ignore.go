package rules

// InvalidIgnore reports a dapilint directive that cannot be read.
var InvalidIgnore = &Rule{
	ID:       "DA903",
	Name:     "invalid-ignore",
	Title:    "A dapilint directive that cannot be read",
	Severity: Error,
	Default:  true,
	Doc: `A comment that starts with ` + "`dapilint:`" + ` is a directive to dapilint, and this one
does not say anything dapilint understands, so it silences nothing:

- the directive is not ` + "`ignore`" + ` or ` + "`ignore-file`" + ` (a typo such as ` + "`dapilint:ingore`" + `);
- it names no rule: write the rules to ignore, e.g. ` + "`# dapilint:ignore DA204 -- reason`" + `
  (there is no blanket ignore: an ignore of every rule would hide the next,
  unrelated problem too);
- ` + "`ignore-file`" + ` does not stand above the first content of the file or of a document;
- it has no reason after ` + "`--`" + ` while the configuration sets
  ` + "`require-ignore-reason: true`" + ` (an annotation's value is its reason).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    # dapilint:ingore DA202
    env: []
`,
}
