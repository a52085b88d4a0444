package rules

import (
	"fmt"

	"github.com/dapilint/dapilint/loader"
)

// EnvDuplicateDownward reports a Downward API env var that repeats the name
// of an earlier env var of the same container.
var EnvDuplicateDownward = &Rule{
	ID:       "DA213",
	Name:     "env-duplicate-downward",
	Title:    "A Downward API env var repeats an earlier env var's name",
	Severity: Warning,
	Default:  true,
	Doc: `Env var names need not be unique. When a name appears twice in one
container, the kubelet sets them in order and the **last one wins**, so a
Downward API value added further down silently replaces the earlier
definition (` + "`makeEnvironmentVariables`" + ` in the kubelet). The API server accepts this and only warns:
` + "`spec.containers[0].env[1]: hides previous definition of \"X\", which may be dropped when using apply`" + `.
The "dropped" part is real: env is a list merged by name in strategic merge
patch and server-side apply, so ` + "`kubectl apply`" + ` may keep only one of the two
entries, and which value the container gets can change between a
` + "`create`" + ` and a later ` + "`apply`" + `.

dapilint reports the later entry when it is a Downward API value
(` + "`fieldRef`" + ` or ` + "`resourceFieldRef`" + `). Duplicates among plain values and
Secret/ConfigMap references are outside its scope.

**Fix:** keep one definition: delete the one that should not win, or rename
one of them.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: POD_NAME
      value: web
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
`,
	Run: runEnvDuplicateDownward,
}

func runEnvDuplicateDownward(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, c := range t.Containers() {
			first := map[string]int{}
			for j, e := range c.Container.Env {
				i, seen := first[e.Name]
				if !seen {
					first[e.Name] = j
				}
				vf := e.ValueFrom
				if !seen || vf == nil || (vf.FieldRef == nil && vf.ResourceFieldRef == nil) {
					continue
				}
				p.Report(c.Path.Child("env").Index(j).Child("name"),
					fmt.Sprintf("env var %q of %s is already defined at env[%d]: this Downward API value silently replaces %s; keep one definition",
						e.Name, describeContainer(c), i, describeEnvSource(c, i)))
			}
		}
	}
}

// describeEnvSource says what the env entry at index i sets.
func describeEnvSource(c loader.ContainerRef, i int) string {
	e := c.Container.Env[i]
	switch vf := e.ValueFrom; {
	case vf == nil:
		return fmt.Sprintf("the value %q", e.Value)
	case vf.FieldRef != nil:
		return "the value from " + vf.FieldRef.FieldPath
	case vf.ResourceFieldRef != nil:
		return "the value from " + vf.ResourceFieldRef.Resource
	case vf.SecretKeyRef != nil:
		return fmt.Sprintf("the value from secret %q", vf.SecretKeyRef.Name)
	case vf.ConfigMapKeyRef != nil:
		return fmt.Sprintf("the value from configMap %q", vf.ConfigMapKeyRef.Name)
	}
	return "the earlier value"
}
