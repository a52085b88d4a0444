package rules

import (
	"fmt"
	"strings"
)

// FieldRefInvalidKey reports label and annotation keys in a fieldPath
// subscript that are not valid keys.
var FieldRefInvalidKey = &Rule{
	ID:       "DA102",
	Name:     "fieldref-invalid-key",
	Title:    "A label or annotation key in a fieldPath subscript that is not a valid key",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `In ` + "`metadata.labels['KEY']`" + ` and ` + "`metadata.annotations['KEY']`" + ` the key must be a valid
label key (a "qualified name"): an optional prefix, a lowercase DNS subdomain of at
most 253 characters followed by ` + "`/`" + `, then a name of 1 to 63 characters made of
letters, digits, ` + "`-`" + `, ` + "`_`" + ` and ` + "`.`" + ` that starts and ends with a letter or digit.
Otherwise the API server rejects the object, with the reason from
` + "`IsQualifiedName`" + `, for example
` + "`fieldRef: Invalid value: \"Bad Key!\": name part must consist of alphanumeric characters, …`" + `.

Annotation keys are lower-cased before the check (so ` + "`metadata.annotations['Example.COM/Key']`" + `
is fine), label keys are checked as written (so ` + "`metadata.labels['Example.COM/Key']`" + ` is
rejected: the prefix must be lowercase). Everything between ` + "`['`" + ` and the final ` + "`']`" + ` is
the key: there is no escaping and no trimming, so ` + "`metadata.labels[' app']`" + ` and
` + "`metadata.labels['a']['b']`" + ` are rejected too.

The API server reports this error on ` + "`fieldRef`" + ` itself, not on ` + "`fieldRef.fieldPath`" + `;
dapilint points at the fieldPath. To fix, use the key exactly as it appears in the
pod's ` + "`metadata.labels`" + ` or ` + "`metadata.annotations`" + `.

Source: ` + "`validateObjectFieldSelector`" + ` (Kubernetes 1.36) and
` + "`k8s.io/apimachinery/pkg/api/validate/content.IsLabelKey`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app.kubernetes.io/name: web}
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: APP
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels['app.kubernetes.io/name ']
`,
	Run: runFieldRefInvalidKey,
}

func runFieldRefInvalidKey(p *Pass) {
	for _, s := range fieldRefSites(p.Object) {
		base, key, ok := SplitSubscript(s.Ref.FieldPath)
		if !ok || !s.convertsVersion() {
			continue
		}
		var what string
		switch base {
		case "metadata.labels":
			what = "label"
		case "metadata.annotations":
			what = "annotation"
		default:
			continue // DA101
		}
		why := whyInvalidLabelKey(checkedKey(base, key))
		if why == "" {
			continue
		}
		msg := fmt.Sprintf("%s key %q in fieldPath is not valid: %s", what, key, why)
		var opts []ReportOption
		if strings.Contains(key, "']['") {
			msg += "; a fieldPath takes one ['KEY'] subscript"
		} else if k := fixKey(base, key); k != "" {
			fp := base + "['" + k + "']"
			msg += fmt.Sprintf("; did you mean %q?", fp)
			opts = append(opts, SafeFix("use "+fp, String(fp)))
		}
		p.Report(s.Path.Child("fieldPath"), msg, opts...)
	}
}

// checkedKey is the key as the API server checks it: annotation keys
// lower-cased, label keys as written.
func checkedKey(base, key string) string {
	if base == "metadata.annotations" {
		return strings.ToLower(key)
	}
	return key
}

// fixKey suggests a valid key for a bad one: without surrounding spaces or
// quotes, or with a lower-cased prefix.
func fixKey(base, key string) string {
	k := strings.TrimSpace(key)
	for _, q := range []string{`"`, "`"} {
		if len(k) >= 2 && strings.HasPrefix(k, q) && strings.HasSuffix(k, q) {
			k = strings.TrimSpace(k[1 : len(k)-1])
		}
	}
	if prefix, name, ok := strings.Cut(k, "/"); ok {
		k = strings.ToLower(prefix) + "/" + name
	}
	if k != key && k != "" && whyInvalidLabelKey(checkedKey(base, k)) == "" {
		return k
	}
	return ""
}
