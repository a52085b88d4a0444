package rules

import "fmt"

// VolumeItemSource reports downwardAPI volume items that do not set
// exactly one of fieldRef and resourceFieldRef.
var VolumeItemSource = &Rule{
	ID:       "DA107",
	Name:     "volume-item-source",
	Title:    "A downwardAPI volume item without exactly one of fieldRef and resourceFieldRef",
	Severity: Error,
	Default:  true,
	Doc: `Each item of a downwardAPI volume (or of a projected volume's downwardAPI source)
writes one file, and its content comes from exactly one place: ` + "`fieldRef`" + ` (a pod
field) or ` + "`resourceFieldRef`" + ` (a container's request or limit). The API server rejects
an item with both:
` + "`spec.volumes[0].downwardAPI: Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously`" + `
(when both are set it validates only the fieldRef), and an item with neither:
` + "`spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required`" + `.
Note that the API server's path has no ` + "`items[j]`" + ` index; dapilint points at the item.

To fix, split an item with both into two items with their own paths, and give an item
with neither the source it was meant to have (often a ` + "`fieldRef:`" + ` indented at the wrong
level, which the unknown-field rule DA002 reports too).

Source: ` + "`validateDownwardAPIVolumeFile`" + ` (Kubernetes 1.36).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits: {cpu: 500m}
    volumeMounts:
    - {name: podinfo, mountPath: /etc/podinfo}
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: name
        fieldRef: {fieldPath: metadata.name}
        resourceFieldRef: {containerName: web, resource: limits.cpu}
`,
	Run: runVolumeItemSource,
}

func runVolumeItemSource(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, f := range t.DownwardAPIFiles() {
			switch {
			case f.File.FieldRef != nil && f.File.ResourceFieldRef != nil:
				p.Report(f.Path.Child("resourceFieldRef"),
					fmt.Sprintf("volume item %q sets both fieldRef and resourceFieldRef; an item takes exactly one, so split it into two items with their own paths", f.File.Path),
					AtKey())
			case f.File.FieldRef == nil && f.File.ResourceFieldRef == nil &&
				!inputProblemAt(p.Object, f.Path.Child("fieldRef")) && !inputProblemAt(p.Object, f.Path.Child("resourceFieldRef")):
				p.Report(f.Path,
					fmt.Sprintf("volume item %q has neither fieldRef nor resourceFieldRef; set exactly one of them", f.File.Path))
			}
		}
	}
}
