package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
)

// VolumeMountUndefined reports volumeMounts that name no volume of the pod.
var VolumeMountUndefined = &Rule{
	ID:       "DA112",
	Name:     "volume-mount-undefined",
	Title:    "A volumeMount naming a volume the pod does not define",
	Severity: Error,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `A container's ` + "`volumeMounts[].name`" + ` must be the name of one of the pod's
` + "`volumes`" + `. Otherwise the API server rejects the object:
` + "`spec.containers[0].volumeMounts[0].name: Not found: \"podinfo\"`" + `. The usual causes are
a typo, a volume that was renamed or removed, or a ` + "`volumes:`" + ` list indented at the
wrong level (under the container instead of the pod spec; DA002 reports that key).
This applies to containers, init containers and ephemeral containers alike.

To fix, use the name of a volume the pod defines (dapilint suggests the closest one),
or add the volume.

The API server also answers ` + "`Not found`" + ` for a mount of a volume that exists but failed
its own validation (for example a downwardAPI volume with a bad fieldPath). dapilint
does not repeat that: it reports the volume's problem where it is.

Source: ` + "`ValidateVolumeMounts`" + ` and ` + "`ValidateVolumes`" + ` (Kubernetes 1.36
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
    - {name: pod-info, mountPath: /etc/podinfo}
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: labels
        fieldRef: {fieldPath: metadata.labels}
`,
	Run: runVolumeMountUndefined,
}

func runVolumeMountUndefined(p *Pass) {
	for _, t := range p.Object.Pods {
		if volumesUnreadable(p.Object, t.SpecPath.Child("volumes").String()) {
			continue // the input rules report it; the volume names are unknown
		}
		var names []string
		defined := map[string]bool{}
		for _, v := range t.Spec.Volumes {
			if v.Name != "" && !defined[v.Name] {
				defined[v.Name] = true
				names = append(names, v.Name)
			}
		}
		for _, v := range t.ClaimVolumes {
			if v != "" && !defined[v] {
				defined[v] = true
				names = append(names, v)
			}
		}
		have := "the pod defines no volumes"
		if len(names) > 0 {
			have = "the pod's volumes are " + quoteList(names)
		}
		for _, c := range t.Containers() {
			// A volume this container already mounts is no candidate for a
			// did-you-mean: a second mount of it is a guess, not a fix.
			mounted := map[string]bool{}
			for _, m := range c.Container.VolumeMounts {
				mounted[m.Name] = true
			}
			candidates := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return mounted[n] })
			for j, m := range c.Container.VolumeMounts {
				at := c.Path.Child("volumeMounts").Index(j).Child("name")
				if m.Name == "" {
					p.reportUnlessInput(at, "volumeMount has no name; set it to the name of one of the pod's volumes ("+have+")")
					continue
				}
				if defined[m.Name] {
					continue
				}
				msg := fmt.Sprintf("volumeMount names volume %q, which the pod does not define; %s", m.Name, have)
				var opts []ReportOption
				if s := loader.Closest(m.Name, candidates, 3); s != "" {
					msg = fmt.Sprintf("volumeMount names volume %q, which the pod does not define (did you mean %q?)", m.Name, s)
					opts = append(opts, UnsafeFix("use "+s, String(s)))
				}
				p.Report(at, msg, opts...)
			}
		}
	}
}

// volumesUnreadable reports whether the loader could not read the volume
// list or a volume's name (a wrong type), so that the names are unknown.
func volumesUnreadable(o *loader.Object, volumes string) bool {
	for _, pr := range o.Problems {
		if pr.Kind == loader.UnknownField || pr.Kind == loader.UnservedVersion {
			continue
		}
		if pr.Path == volumes {
			return true
		}
		if rest, ok := strings.CutPrefix(pr.Path, volumes+"["); ok {
			if i := strings.IndexByte(rest, ']'); i >= 0 && (rest[i+1:] == "" || rest[i+1:] == ".name") {
				return true
			}
		}
	}
	return false
}
