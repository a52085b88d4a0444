package rules

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
)

// ResourceFieldRefUnsupportedResource reports resourceFieldRef.resource
// values the API server does not accept.
var ResourceFieldRefUnsupportedResource = &Rule{
	ID:       "DA104",
	Name:     "resourcefieldref-unsupported-resource",
	Title:    "A resourceFieldRef resource the API server does not accept",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `` + "`resourceFieldRef.resource`" + ` must be one of ` + "`limits.cpu`" + `, ` + "`limits.memory`" + `,
` + "`limits.ephemeral-storage`" + `, ` + "`requests.cpu`" + `, ` + "`requests.memory`" + `,
` + "`requests.ephemeral-storage`" + `, or start with ` + "`limits.hugepages-`" + ` or ` + "`requests.hugepages-`" + `.
Names are case-sensitive, and there is nothing else: no ` + "`limits.pods`" + `, no extended
resources such as ` + "`limits.nvidia.com/gpu`" + `, no pod-level selector. An empty resource is
` + "`resourceFieldRef.resource: Required value`" + `; anything else is
` + "`Unsupported value: \"limits.memroy\": supported values: \"limits.cpu\", …`" + ` and the object is
rejected.

In a downwardAPI volume item without ` + "`containerName`" + ` the API server reports only the
missing containerName (DA105) and does not look at the resource at all, so neither does
this rule there.

dapilint suggests the intended name for typos (` + "`limits.memroy`" + `, ` + "`limit.cpu`" + `,
` + "`limits.CPU`" + `). For the hugepages prefixes only the prefix is checked: a size that the
container does not request is accepted here and reads as 0 at runtime.

Source: ` + "`validateContainerResourceFieldSelector`" + ` (Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits: {memory: 256Mi}
    env:
    - name: MEMORY_LIMIT
      valueFrom:
        resourceFieldRef:
          resource: limits.memroy
`,
	Run: runResourceFieldRefUnsupportedResource,
}

func runResourceFieldRefUnsupportedResource(p *Pass) {
	for _, s := range resourceRefSites(p.Object) {
		if s.Volume && s.Ref.ContainerName == "" {
			continue // the API server stops at the missing containerName (DA105)
		}
		at := s.Path.Child("resource")
		r := s.Ref.Resource
		if r == "" {
			p.reportUnlessInput(at, "resourceFieldRef has no resource; set one, such as limits.memory ("+acceptedResources+")")
			continue
		}
		if supportedResource(r) {
			continue
		}
		msg := fmt.Sprintf("resource %q is not supported; %s", r, acceptedResources)
		var opts []ReportOption
		if sugg, fixable := resourceHint(r); sugg != "" {
			msg = fmt.Sprintf("resource %q is not supported (did you mean %s?)", r, sugg)
			if fixable {
				opts = append(opts, SafeFix("use "+sugg, String(sugg)))
				msg = fmt.Sprintf("resource %q is not supported (did you mean %q?)", r, sugg)
			}
		}
		p.Report(at, msg, opts...)
	}
}

// resourceHint suggests what an unsupported resource name was meant to be.
// When it is not fixable, sugg is already formatted for the message.
func resourceHint(r string) (sugg string, fixable bool) {
	t := strings.TrimSpace(r)
	if c := caseInsensitiveMatch(t, resourceNames); c != "" {
		return c, true
	}
	kind, name, found := strings.Cut(t, ".")
	if !found {
		// "cpu", "memory": the kind is missing, and either would do.
		if n := normalResourceName(t); n != "" {
			return fmt.Sprintf("%q or %q", "limits."+n, "requests."+n), false
		}
		if kind, name, found = cutAny(t, "/_:-"); !found {
			return "", false
		}
	}
	switch strings.ToLower(kind) {
	case "limit", "limits", "lim":
		kind = "limits"
	case "request", "requests", "req":
		kind = "requests"
	}
	if n := normalResourceName(name); n != "" {
		if c := kind + "." + n; supportedResource(c) {
			return c, true
		}
	}
	if c := loader.Closest(t, resourceNames, 3); c != "" {
		return c, true
	}
	return "", false
}

// normalResourceName canonicalises the resource part of a name: case,
// separators and the hugepages- prefix.
func normalResourceName(n string) string {
	l := strings.ToLower(n)
	switch strings.NewReplacer("_", "", "-", "", " ", "").Replace(l) {
	case "cpu":
		return "cpu"
	case "memory", "mem":
		return "memory"
	case "ephemeralstorage":
		return "ephemeral-storage"
	}
	if strings.HasPrefix(l, "hugepages") && len(n) > len("hugepages") {
		return "hugepages-" + strings.TrimLeft(n[len("hugepages"):], "-_")
	}
	return ""
}

// cutAny cuts s around the first of the bytes in seps.
func cutAny(s, seps string) (before, after string, found bool) {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
