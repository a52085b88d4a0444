package rules

import (
	"fmt"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProjectedSourceInvalid reports the sources of a projected Downward API
// volume that the API server rejects, other than the downwardAPI items
// (DA101–DA108) and modes (DA109).
var ProjectedSourceInvalid = &Rule{
	ID:       "DA117",
	Name:     "projected-source-invalid",
	Title:    "A source of a projected Downward API volume that the API server rejects",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `A projected volume that has a downwardAPI source usually has others beside it: a
service account token, a ConfigMap, a Secret. The API server validates the volume as a
whole, so a mistake in any source refuses the object. dapilint checks:

- ` + "`secret`" + ` and ` + "`configMap`" + ` sources: a ` + "`name`" + ` is required; each item needs a ` + "`key`" + ` and a
  ` + "`path`" + `, and the path must be relative, without a ` + "`..`" + ` element and not starting with
  ` + "`..`" + ` (as for downwardAPI items, DA108);
- ` + "`serviceAccountToken`" + `: ` + "`expirationSeconds`" + ` must be at least 600 (10 minutes) and at
  most 2^32 (it defaults to 3600 when left out), and ` + "`path`" + ` is required and must be a
  relative path under the same rules. The API server reports token path errors on
  ` + "`projected.path`" + `; dapilint points at the token's own ` + "`path`" + `.

Item modes are DA109's, duplicate paths DA110's, two types in one source DA114's. (A Pod
whose projected volume has a token needs a ` + "`serviceAccountName`" + `; the ServiceAccount
admission plugin sets it to ` + "`default`" + ` in every real cluster, so dapilint does not report it.)

Source: ` + "`validateProjectionSources`" + ` and ` + "`ValidateLocalNonReservedPath`" + ` in Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - {name: podinfo, mountPath: /etc/podinfo}
  volumes:
  - name: podinfo
    projected:
      sources:
      - downwardAPI:
          items:
          - path: labels
            fieldRef: {fieldPath: metadata.labels}
      - serviceAccountToken:
          path: token
          expirationSeconds: 300
`,
	Run: runProjectedSourceInvalid,
}

func runProjectedSourceInvalid(p *Pass) {
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			if v.Projected == nil || !loader.HasDownwardAPI(v) || validatedType(v) != "projected" {
				continue
			}
			for k, s := range v.Projected.Sources {
				sp := t.SpecPath.Child("volumes").Index(i).Child("projected", "sources").Index(k)
				if s.Secret != nil {
					checkProjectedItems(p, sp.Child("secret"), "secret", s.Secret.Name, s.Secret.Items)
				}
				if s.ConfigMap != nil {
					checkProjectedItems(p, sp.Child("configMap"), "configMap", s.ConfigMap.Name, s.ConfigMap.Items)
				}
				if tok := s.ServiceAccountToken; tok != nil {
					at := sp.Child("serviceAccountToken")
					exp := int64(3600) // SetDefaults_ServiceAccountTokenProjection
					if tok.ExpirationSeconds != nil {
						exp = *tok.ExpirationSeconds
					}
					switch {
					case exp < 600:
						p.Report(at.Child("expirationSeconds"), fmt.Sprintf("expirationSeconds %d is below the minimum of 600 (10 minutes); the API server refuses shorter token lifetimes", exp))
					case exp > 1<<32:
						p.Report(at.Child("expirationSeconds"), fmt.Sprintf("expirationSeconds %d is above the maximum of 2^32 (4294967296)", exp))
					}
					if tok.Path == "" {
						p.reportUnlessInput(at.Child("path"), "serviceAccountToken has no path; set the token file's name, relative to the mount point")
					} else {
						reportPathErrors(p, at.Child("path"), tok.Path)
					}
				}
			}
		}
	}
}

func checkProjectedItems(p *Pass, at *field.Path, what, name string, items []corev1.KeyToPath) {
	if name == "" {
		p.reportUnlessInput(at.Child("name"), fmt.Sprintf("%s source has no name; set the name of the %s to project", what, what))
	}
	for j, it := range items {
		ip := at.Child("items").Index(j)
		if it.Key == "" {
			p.reportUnlessInput(ip.Child("key"), fmt.Sprintf("%s item has no key; set the key to project", what))
		}
		reportPathErrors(p, ip.Child("path"), it.Path)
	}
}

// reportPathErrors reports what ValidateLocalNonReservedPath (and the
// Required check before it) finds in a file path.
func reportPathErrors(p *Pass, at *field.Path, path string) {
	for _, e := range localPathErrors(path) {
		if e.required && inputProblemAt(p.Object, at) {
			continue
		}
		var opts []ReportOption
		if e.fix != "" {
			opts = append(opts, SafeFix("use "+e.fix, String(e.fix)))
		}
		p.Report(at, e.msg, opts...)
	}
}
