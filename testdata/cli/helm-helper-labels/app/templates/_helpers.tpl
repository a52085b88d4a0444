{{/*
Selector labels: the pod template and the selector share them.
*/}}
{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: app
app.kubernetes.io/component: web
{{- end }}

{{/*
Labels a kustomize base used to add; the chart kept them.
*/}}
{{- define "app.kustomizeLabels" -}}
app.kubernetes.io/component: web
kustomize.component: web
{{- end }}
