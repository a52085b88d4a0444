package rules

import "fmt"

// FieldRefAPIVersion reports fieldRef.apiVersion values other than v1.
var FieldRefAPIVersion = &Rule{
	ID:       "DA103",
	Name:     "fieldref-api-version",
	Title:    "A fieldRef apiVersion other than v1",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `` + "`fieldRef.apiVersion`" + ` is the version of the Pod schema the fieldPath is written in.
The only version the API server converts is exactly ` + "`v1`" + `; omitting the field (or
leaving it empty) means ` + "`v1`" + `. Anything else (` + "`v2`" + `, ` + "`V1`" + `, ` + "`apps/v1`" + `, a
workload's own apiVersion) makes the API server reject the object.

The API server attaches the error to ` + "`fieldPath`" + `, not to ` + "`apiVersion`" + `, which makes
it easy to misread:
` + "`fieldRef.fieldPath: Invalid value: \"metadata.name\": error converting fieldPath: unsupported pod version: apps/v1`" + `.
dapilint points at the apiVersion value.

To fix, delete the ` + "`apiVersion`" + ` line or set it to ` + "`v1`" + `.

Source: ` + "`ConvertDownwardAPIFieldLabel`" + ` (` + "`pkg/apis/core/pods/helpers.go`" + `) called by
` + "`validateObjectFieldSelector`" + `, and ` + "`SetDefaults_ObjectFieldSelector`" + `.`,
	Example: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              apiVersion: apps/v1
              fieldPath: metadata.name
`,
	Run: runFieldRefAPIVersion,
}

func runFieldRefAPIVersion(p *Pass) {
	for _, s := range fieldRefSites(p.Object) {
		v := s.Ref.APIVersion
		if s.convertsVersion() || s.Ref.FieldPath == "" {
			// An empty fieldPath is reported first (DA101), and the
			// version never checked.
			continue
		}
		p.Report(s.Path.Child("apiVersion"),
			fmt.Sprintf("fieldRef apiVersion %q is not supported: it must be \"v1\" or left out (the API server reports this on fieldPath as \"unsupported pod version\")", v),
			SafeFix("use v1", String("v1")))
	}
}
