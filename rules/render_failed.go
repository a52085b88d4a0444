package rules

// RenderFailed reports a Helm template that does not render, or a
// kustomization that does not build.
var RenderFailed = &Rule{
	ID:       "DA007",
	Name:     "render-failed",
	Title:    "A chart template does not render, or a kustomization does not build",
	Severity: Error,
	Default:  true,
	Doc: `dapilint renders Helm charts and builds Kustomize kustomizations before it lints
them (see docs/charts-and-kustomizations.md). When a template fails (a ` + "`required`" + ` value
that is missing, a ` + "`fail`" + `, a call on a nil value, a parse error), Helm renders nothing,
and neither ` + "`helm install`" + ` nor ` + "`helm template`" + ` would work with these values. dapilint
reports the failure at the template position Helm gives, leaves that template out, and
lints the rest of the chart. A ` + "`required`" + ` or ` + "`fail`" + ` check that the chart's ` + "`values.yaml`" + `
alone does not pass is not reported: it asks the chart's user for a value (a cluster
name, a password), which is not a bug of the chart; the ` + "`ci/`" + ` values sets and values
given with ` + "`--values`" + ` or ` + "`--set`" + ` are held to it. A kustomization that does not build
is reported at its kustomization file, at the line naming the file it misses when that is
the cause.

The message is Helm's or Kustomize's own. Fix the template or the values set named in
the finding (a ` + "`ci/*-values.yaml`" + ` file may lack a value that ` + "`values.yaml`" + ` has).`,
	Rendered: true,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Values.pod.name }}
`,
	ExampleOutput: `chart/templates/example.yaml:4:18: error: the chart does not render: executing "chart/templates/example.yaml" at <.Values.pod.name>: nil pointer evaluating interface {}.name [DA007]
     4 |   name: {{ .Values.pod.name }}
       |                  ^~~~~~~~~~~~~
       = rendered from chart/templates/example.yaml with values.yaml
1 error in 1 file (0 objects checked in 1 chart)
`,
}
