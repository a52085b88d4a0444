package rules

import (
	"fmt"

	"github.com/dapilint/dapilint/loader"
)

// ContainerNameNotFound reports a resourceFieldRef whose containerName
// names no container the kubelet can find.
var ContainerNameNotFound = &Rule{
	ID:       "DA205",
	Name:     "container-name-not-found",
	Title:    "A resourceFieldRef names a container the pod does not have",
	Severity: Error,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `The API server does not check that ` + "`resourceFieldRef.containerName`" + ` names a
container of the pod, but the kubelet does, and fails hard (` + "`findContainerInPod`" + `):

* in a **downwardAPI volume** item the mount fails with
  ` + "`MountVolume.SetUp failed … container <name> not found`" + ` and the pod stays
  in ` + "`ContainerCreating`" + ` forever (kubernetes/kubernetes#88166);
* in an **env var** the container cannot be created
  (` + "`CreateContainerConfigError`" + `).

The kubelet looks in ` + "`containers`" + `, then ` + "`initContainers`" + `; ephemeral
containers are never found. Names are case-sensitive.

This is one of the few things the API server accepts that dapilint reports
as an ` + "`error`" + `: the pod can never start.

**Fix:** name an existing container (dapilint suggests the closest name),
or, in an env var, drop ` + "`containerName`" + ` to read the container's own
resources.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
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
      - path: mem_limit
        resourceFieldRef:
          containerName: nginx
          resource: limits.memory
`,
	Run: runContainerNameNotFound,
}

func runContainerNameNotFound(p *Pass) {
	for _, t := range p.Object.Pods {
		var names []string
		ephemeral := map[string]bool{}
		for _, c := range t.Containers() {
			if c.Kind == loader.EphemeralContainer {
				ephemeral[c.Container.Name] = true
			} else {
				names = append(names, c.Container.Name)
			}
		}
		for _, u := range resourceUses(t) {
			name := u.Ref.ContainerName
			if u.Found || name == "" {
				continue
			}
			what := "the container cannot be created (CreateContainerConfigError)"
			if u.File != nil {
				what = fmt.Sprintf("volume %q fails to mount and the pod stays in ContainerCreating", u.File.Volume.Name)
			}
			at := u.Path.Child("containerName")
			if ephemeral[name] {
				p.Report(at, fmt.Sprintf("containerName %q names an ephemeral container, which the kubelet never looks up, so %s; name a regular or init container", name, what))
				continue
			}
			if s := loader.Closest(name, names, max(2, len(name)/3)); s != "" {
				p.Report(at, fmt.Sprintf("containerName %q names no container of the pod, so %s; did you mean %q?", name, what, s),
					UnsafeFix("use "+s, String(s)))
				continue
			}
			p.Report(at, fmt.Sprintf("containerName %q names no container of the pod (it has %s), so %s", name, quoteList(names), what))
		}
	}
}

// quoteList renders names as `"a", "b" and "c"`; past quoteListMax names,
// as `"a", "b", "c", "d", "e" and 9 more`, to keep a message on one line.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, 0, quoteListMax)
	for _, n := range names {
		if len(q) == quoteListMax-1 && len(names) > quoteListMax {
			q = append(q, fmt.Sprintf("%d more", len(names)-len(q)))
			break
		}
		q = append(q, fmt.Sprintf("%q", n))
	}
	return joinList(q, "and")
}

const quoteListMax = 6
