package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ContainerResourcesInvalid reports container resources the API server
// rejects: resourceFieldRef reads them, so they are part of what dapilint
// checks.
var ContainerResourcesInvalid = &Rule{
	ID:       "DA118",
	Name:     "container-resources-invalid",
	Title:    "Container resources the API server rejects",
	Severity: Error,
	Default:  true,
	Doc: `A ` + "`resourceFieldRef`" + ` reads a container's ` + "`resources`" + `, so dapilint checks them as the
API server does, for every container and init container:

- resource names: a name without a domain must be one a container can request
  (` + "`cpu`" + `, ` + "`memory`" + `, ` + "`ephemeral-storage`" + `, ` + "`hugepages-<size>`" + `); a name with one must be a
  valid extended resource name (` + "`example.com/gpu`" + `); ` + "`cpus`" + ` or ` + "`mem`" + ` are refused;
- quantities: none may be negative; extended resources must be whole numbers
  (` + "`nvidia.com/gpu: 0.5`" + ` is refused); a hugepages quantity must be a multiple of its page
  size (` + "`hugepages-2Mi: 3Mi`" + ` is refused);
- requests against limits: a request may not exceed its limit; for hugepages and extended
  resources, which cannot be overcommitted, a request needs a limit and must equal it;
- hugepages need a ` + "`cpu`" + ` or ` + "`memory`" + ` request or limit beside them.

For a Pod (not a template), the API server first copies each limit into a missing request,
so a limit alone is always consistent; dapilint does the same.

Pod-level ` + "`spec.resources`" + ` and ` + "`resources.claims`" + ` are not checked (see the README's
scope).

Source: ` + "`validateResourceRequirements`" + `, ` + "`validateContainerResourceName`" + ` and
` + "`ValidateResourceQuantityValue`" + ` in Kubernetes 1.36 ` + "`pkg/apis/core/validation/validation.go`" + `,
and ` + "`SetDefaults_Pod`" + ` in ` + "`pkg/apis/core/v1/defaults.go`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      requests: {memory: 2Gi}
      limits: {memory: 1Gi}
    env:
    - name: MEMORY_LIMIT
      valueFrom:
        resourceFieldRef: {resource: limits.memory}
`,
	Run: runContainerResourcesInvalid,
}

func runContainerResourcesInvalid(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, c := range t.Containers() {
			if c.Kind == loader.EphemeralContainer {
				continue // ephemeral containers may not set resources at all
			}
			checkResources(p, c.Path.Child("resources"), &c.Container.Resources, t.IsPod)
		}
	}
}

func checkResources(p *Pass, at *field.Path, r *corev1.ResourceRequirements, isPod bool) {
	limPath, reqPath := at.Child("limits"), at.Child("requests")
	requests := r.Requests
	defaulted := map[corev1.ResourceName]bool{}
	if isPod {
		// SetDefaults_Pod: a limit without a request becomes the request.
		requests = corev1.ResourceList{}
		for n, q := range r.Requests {
			requests[n] = q
		}
		for n, q := range r.Limits {
			if _, ok := requests[n]; !ok {
				requests[n], defaulted[n] = q, true
			}
		}
	}
	cpuOrMemory, hugePagesAt := false, (*field.Path)(nil)
	check := func(base *field.Path, name corev1.ResourceName, q resource.Quantity, report bool) {
		if name == corev1.ResourceCPU || name == corev1.ResourceMemory {
			cpuOrMemory = true
		}
		if strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) && hugePagesAt == nil {
			hugePagesAt = base.Key(string(name))
		}
		if !report {
			return
		}
		at := base.Key(string(name))
		if msg := resourceNameError(name); msg != "" {
			p.Report(at, msg, AtKey())
			return
		}
		if q.Sign() < 0 {
			p.Report(at, fmt.Sprintf("%s %s is negative; resource quantities must be greater than or equal to 0", name, q.String()))
			return
		}
		if isExtendedResource(name) && q.MilliValue()%1000 != 0 {
			p.Report(at, fmt.Sprintf("%s %s is not a whole number; extended resources are counted in whole units", name, q.String()))
		}
		if strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) && !hugePagesDivisible(name, q) {
			p.Report(at, fmt.Sprintf("%s %s is not a positive whole multiple of the page size %s", name, q.String(), strings.TrimPrefix(string(name), corev1.ResourceHugePagesPrefix)))
		}
	}
	for _, n := range sortedNames(r.Limits) {
		check(limPath, n, r.Limits[n], true)
	}
	for _, n := range sortedNames(requests) {
		q := requests[n]
		// A defaulted request is the limit itself: reported there.
		check(reqPath, n, q, !defaulted[n])
		if resourceNameError(n) != "" || defaulted[n] {
			continue
		}
		at := reqPath.Key(string(n))
		limit, hasLimit := r.Limits[n]
		switch overcommit := !isExtendedResource(n) && !strings.HasPrefix(string(n), corev1.ResourceHugePagesPrefix); {
		case hasLimit && !overcommit && q.Cmp(limit) != 0:
			p.Report(at, fmt.Sprintf("request %s of %s must equal its limit %s: %s cannot be overcommitted", q.String(), n, limit.String(), n))
		case hasLimit && q.Cmp(limit) > 0:
			p.Report(at, fmt.Sprintf("request %s of %s is above its limit %s; a request may not exceed the limit", q.String(), n, limit.String()))
		case !hasLimit && !overcommit:
			p.Report(at, fmt.Sprintf("%s has a request but no limit; %s cannot be overcommitted, so set limits.%s to the same value", n, n, n))
		}
	}
	if hugePagesAt != nil && !cpuOrMemory {
		p.Report(hugePagesAt, "hugepages need a cpu or memory request or limit in the same container", AtKey())
	}
}

func sortedNames(l corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(l))
	for n := range l {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// standardResources is helper.standardResources: the names without a
// domain that a resource may have at all.
var standardResources = []string{
	"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
	"limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
	"replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage",
	"requests.storage", "services.nodeports", "services.loadbalancers",
}

// resourceNameError mirrors validateContainerResourceName.
func resourceNameError(n corev1.ResourceName) string {
	s := string(n)
	if why := whyInvalidLabelKey(s); why != "" {
		return fmt.Sprintf("resource name %q is not valid: %s", s, why)
	}
	if !strings.Contains(s, "/") {
		hugePages := strings.HasPrefix(s, corev1.ResourceHugePagesPrefix)
		if !slices.Contains(standardResources, s) && !hugePages && !strings.HasPrefix(s, "requests.hugepages-") {
			return fmt.Sprintf("resource name %q is not a standard resource; use cpu, memory, ephemeral-storage, hugepages-<size>, or a domain for an extended one (example.com/%s)", s, s)
		}
		if !slices.Contains([]string{"cpu", "memory", "ephemeral-storage"}, s) && !hugePages {
			return fmt.Sprintf("resource name %q cannot be requested by a container; a container requests cpu, memory, ephemeral-storage or hugepages-<size>", s)
		}
		return ""
	}
	if !isNativeResource(n) && !isExtendedResource(n) {
		return fmt.Sprintf("resource name %q is not a valid extended resource name", s)
	}
	return ""
}

// isNativeResource is helper.IsNativeResource: no domain, or a
// kubernetes.io one.
func isNativeResource(n corev1.ResourceName) bool {
	return !strings.Contains(string(n), "/") || strings.Contains(string(n), corev1.ResourceDefaultNamespacePrefix)
}

// isExtendedResource is helper.IsExtendedResourceName.
func isExtendedResource(n corev1.ResourceName) bool {
	if isNativeResource(n) || strings.HasPrefix(string(n), corev1.DefaultResourceRequestsPrefix) {
		return false
	}
	return len(validation.IsQualifiedName(corev1.DefaultResourceRequestsPrefix+string(n))) == 0
}

// hugePagesDivisible is helper.IsHugePageResourceValueDivisible.
func hugePagesDivisible(n corev1.ResourceName, q resource.Quantity) bool {
	size, err := resource.ParseQuantity(strings.TrimPrefix(string(n), corev1.ResourceHugePagesPrefix))
	if err != nil || size.Sign() <= 0 || size.MilliValue()%1000 != 0 {
		return false
	}
	return q.Value()%size.Value() == 0
}
