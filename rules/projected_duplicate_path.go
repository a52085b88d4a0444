package rules

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProjectedDuplicatePath reports file paths used twice across the sources
// of one projected volume.
var ProjectedDuplicatePath = &Rule{
	ID:       "DA110",
	Name:     "projected-duplicate-path",
	Title:    "A file path used twice in one projected volume",
	Severity: Error,
	Default:  true,
	Doc: `All sources of a projected volume write into the same directory, so the API server
requires every file path to be unique across them: the items of ` + "`secret`" + ` and
` + "`configMap`" + ` sources and the items of ` + "`downwardAPI`" + ` sources. A repeated path is rejected with
` + "`spec.volumes[0].projected: Invalid value: …: conflicting duplicate paths`" + `, where the value
is the path for downwardAPI items but the secret's or configMap's *name* for their
items, which makes the message hard to act on. dapilint names the path and both items.

The comparison is on the raw strings: ` + "`a`" + ` and ` + "`./a`" + ` are different to the API server
(they still collide on disk). A clash with a ` + "`serviceAccountToken`" + ` path is not part of
this check: the API server only warns about it. Nor are the ` + "`clusterTrustBundle`" + ` and
` + "`podCertificate`" + ` paths: the API server would compare them too, but with their feature gates
off (the 1.36 default) it drops those sources on create, before validation. Plain
downwardAPI volumes have no duplicate check at all.

This rule checks projected volumes that have a downwardAPI source. To fix, give each
file its own path.

Source: ` + "`validateProjectionSources`" + ` (Kubernetes 1.36).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - {name: config, mountPath: /etc/config}
  volumes:
  - name: config
    projected:
      sources:
      - configMap:
          name: web-config
          items:
          - {key: app.properties, path: app.properties}
      - downwardAPI:
          items:
          - path: app.properties
            fieldRef: {fieldPath: metadata.annotations}
`,
	Run: runProjectedDuplicatePath,
}

func runProjectedDuplicatePath(p *Pass) {
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			if v.Projected == nil || !loader.HasDownwardAPI(v) {
				continue
			}
			vp := t.SpecPath.Child("volumes").Index(i).Child("projected")
			seen := map[string]*field.Path{}
			add := func(path string, at *field.Path) {
				first, dup := seen[path]
				if !dup {
					seen[path] = at
					return
				}
				p.Report(at, fmt.Sprintf("path %q of projected volume %q is already used by %s; give each file its own path",
					path, v.Name, relTo(vp, first)))
			}
			// The order of validateProjectionSources: per source, secret,
			// configMap and downwardAPI items (serviceAccountToken is not
			// checked).
			for k, s := range v.Projected.Sources {
				sp := vp.Child("sources").Index(k)
				if s.Secret != nil {
					for j, it := range s.Secret.Items {
						if it.Path != "" {
							add(it.Path, sp.Child("secret", "items").Index(j).Child("path"))
						}
					}
				}
				if s.ConfigMap != nil {
					for j, it := range s.ConfigMap.Items {
						if it.Path != "" {
							add(it.Path, sp.Child("configMap", "items").Index(j).Child("path"))
						}
					}
				}
				if s.DownwardAPI != nil {
					for j, it := range s.DownwardAPI.Items {
						if it.Path != "" {
							add(it.Path, sp.Child("downwardAPI", "items").Index(j).Child("path"))
						}
					}
				}
				// clusterTrustBundle and podCertificate paths are in the
				// API server's set too, but with their feature gates off (the
				// 1.36 default: ClusterTrustBundleProjection and
				// PodCertificateRequest are beta, off) those sources are
				// dropped on create, before validation, so they never clash.
			}
		}
	}
}

// relTo renders path relative to base ("sources[1].downwardAPI.items[0]"),
// without a trailing ".path".
func relTo(base, path *field.Path) string {
	s := strings.TrimPrefix(path.String(), base.String()+".")
	return strings.TrimSuffix(s, ".path")
}
