package rules

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// VolumeMultipleTypes reports downwardAPI volumes (and projected sources)
// that set another volume type besides.
var VolumeMultipleTypes = &Rule{
	ID:       "DA114",
	Name:     "volume-multiple-types",
	Title:    "A Downward API volume or projected source that also sets another type",
	Severity: Error,
	Default:  true,
	Doc: `A volume has exactly one type. A volume that sets ` + "`downwardAPI`" + ` (or a ` + "`projected`" + `
volume with a downwardAPI source) and also ` + "`emptyDir`" + `, ` + "`configMap`" + ` or any other
type is rejected: ` + "`spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type`" + `
(sic: the API server names the later type in its own fixed order, and spells
downwardAPI ` + "`downwarAPI`" + `). The API server then validates only the first type in that order,
so the downwardAPI items may not have been checked at all.

Likewise each entry of a projected volume's ` + "`sources`" + ` takes one source. The usual cause
is a missing ` + "`-`" + `, which merges two sources into one entry:

` + "```yaml" + `
sources:
- configMap: {name: app-config}
  downwardAPI:            # should be "- downwardAPI:"
    items: [...]
` + "```" + `

which the API server rejects with ` + "`projected.sources[0]: Forbidden: may not specify more than 1 volume type per source`" + `.

To fix, split the volume (or the source) in two. (` + "`clusterTrustBundle`" + ` and ` + "`podCertificate`" + `
sources do not count here at the 1.36 defaults: with their feature gates off the API
server drops them before validation.)

Source: ` + "`validateVolumeSource`" + ` and ` + "`validateProjectionSources`" + ` (Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `).`,
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
      - configMap: {name: web-config}
        downwardAPI:
          items:
          - {path: labels, fieldRef: {fieldPath: metadata.labels}}
`,
	Run: runVolumeMultipleTypes,
}

// volumeTypeOrder is the order in which validateVolumeSource looks at the
// volume types: the first one set is validated, each later one is
// Forbidden.
var volumeTypeOrder = []string{
	"emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
	"iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
	"downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk",
	"portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image",
}

// setFields returns the JSON names of the non-nil pointer fields of a
// struct such as corev1.VolumeSource.
func setFields(v any) []string {
	rv := reflect.ValueOf(v)
	var out []string
	for i := range rv.NumField() {
		f := rv.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}

// volumeTypes returns the types a volume sets, in the order the API server
// validates them (validateVolumeSource): it validates the first and refuses
// the others.
func volumeTypes(v *corev1.Volume) []string {
	types := setFields(v.VolumeSource)
	slices.SortFunc(types, func(a, b string) int {
		return slices.Index(volumeTypeOrder, a) - slices.Index(volumeTypeOrder, b)
	})
	return types
}

// validatedType returns the volume type the API server validates, or "".
func validatedType(v *corev1.Volume) string {
	if types := volumeTypes(v); len(types) > 0 {
		return types[0]
	}
	return ""
}

func runVolumeMultipleTypes(p *Pass) {
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			if !loader.HasDownwardAPI(v) {
				continue
			}
			vp := t.SpecPath.Child("volumes").Index(i)
			if types := volumeTypes(v); len(types) > 1 {
				p.Report(vp.Child(lastInSource(p.Object, vp, types)),
					fmt.Sprintf("volume %q sets %s; a volume has exactly one type, so split it into one volume per type", v.Name, strings.Join(types, " and ")),
					AtKey())
			}
			if v.Projected == nil {
				continue
			}
			for k, s := range v.Projected.Sources {
				if s.DownwardAPI == nil {
					continue
				}
				// clusterTrustBundle and podCertificate are dropped at the
				// 1.36 defaults, before validation.
				var kinds []string
				for _, name := range []string{"secret", "configMap", "downwardAPI", "serviceAccountToken"} {
					if slices.Contains(setFields(s), name) {
						kinds = append(kinds, name)
					}
				}
				if len(kinds) < 2 {
					continue
				}
				sp := vp.Child("projected", "sources").Index(k)
				last := lastInSource(p.Object, sp, kinds)
				p.Report(sp.Child(last),
					fmt.Sprintf("projected source sets %s; each entry of sources takes exactly one (is a \"-\" missing before %s?)", strings.Join(kinds, " and "), last),
					AtKey())
			}
		}
	}
}

// lastInSource returns the one of the fields of the mapping at base whose
// key comes last in the file: the one that was added by mistake, most
// likely.
func lastInSource(o *loader.Object, base *field.Path, fields []string) string {
	last, line, col := fields[len(fields)-1], -1, -1
	for _, f := range fields {
		loc := o.Locate(base.Child(f))
		if !loc.Exact || loc.Key == nil {
			continue
		}
		if k := loc.Key; k.Line > line || (k.Line == line && k.Col > col) {
			last, line, col = f, k.Line, k.Col
		}
	}
	return last
}
