package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
)

// DownwardVolumeSubPath reports downwardAPI volumes (and projected volumes
// with a downwardAPI source) mounted with subPath or subPathExpr.
var DownwardVolumeSubPath = &Rule{
	ID:       "DA201",
	Name:     "downward-volume-sub-path",
	Title:    "A downwardAPI volume mounted with subPath never updates",
	Severity: Warning,
	Default:  true,
	Doc: `The kubelet writes a downwardAPI volume (or a projected volume) with an
atomic writer: each update writes a new timestamped directory and then
swaps the ` + "`..data`" + ` symlink to it. A ` + "`subPath`" + ` or ` + "`subPathExpr`" + ` mount is a
bind mount of one file or directory resolved **once**, when the container
starts, so it keeps pointing at the first version. When labels,
annotations or (after an in-place resize) resource values change, the
file inside the container never changes. Kubernetes documents this: "A
container using the downward API as a subPath volume mount does not receive
updates when field values change" (kubernetes.io, "Expose Pod Information to Containers Through Files";
kubernetes/kubernetes#50345
for the same mechanism with ConfigMaps and Secrets).

The API server accepts such mounts without a word.

dapilint warns when the mount reaches at least one Downward API file whose
value can change (labels, annotations, resources). It stays quiet when the
subPath selects only files that never change after the pod is created
(` + "`metadata.name`" + `, ` + "`metadata.namespace`" + `, ` + "`metadata.uid`" + `), or, in a projected
volume, a file of another source.

**Fix:** mount the whole volume at a directory of its own (drop ` + "`subPath`" + `)
and have the application read the file inside it, or read the value once
from an env var if it must not change anyway.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - name: podinfo
      mountPath: /etc/labels
      subPath: labels
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: labels
        fieldRef:
          fieldPath: metadata.labels
`,
	Run: runDownwardVolumeSubPath,
}

func runDownwardVolumeSubPath(p *Pass) {
	for _, t := range p.Object.Pods {
		vols := map[string]*corev1.Volume{}
		for i := range t.Spec.Volumes {
			if v := &t.Spec.Volumes[i]; loader.HasDownwardAPI(v) {
				vols[v.Name] = v
			}
		}
		if len(vols) == 0 {
			continue
		}
		for _, c := range t.Containers() {
			for j, m := range c.Container.VolumeMounts {
				v := vols[m.Name]
				if v == nil || (m.SubPath == "" && m.SubPathExpr == "") {
					continue
				}
				key, sub := "subPath", m.SubPath
				if sub == "" {
					key, sub = "subPathExpr", m.SubPathExpr
				}
				changing := changingDownwardFiles(v, sub, key == "subPathExpr")
				if len(changing) == 0 {
					continue
				}
				kind := "downwardAPI volume"
				if v.DownwardAPI == nil {
					kind = "projected volume with a downwardAPI source"
				}
				p.Report(c.Path.Child("volumeMounts").Index(j).Child(key),
					fmt.Sprintf("%s %q is mounted with %s, so %s never updated after start; mount the volume without %s",
						kind, v.Name, key, describeFiles(changing), key),
					AtKey())
			}
		}
	}
}

// changingDownwardFiles returns the Downward API items of v that a subPath
// mount reaches and whose value can change while the pod runs. An
// expression (subPathExpr) may reach anything.
func changingDownwardFiles(v *corev1.Volume, sub string, expr bool) []corev1.DownwardAPIVolumeFile {
	var items []corev1.DownwardAPIVolumeFile
	if v.DownwardAPI != nil {
		items = v.DownwardAPI.Items
	} else {
		for _, s := range v.Projected.Sources {
			if s.DownwardAPI != nil {
				items = append(items, s.DownwardAPI.Items...)
			}
		}
	}
	dir := path.Clean(sub)
	var out []corev1.DownwardAPIVolumeFile
	for _, it := range items {
		if !expr && dir != "." {
			p := path.Clean(it.Path)
			if p != dir && !strings.HasPrefix(p, dir+"/") {
				continue
			}
		}
		if it.FieldRef != nil {
			switch it.FieldRef.FieldPath {
			case "metadata.name", "metadata.namespace", "metadata.uid":
				continue // fixed for the pod's lifetime
			}
		}
		out = append(out, it)
	}
	return out
}

func describeFiles(items []corev1.DownwardAPIVolumeFile) string {
	if len(items) == 1 {
		return fmt.Sprintf("file %q is", items[0].Path)
	}
	var names []string
	for _, it := range items {
		names = append(names, fmt.Sprintf("%q", it.Path))
	}
	return "files " + strings.Join(names, ", ") + " are"
}
