package rules

import "fmt"

// ResourceFieldRefContainerNameRequired reports resourceFieldRefs in
// downwardAPI volume items that do not name a container.
var ResourceFieldRefContainerNameRequired = &Rule{
	ID:       "DA105",
	Name:     "resourcefieldref-container-name-required",
	Title:    "A resourceFieldRef in a volume without containerName",
	Severity: Error,
	Default:  true,
	Doc: `In an env var, ` + "`resourceFieldRef.containerName`" + ` is optional: it defaults to the container
the variable belongs to. A downwardAPI volume (plain, or a projected volume's
downwardAPI source) belongs to the pod, not to a container, so there it is required,
and the API server rejects an item without it:
` + "`spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value`" + `.

In that case the API server reports nothing else about the resourceFieldRef: it
does not check the resource name (its checks are an if/else chain), only the divisor.

To fix, add ` + "`containerName:`" + ` with the name of the container whose requests or limits the
file should show. When the pod has a single container, dapilint names it.

Source: ` + "`validateContainerResourceFieldSelector`" + ` (called with ` + "`volume=true`" + ` by
` + "`validateDownwardAPIVolumeFile`" + `, Kubernetes 1.36).`,
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
      - path: cpu_limit
        resourceFieldRef:
          resource: limits.cpu
          divisor: 1m
`,
	Run: runResourceFieldRefContainerNameRequired,
}

func runResourceFieldRefContainerNameRequired(p *Pass) {
	for _, s := range resourceRefSites(p.Object) {
		if !s.Volume || s.Ref.ContainerName != "" {
			continue
		}
		at := s.Path.Child("containerName")
		if inputProblemAt(p.Object, at) {
			continue
		}
		msg := "resourceFieldRef in a downwardAPI volume must name the container whose resources it reads: add containerName"
		if cs := s.Pod.Spec.Containers; len(cs) == 1 && cs[0].Name != "" {
			msg += fmt.Sprintf(" (the pod has one container, %q)", cs[0].Name)
		}
		p.Report(at, msg)
	}
}
