package rules

import (
	"fmt"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// VolumeNameInvalid reports the name of a Downward API volume that the API
// server rejects.
var VolumeNameInvalid = &Rule{
	ID:       "DA116",
	Name:     "volume-name-invalid",
	Title:    "A Downward API volume whose name the API server rejects",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `A volume's ` + "`name`" + ` is what ` + "`volumeMounts`" + ` refer to. The API server requires it to be
present, a lowercase RFC 1123 label (lower-case letters, digits and ` + "`-`" + `, at most 63
characters, starting and ending with a letter or digit: ` + "`pod_info`" + ` and ` + "`PodInfo`" + ` are
refused), and unique among the pod's volumes (` + "`Duplicate value`" + `). A refused volume is
also missing for every mount that names it.

This rule checks the volumes dapilint reads whole: downwardAPI volumes and projected
volumes with a downwardAPI source. A duplicate is reported on the later volume. (The API
server reports it only when the earlier volume is valid; when that one is refused for
another reason, the object is refused anyway, and dapilint reports the duplicate too.)
dapilint suggests the name in lower case with ` + "`-`" + ` for ` + "`_`" + ` when that is a valid label.

Source: ` + "`ValidateVolumes`" + ` in Kubernetes 1.36 ` + "`pkg/apis/core/validation/validation.go`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - {name: pod_info, mountPath: /etc/podinfo}
  volumes:
  - name: pod_info
    downwardAPI:
      items:
      - path: name
        fieldRef: {fieldPath: metadata.name}
`,
	Run: runVolumeNameInvalid,
}

func runVolumeNameInvalid(p *Pass) {
	for _, t := range p.Object.Pods {
		seen := map[string]int{}
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			at := t.SpecPath.Child("volumes").Index(i).Child("name")
			first, dup := seen[v.Name]
			if !dup {
				seen[v.Name] = i
			}
			if !loader.HasDownwardAPI(v) {
				continue
			}
			if v.Name == "" {
				p.reportUnlessInput(at, "volume has no name; name it (a lowercase RFC 1123 label) so that volumeMounts can refer to it")
				continue
			}
			if why := dnsLabel.whyInvalid(v.Name); why != "" {
				msg := fmt.Sprintf("volume name %q is not valid: %s", v.Name, why)
				var opts []ReportOption
				if s := labelLike(v.Name); s != "" {
					msg += fmt.Sprintf("; did you mean %q? (rename its volumeMounts too)", s)
					if !volumeNamed(t, s) {
						// The volume and every mount of it: a name
						// local to the pod, renamed the same everywhere.
						opts = append(opts, SafeFix("rename it and its volumeMounts to "+s, String(s)),
							AlsoReplace(mountsOf(t, v.Name)...))
					}
				}
				p.Report(at, msg, opts...)
				continue
			}
			if dup {
				p.Report(at, fmt.Sprintf("volume name %q is already used by volume %d of the pod; volume names must be unique", v.Name, first))
			}
		}
	}
}

// labelLike turns a name into a valid RFC 1123 label the obvious way
// (lower case, "-" for "_" and "."), or returns "" when that is not enough.
func labelLike(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '_' || c == '.':
			b[i] = '-'
		}
	}
	if out := string(b); out != s && dnsLabel.whyInvalid(out) == "" {
		return out
	}
	return ""
}

// volumeNamed reports whether the pod already has a volume called name.
func volumeNamed(t *loader.PodTemplate, name string) bool {
	for _, v := range t.Spec.Volumes {
		if v.Name == name {
			return true
		}
	}
	return false
}

// mountsOf returns the paths of the names of every volumeMount of the
// volume called name, in every container.
func mountsOf(t *loader.PodTemplate, name string) []*field.Path {
	var out []*field.Path
	for _, c := range t.Containers() {
		for j, m := range c.Container.VolumeMounts {
			if m.Name == name {
				out = append(out, c.Path.Child("volumeMounts").Index(j).Child("name"))
			}
		}
	}
	return out
}
