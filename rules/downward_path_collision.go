package rules

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// DownwardPathCollision reports Downward API files that land on the same
// path (or inside one another) in one volume.
var DownwardPathCollision = &Rule{
	ID:       "DA208",
	Name:     "downward-path-collision",
	Title:    "Two files of a volume land on the same path",
	Severity: Warning,
	Default:  true,
	Doc: `The kubelet builds a volume's files in a map keyed by the **cleaned**
path (` + "`filepath.Clean`" + `), so two items whose paths clean to the same name
produce one file, and the other value is silently lost (` + "`CollectData`" + `, the atomic writer's ` + "`validatePayload`" + `). The API server
does not catch most of these:

* a plain ` + "`downwardAPI`" + ` volume has **no** duplicate check at all: ` + "`path: name`" + `
  twice is accepted, and the later item wins;
* a projected volume rejects identical paths across its sources, but
  compares raw strings, so ` + "`a`" + `, ` + "`./a`" + `, ` + "`a/`" + ` and ` + "`a//`" + ` pass;
* a ` + "`serviceAccountToken`" + ` path is outside that check: a Downward API file on
  the token's path is accepted (the API server only warns), and whichever
  source comes later replaces the other: the token or the value.

When one path lies *inside* another (` + "`info`" + ` and ` + "`info/labels`" + `), one needs
a file and the other a directory of the same name: writing the volume
fails, the volume never mounts and the pod stays in ` + "`ContainerCreating`" + `.
dapilint reports that case as an ` + "`error`" + `, the API server only warns.

Exact duplicates that the API server already rejects (within a projected
volume, other than with a token) are left to the DA1xx rules.

**Fix:** give every file its own path.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - name: podinfo
      mountPath: /etc/podinfo
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: info
        fieldRef:
          fieldPath: metadata.labels
      - path: ./info
        fieldRef:
          fieldPath: metadata.annotations
`,
	Run: runDownwardPathCollision,
}

// volumeFile is one file a volume source writes.
type volumeFile struct {
	raw      string
	at       *field.Path // the path field
	source   int         // index of the source (0 for a plain volume)
	what     string      // "downwardAPI item", "serviceAccountToken", …
	downward bool
	token    bool
}

// ref is where the file is defined in its volume: the item
// ("items[2]", "sources[1].configMap.items[0]"), or the source's field.
func (f volumeFile) ref(volume *field.Path) string {
	s := relTo(volume, f.at)
	for _, kind := range []string{"downwardAPI.", "projected."} {
		s = strings.TrimPrefix(s, kind)
	}
	return s
}

// key is the payload map key the kubelet uses: Downward API paths are
// cleaned by CollectData, the other sources' paths are kept raw (they are
// cleaned later, by validatePayload, with no defined order).
func (f volumeFile) key() string {
	if f.downward {
		return path.Clean(f.raw)
	}
	return f.raw
}

// validLocalPath mirrors the API server's ValidateLocalNonReservedPath:
// invalid paths are rejected there (DA1xx), not a runtime matter.
func validLocalPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "..") || hasBackstep(p) {
		return false
	}
	return path.Clean(p) != "."
}

func runDownwardPathCollision(p *Pass) {
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			vp := t.SpecPath.Child("volumes").Index(i)
			var files []volumeFile
			switch {
			case v.DownwardAPI != nil:
				for j, it := range v.DownwardAPI.Items {
					files = append(files, volumeFile{it.Path, vp.Child("downwardAPI", "items").Index(j).Child("path"), 0, "item", true, false})
				}
			case v.Projected != nil:
				files = projectedFiles(v.Projected, vp)
			}
			checkCollisions(p, v, vp, files)
		}
	}
}

func projectedFiles(pv *corev1.ProjectedVolumeSource, vp *field.Path) []volumeFile {
	var files []volumeFile
	for k, s := range pv.Sources {
		sp := vp.Child("projected", "sources").Index(k)
		keyToPath := func(kind, name string, items []corev1.KeyToPath) {
			for j, it := range items {
				files = append(files, volumeFile{it.Path, sp.Child(kind, "items").Index(j).Child("path"), k, fmt.Sprintf("%s %q item", kind, name), false, false})
			}
		}
		switch {
		case s.Secret != nil:
			keyToPath("secret", s.Secret.Name, s.Secret.Items)
		case s.ConfigMap != nil:
			keyToPath("configMap", s.ConfigMap.Name, s.ConfigMap.Items)
		case s.DownwardAPI != nil:
			for j, it := range s.DownwardAPI.Items {
				files = append(files, volumeFile{it.Path, sp.Child("downwardAPI", "items").Index(j).Child("path"), k, "downwardAPI item", true, false})
			}
		case s.ServiceAccountToken != nil:
			files = append(files, volumeFile{s.ServiceAccountToken.Path, sp.Child("serviceAccountToken", "path"), k, "serviceAccountToken", false, true})
		case s.ClusterTrustBundle != nil:
			files = append(files, volumeFile{s.ClusterTrustBundle.Path, sp.Child("clusterTrustBundle", "path"), k, "clusterTrustBundle", false, false})
		case s.PodCertificate != nil:
			pc := s.PodCertificate
			for _, f := range []struct{ name, p string }{{"credentialBundlePath", pc.CredentialBundlePath}, {"keyPath", pc.KeyPath}, {"certificateChainPath", pc.CertificateChainPath}} {
				if f.p != "" {
					files = append(files, volumeFile{f.p, sp.Child("podCertificate", f.name), k, "podCertificate " + f.name, false, false})
				}
			}
		}
	}
	return files
}

func checkCollisions(p *Pass, v *corev1.Volume, vp *field.Path, files []volumeFile) {
	for j, b := range files {
		if !validLocalPath(b.raw) {
			continue
		}
		cb := path.Clean(b.raw)
		for _, a := range files[:j] {
			if !validLocalPath(a.raw) || (!a.downward && !b.downward) {
				continue
			}
			ca := path.Clean(a.raw)
			if ca == cb {
				if a.raw == b.raw && v.Projected != nil && !a.token && !b.token {
					continue // rejected by the API server: DA1xx
				}
				same := ""
				if a.raw != b.raw {
					same = fmt.Sprintf(" (both clean to %q)", cb)
				}
				effect := "this one silently replaces it"
				switch {
				case a.key() != b.key() && a.source != b.source:
					effect = "which of the two is written is not defined"
				case a.token:
					effect = "this one silently replaces the token"
				case b.token:
					effect = "the token silently replaces this Downward API value"
				}
				p.Report(b.at, fmt.Sprintf("path %q of volume %q is the same file as %s%s: %s; give each file its own path",
					b.raw, v.Name, a.ref(vp), same, effect))
				break
			}
			if strings.HasPrefix(cb, ca+"/") || strings.HasPrefix(ca, cb+"/") {
				outer := ca
				if len(cb) < len(ca) {
					outer = cb
				}
				p.Report(b.at, fmt.Sprintf("path %q of volume %q and %s need %q to be both a file and a directory, so the volume never mounts (the pod stays in ContainerCreating)",
					b.raw, v.Name, a.ref(vp), outer), WithSeverity(Error))
				break
			}
		}
	}
}
