package rules

import (
	"fmt"

	"github.com/dapilint/dapilint/loader"
)

// ContainerNameInitContainer reports a downwardAPI volume item whose
// resourceFieldRef names an init container.
var ContainerNameInitContainer = &Rule{
	ID:       "DA206",
	Name:     "container-name-init-container",
	Title:    "A downwardAPI volume file reads the resources of an init container",
	Severity: Warning,
	Default:  true,
	Doc: `A downwardAPI volume item must name a container in
` + "`resourceFieldRef.containerName`" + `, and the kubelet accepts an init container
there: it looks in ` + "`containers`" + `, then ` + "`initContainers`" + ` (` + "`findContainerInPod`" + ` in Kubernetes
` + "`pkg/api/v1/resource/helpers.go`" + `). The file then shows the resources of a container
that has already exited by the time the app containers read it, which is
rarely what was meant; usually the name is a copy-paste slip for the app
container.

Env vars and volumes also disagree here. For a volume file the kubelet fills
a missing limit with the node's allocatable amount; for an env var that
names the same init container it does not, and the value is 0
(` + "`ExtractResourceValueByContainerName`" + ` vs.
` + "`ExtractResourceValueByContainerNameAndNodeAllocatable`" + `). The same
reference gives two different numbers.

Sidecar containers (init containers with ` + "`restartPolicy: Always`" + `) keep
running beside the app, so reading their resources is legitimate and
dapilint stays quiet for them. Env vars that name an init container are
covered by DA202 when they would read 0.

**Fix:** name the container whose resources the file should show.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: migrate
    image: example/migrate
  containers:
  - name: app
    image: example/app
    resources:
      limits: {memory: 1Gi}
    volumeMounts:
    - name: podinfo
      mountPath: /etc/podinfo
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: mem_limit
        resourceFieldRef:
          containerName: migrate
          resource: limits.memory
`,
	Run: runContainerNameInitContainer,
}

func runContainerNameInitContainer(p *Pass) {
	for _, t := range p.Object.Pods {
		var regular []string
		for _, c := range t.Containers() {
			if c.Kind == loader.RegularContainer {
				regular = append(regular, c.Container.Name)
			}
		}
		for _, u := range resourceUses(t) {
			if u.File == nil || !u.Found || u.Target.Kind != loader.InitContainer || isSidecar(u.Target) {
				continue
			}
			name := u.Target.Container.Name
			hint := "name the app container the file is for"
			if len(regular) == 1 {
				hint = fmt.Sprintf("did you mean container %q?", regular[0])
			}
			effect := "which has exited before the app containers start"
			if rn, ok := downwardLimitResources[u.Ref.Resource]; ok {
				if _, set := nonZero(u.Target.Container.Resources.Limits, rn); !set {
					effect += fmt.Sprintf(" and sets no %s limit", rn)
				}
			}
			p.Report(u.Path.Child("containerName"), fmt.Sprintf("containerName %q names an init container, %s; %s", name, effect, hint))
		}
	}
}
