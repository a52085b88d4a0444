package rules

import (
	"fmt"
	"unicode"
)

// EnvNameInvalid reports env var names the API server rejects.
var EnvNameInvalid = &Rule{
	ID:       "DA113",
	Name:     "env-name-invalid",
	Title:    "An env var name that is empty or not printable ASCII",
	Severity: Error,
	Default:  true,
	Doc: `Every env var needs a name (` + "`…env[i].name: Required value`" + `). Since Kubernetes 1.32 the
name may be any printable ASCII characters (space to ` + "`~`" + `) except ` + "`=`" + `: leading digits,
dots and spaces are allowed (the RelaxedEnvironmentVariableValidation gate, GA and locked
on in 1.34). A name with ` + "`=`" + `, a tab, a newline or a non-ASCII character is rejected with
` + "`a valid environment variable name must consist only of printable ASCII characters other than '='`" + `.

Clusters older than 1.32 use a stricter rule (letters, digits, ` + "`_`" + `, ` + "`-`" + `, ` + "`.`" + `, not
starting with a digit); this rule follows Kubernetes 1.36.

Source: ` + "`ValidateEnv`" + ` and ` + "`IsRelaxedEnvVarName`" + ` (Kubernetes 1.36, apimachinery
` + "`pkg/util/validation`" + `).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: POD_NAME=web
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
`,
	Run: runEnvNameInvalid,
}

func runEnvNameInvalid(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, e := range t.Env() {
			at := e.Path.Child("name")
			name := e.Var.Name
			if name == "" {
				p.reportUnlessInput(at, "env var has no name; set one (any printable ASCII characters except '=')")
				continue
			}
			for _, r := range name {
				if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == '=' {
					p.Report(at, fmt.Sprintf("env var name %q contains %s; names may use any printable ASCII characters except '='", name, describeRune(r)))
					break
				}
			}
		}
	}
}

func describeRune(r rune) string {
	switch r {
	case '=':
		return "'='"
	case '\t':
		return "a tab"
	case '\n', '\r':
		return "a line break"
	case unicode.ReplacementChar:
		return "invalid UTF-8"
	}
	if r > unicode.MaxASCII {
		return fmt.Sprintf("the non-ASCII character %q", r)
	}
	return fmt.Sprintf("the control character %U", r)
}
