package rules

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// EnvSourceInvalid reports configMapKeyRef, secretKeyRef and fileKeyRef
// sources of an env var that the API server rejects.
var EnvSourceInvalid = &Rule{
	ID:       "DA115",
	Name:     "env-source-invalid",
	Title:    "A configMapKeyRef, secretKeyRef or fileKeyRef the API server rejects",
	Severity: Error,
	Default:  true,
	Doc: `Besides the Downward API's ` + "`fieldRef`" + ` and ` + "`resourceFieldRef`" + `, an env var's
` + "`valueFrom`" + ` can read a ConfigMap key, a Secret key or a key of an env file in a volume. The
API server checks each of them, and refuses the object when:

- ` + "`configMapKeyRef`" + ` / ` + "`secretKeyRef`" + `: the ` + "`name`" + ` is not a valid object name (a
  lowercase RFC 1123 subdomain; an empty name is refused too), or the ` + "`key`" + ` is empty or not a
  valid key (letters, digits, ` + "`-`" + `, ` + "`_`" + ` and ` + "`.`" + `; not ` + "`.`" + ` or ` + "`..`" + `, no leading ` + "`..`" + `);
- ` + "`fileKeyRef`" + ` (env files, on by default since Kubernetes 1.35): the ` + "`key`" + ` is empty or contains
  ` + "`=`" + ` or a non-printable character; the ` + "`volumeName`" + ` is empty or not a valid volume name; the
  ` + "`path`" + ` is empty or has a ` + "`..`" + ` element; or the volume it names is not in the pod
  (` + "`Not found`" + `) or is not an ` + "`emptyDir`" + ` (` + "`referenced volume must be of type emptyDir`" + `).

Whether the ConfigMap, Secret or key exists is not checked: the API server does not check it
either (a missing one stops the container at start, unless ` + "`optional: true`" + `).

Source: ` + "`validateConfigMapKeySelector`" + `, ` + "`validateSecretKeySelector`" + `,
` + "`validateFileKeySelector`" + ` and ` + "`validateFileKeyRefVolumes`" + ` in Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: CONFIG
      valueFrom:
        fileKeyRef: {volumeName: config, path: app.env, key: CONFIG}
  volumes:
  - name: config
    configMap: {name: web}
`,
	Run: runEnvSourceInvalid,
}

func runEnvSourceInvalid(p *Pass) {
	for _, t := range p.Object.Pods {
		volumes := map[string]string{} // name → type, as validateFileKeyRefVolumes maps them (last wins)
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			volumes[v.Name] = "other"
			if v.EmptyDir != nil {
				volumes[v.Name] = "emptyDir"
			}
		}
		for _, e := range t.Env() {
			vf := e.Var.ValueFrom
			if vf == nil {
				continue
			}
			at := e.Path.Child("valueFrom")
			if r := vf.ConfigMapKeyRef; r != nil {
				checkObjectKeyRef(p, at.Child("configMapKeyRef"), "ConfigMap", r.Name, r.Key)
			}
			if r := vf.SecretKeyRef; r != nil {
				checkObjectKeyRef(p, at.Child("secretKeyRef"), "Secret", r.Name, r.Key)
			}
			r := vf.FileKeyRef
			if r == nil {
				continue
			}
			fk := at.Child("fileKeyRef")
			if r.Key == "" {
				p.reportUnlessInput(fk.Child("key"), "fileKeyRef has no key; set the name of the variable to read from the env file")
			} else if why := envVarName.whyInvalid(r.Key); why != "" {
				p.Report(fk.Child("key"), fmt.Sprintf("fileKeyRef key %q is not a valid variable name: %s", r.Key, why))
			}
			if r.VolumeName == "" {
				p.reportUnlessInput(fk.Child("volumeName"), "fileKeyRef has no volumeName; name the emptyDir volume that holds the env file")
			} else if why := dnsLabel.whyInvalid(r.VolumeName); why != "" {
				p.Report(fk.Child("volumeName"), fmt.Sprintf("fileKeyRef volumeName %q is not a valid volume name: %s", r.VolumeName, why))
			}
			if r.Path == "" {
				p.reportUnlessInput(fk.Child("path"), "fileKeyRef has no path; set the env file's path inside the volume")
			} else if hasBackstep(r.Path) {
				p.Report(fk.Child("path"), fmt.Sprintf("fileKeyRef path %q must not contain a '..' element", r.Path))
			}
			switch volumes[r.VolumeName] {
			case "emptyDir":
			case "":
				if r.VolumeName != "" { // an empty one is reported above
					p.Report(fk.Child("volumeName"), fmt.Sprintf("fileKeyRef names volume %q, which the pod does not define; the env file must be in one of the pod's emptyDir volumes", r.VolumeName))
				}
			default:
				p.Report(fk.Child("volumeName"), fmt.Sprintf("fileKeyRef names volume %q, which is not an emptyDir volume; env files are read from emptyDir volumes only (an init container writes the file there)", r.VolumeName))
			}
		}
	}
}

// checkObjectKeyRef mirrors validateConfigMapKeySelector and
// validateSecretKeySelector.
func checkObjectKeyRef(p *Pass, at *field.Path, what, name, key string) {
	if name == "" {
		p.reportUnlessInput(at.Child("name"), fmt.Sprintf("%s key reference has no name; set the name of the %s", what, what))
	} else if why := dnsSubdomain.whyInvalid(name); why != "" {
		p.Report(at.Child("name"), fmt.Sprintf("%s name %q is not a valid object name: %s", what, name, why))
	}
	if key == "" {
		p.reportUnlessInput(at.Child("key"), fmt.Sprintf("%s key reference has no key; set the key to read", what))
		return
	}
	if why := configMapKey.whyInvalid(key); why != "" {
		p.Report(at.Child("key"), fmt.Sprintf("%s key %q is not a valid key: %s", what, key, why))
	}
}
