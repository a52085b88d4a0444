package rules

// Shared tables and walkers of the DA1xx rules (what the API server
// rejects). The tables are copied from Kubernetes 1.36
// pkg/apis/core/validation/validation.go and pkg/apis/core/pods/helpers.go;
// see validateObjectFieldSelector, validateContainerResourceFieldSelector
// and validateDownwardAPIVolumeFile there.

import (
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// convertibleFieldPaths are the plain paths ConvertDownwardAPIFieldLabel
// accepts (spec.host is rewritten to spec.nodeName); any other plain path is
// "field label not supported".
var convertibleFieldPaths = []string{
	"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
	"spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
	"status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
}

// envFieldPaths is validEnvDownwardAPIFieldPathExpressions.
var envFieldPaths = []string{
	"metadata.name", "metadata.namespace", "metadata.uid",
	"spec.nodeName", "spec.serviceAccountName",
	"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
}

// volumeFieldPaths is validVolumeDownwardAPIFieldPathExpressions.
var volumeFieldPaths = []string{
	"metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations",
}

// subscriptBases are the only bases a ['key'] subscript may follow.
var subscriptBases = []string{"metadata.labels", "metadata.annotations"}

// acceptedFieldPaths points, in messages, at the list of what a fieldRef
// accepts in env or in a volume: the list itself (200 characters) is in
// DA101's documentation, which dapilint explain prints, not repeated in
// every finding.
func acceptedFieldPaths(volume bool) string {
	if volume {
		return "dapilint explain DA101 lists the paths a downwardAPI volume accepts"
	}
	return "dapilint explain DA101 lists the paths an env var accepts"
}

// allowedFieldPath reports whether a plain (converted) path is in the
// allow-list of env or volumes.
func allowedFieldPath(p string, volume bool) bool {
	if volume {
		return slices.Contains(volumeFieldPaths, p)
	}
	return slices.Contains(envFieldPaths, p)
}

// convertFieldPath mirrors ConvertDownwardAPIFieldLabel for apiVersion v1:
// it returns the internal path and whether the converter accepts it.
// Subscripted paths are accepted when their base is labels or annotations.
func convertFieldPath(p string) (string, bool) {
	if base, _, ok := SplitSubscript(p); ok {
		return p, slices.Contains(subscriptBases, base)
	}
	if p == "spec.host" {
		return "spec.nodeName", true
	}
	return p, slices.Contains(convertibleFieldPaths, p)
}

// resourceNames is validContainerResourceFieldPathExpressions; the
// hugepages prefixes are accepted besides.
var resourceNames = []string{
	"limits.cpu", "limits.memory", "limits.ephemeral-storage",
	"requests.cpu", "requests.memory", "requests.ephemeral-storage",
}

// acceptedResources points, in messages, at the list of what a
// resourceFieldRef accepts, which DA104's documentation holds.
const acceptedResources = "dapilint explain DA104 lists the accepted resources"

// supportedResource is the API server's resource check: one of the six
// names, or any name with a hugepages prefix (prefix only: the size is not
// checked).
func supportedResource(r string) bool {
	return slices.Contains(resourceNames, r) || strings.HasPrefix(r, "requests.hugepages-") || strings.HasPrefix(r, "limits.hugepages-")
}

// fieldRefSite is one fieldRef, of an env var or of a downwardAPI item.
type fieldRefSite struct {
	Path   *field.Path // …valueFrom.fieldRef or …items[j].fieldRef
	Ref    *corev1.ObjectFieldSelector
	Volume bool
	Pod    *loader.PodTemplate
}

// convertsVersion reports whether the API server gets as far as converting
// a fieldRef's fieldPath: only for apiVersion v1 (an empty one defaults to
// v1). With any other version it stops at "unsupported pod version"
// (DA103), and the path itself is never judged: one reference, one error.
func (s fieldRefSite) convertsVersion() bool {
	return s.Ref.APIVersion == "" || s.Ref.APIVersion == "v1"
}

// fieldRefSites returns every fieldRef of the object, env ones first.
func fieldRefSites(o *loader.Object) []fieldRefSite {
	var out []fieldRefSite
	for _, t := range o.Pods {
		for _, e := range t.Env() {
			if vf := e.Var.ValueFrom; vf != nil && vf.FieldRef != nil {
				out = append(out, fieldRefSite{e.Path.Child("valueFrom", "fieldRef"), vf.FieldRef, false, t})
			}
		}
		for _, f := range t.DownwardAPIFiles() {
			if f.File.FieldRef != nil {
				out = append(out, fieldRefSite{f.Path.Child("fieldRef"), f.File.FieldRef, true, t})
			}
		}
	}
	return out
}

// resourceRefSite is one resourceFieldRef the API server validates.
type resourceRefSite struct {
	Path   *field.Path // …valueFrom.resourceFieldRef or …items[j].resourceFieldRef
	Ref    *corev1.ResourceFieldSelector
	Volume bool
	Pod    *loader.PodTemplate
}

// resourceRefSites returns every resourceFieldRef the API server validates:
// all of those in env, and those of volume items without a fieldRef (when
// an item has both, validateDownwardAPIVolumeFile validates only the
// fieldRef and reports the pair, which is DA107's business).
func resourceRefSites(o *loader.Object) []resourceRefSite {
	var out []resourceRefSite
	for _, t := range o.Pods {
		for _, e := range t.Env() {
			if vf := e.Var.ValueFrom; vf != nil && vf.ResourceFieldRef != nil {
				out = append(out, resourceRefSite{e.Path.Child("valueFrom", "resourceFieldRef"), vf.ResourceFieldRef, false, t})
			}
		}
		for _, f := range t.DownwardAPIFiles() {
			if f.File.ResourceFieldRef != nil && f.File.FieldRef == nil {
				out = append(out, resourceRefSite{f.Path.Child("resourceFieldRef"), f.File.ResourceFieldRef, true, t})
			}
		}
	}
	return out
}

// inputProblemAt reports whether the loader already reported the value at
// path (a wrong type, a bad quantity): the rules see it as zero and must
// not report it again as missing.
func inputProblemAt(o *loader.Object, path *field.Path) bool {
	s := path.String()
	for _, p := range o.Problems {
		if p.Path == s && p.Kind != loader.UnknownField && p.Kind != loader.UnservedVersion {
			return true
		}
	}
	return false
}

// reportUnlessInput reports a missing value, unless the loader already
// reported the value there (it was of the wrong type, so it reads as empty).
func (p *Pass) reportUnlessInput(at *field.Path, msg string) {
	if !inputProblemAt(p.Object, at) {
		p.Report(at, msg)
	}
}

// sourceNode returns the node at path, or nil when the field is not in the
// source.
func sourceNode(o *loader.Object, path *field.Path) *loader.Node {
	loc := o.Locate(path)
	if !loc.Exact {
		return nil
	}
	return loc.Value
}

// divisorRule is the API server's divisor check for one kind of resource.
type divisorRule struct {
	allowed []string // divisor.String() values it accepts
}

var (
	cpuDivisors    = []string{"1m", "1"}
	memoryDivisors = []string{"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"}
)

// divisorRuleFor mirrors validateContainerResourceDivisor's choice of set;
// ok is false for resources whose divisor is not checked.
func divisorRuleFor(resourceName string) (divisorRule, bool) {
	switch resourceName {
	case "limits.cpu", "requests.cpu":
		return divisorRule{cpuDivisors}, true
	case "limits.memory", "requests.memory":
		return divisorRule{memoryDivisors}, true
	case "limits.ephemeral-storage", "requests.ephemeral-storage":
		return divisorRule{memoryDivisors}, true
	}
	if strings.HasPrefix(resourceName, "requests.hugepages-") || strings.HasPrefix(resourceName, "limits.hugepages-") {
		return divisorRule{memoryDivisors}, true
	}
	return divisorRule{}, false
}

// divisorAccepted is the API server's verdict on a divisor: zero (unset)
// always passes, anything else must have one of the allowed canonical
// strings.
func divisorAccepted(d resource.Quantity, allowed []string) bool {
	if (&resource.Quantity{}).Cmp(d) == 0 {
		return true
	}
	return slices.Contains(allowed, d.String())
}

// joinList renders a, b and c as "a, b <conj> c": joinList(x, "or") is
// "a, b or c", joinList(x, "and") "a, b and c".
func joinList(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// caseInsensitiveMatch returns the candidate equal to s ignoring case, if
// exactly one is.
func caseInsensitiveMatch(s string, candidates []string) string {
	found := ""
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			if found != "" && found != c {
				return ""
			}
			found = c
		}
	}
	return found
}
