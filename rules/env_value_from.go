package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// EnvValueFrom reports env vars whose valueFrom the API server rejects:
// no source, several sources, or a non-empty value beside it.
var EnvValueFrom = &Rule{
	ID:       "DA111",
	Name:     "env-value-from",
	Title:    "An env var valueFrom with no source, several sources, or a value beside it",
	Severity: Error,
	Default:  true,
	Doc: `An env var gets its value either from ` + "`value`" + ` or from ` + "`valueFrom`" + `, and ` + "`valueFrom`" + `
must name exactly one source: ` + "`fieldRef`" + `, ` + "`resourceFieldRef`" + `, ` + "`configMapKeyRef`" + `,
` + "`secretKeyRef`" + ` or ` + "`fileKeyRef`" + `. When ` + "`valueFrom`" + ` is present the API server checks, in
this order, and reports only the first that applies (on ` + "`…env[i].valueFrom`" + `):

1. no source: ` + "``Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef` ``" + `
   (also for ` + "`valueFrom: {}`" + ` and for a source key misspelt or indented wrongly);
2. ` + "`value`" + ` is not empty: ` + "``may not be specified when `value` is not empty``" + `;
3. more than one source: ` + "`may not have more than one field specified at a time`" + `.

` + "`value: \"\"`" + ` next to ` + "`valueFrom`" + ` is accepted. To fix, keep one of ` + "`value`" + ` and
` + "`valueFrom`" + `, and one source in ` + "`valueFrom`" + ` (use two env vars to read two things).

Source: ` + "`validateEnvVarValueFrom`" + ` (Kubernetes 1.36, with the EnvFiles gate on by default).`,
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
      value: web
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
`,
	Run: runEnvValueFrom,
}

func runEnvValueFrom(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, e := range t.Env() {
			vf := e.Var.ValueFrom
			if vf == nil {
				continue
			}
			at := e.Path.Child("valueFrom")
			var sources []string
			for _, s := range []struct {
				name string
				set  bool
			}{
				{"fieldRef", vf.FieldRef != nil},
				{"resourceFieldRef", vf.ResourceFieldRef != nil},
				{"configMapKeyRef", vf.ConfigMapKeyRef != nil},
				{"secretKeyRef", vf.SecretKeyRef != nil},
				{"fileKeyRef", vf.FileKeyRef != nil},
			} {
				if s.set {
					sources = append(sources, s.name)
				}
			}
			switch {
			case len(sources) == 0:
				if sourceHasInputProblem(p, at) {
					continue // a source with a wrong type: DA004 says it
				}
				p.Report(at, fmt.Sprintf("valueFrom of env var %q names no source; set exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef or fileKeyRef", e.Var.Name), AtKey())
			case e.Var.Value != "":
				p.Report(e.Path.Child("value"), fmt.Sprintf("env var %q sets both value and valueFrom; keep one of them (the API server rejects both together)", e.Var.Name))
			case len(sources) > 1:
				p.Report(at.Child(sources[1]), fmt.Sprintf("valueFrom of env var %q sets %s; it takes exactly one source, so use one env var per source", e.Var.Name, strings.Join(sources, " and ")), AtKey())
			}
		}
	}
}

func sourceHasInputProblem(p *Pass, valueFrom *field.Path) bool {
	for _, s := range []string{"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"} {
		if inputProblemAt(p.Object, valueFrom.Child(s)) {
			return true
		}
	}
	return false
}
