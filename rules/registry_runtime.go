package rules

import (
	"fmt"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// runtimeRules are the DA2xx rules: what the API server accepts but goes
// wrong at runtime.
var runtimeRules = []*Rule{
	DownwardVolumeSubPath,
	LimitNotSet,
	RequestNotSet,
	EnvLabelFrozen,
	ContainerNameNotFound,
	ContainerNameInitContainer,
	LabelKeyNotDefined,
	DownwardPathCollision,
	FileModeDecimal,
	EnvNameContradictsField,
	HugePagesNotRequested,
	CPUValueRoundedUp,
	EnvDuplicateDownward,
	ContainerNoLimits,
	DivisorParsesAsZero,
}

// The helpers below are shared by the DA2xx rules. They model what the
// kubelet does when it resolves a Downward API value (Kubernetes 1.36:
// pkg/kubelet/kubelet_pods.go makeEnvironmentVariables and
// containerResourceRuntimeValue, pkg/kubelet/kubelet_resources.go
// defaultPodLimitsForDownwardAPI, pkg/volume/downwardapi CollectData,
// pkg/api/v1/resource/helpers.go).

// resourceUse is one resourceFieldRef, in an env var or a volume item, with
// the container the kubelet reads it from.
type resourceUse struct {
	// Path is the resourceFieldRef itself (…valueFrom.resourceFieldRef or
	// …items[j].resourceFieldRef).
	Path *field.Path
	Ref  *corev1.ResourceFieldSelector
	Env  *loader.EnvRef        // set for an env var
	File *loader.VolumeFileRef // set for a volume item
	// Target is the container whose resources are read; Found is false
	// when containerName names no container the kubelet can find (or, in a
	// volume, is empty: the API server rejects that).
	Target loader.ContainerRef
	Found  bool
	// Merged is true when a missing or zero cpu/memory/ephemeral-storage
	// limit is replaced by a fallback (node allocatable, or the pod-level
	// limit first when PodLevel is true). It is false for an env var that
	// names an init container: the kubelet looks that one up unmerged.
	Merged   bool
	PodLevel bool
}

// resourceUses returns every resourceFieldRef of a pod template with the
// container it reads. References the API server rejects (an unsupported
// resource, a divisor outside the accepted set, a volume item that also has
// a fieldRef) and those whose divisor could not be read are left out: they
// are the DA0xx and DA1xx rules' business, and a runtime warning must not
// be the only report of an object the API server refuses.
//
// Eight rules read it, so it is computed once per pod template.
func resourceUses(t *loader.PodTemplate) []resourceUse {
	return t.Memo(resourceUsesKey{}, func() any { return collectResourceUses(t) }).([]resourceUse)
}

type resourceUsesKey struct{}

func collectResourceUses(t *loader.PodTemplate) []resourceUse {
	var out []resourceUse
	accepted := func(at *field.Path, r *corev1.ResourceFieldSelector) bool {
		if !supportedResource(r.Resource) || inputProblemAt(t.Object, at.Child("divisor")) {
			return false
		}
		dr, ok := divisorRuleFor(r.Resource)
		return !ok || divisorAccepted(r.Divisor, dr.allowed)
	}
	for _, e := range t.Env() {
		if e.Var.ValueFrom == nil || e.Var.ValueFrom.ResourceFieldRef == nil {
			continue
		}
		if !accepted(e.Path.Child("valueFrom", "resourceFieldRef"), e.Var.ValueFrom.ResourceFieldRef) {
			continue
		}
		u := resourceUse{Path: e.Path.Child("valueFrom", "resourceFieldRef"), Ref: e.Var.ValueFrom.ResourceFieldRef, Env: &e}
		if name := u.Ref.ContainerName; name == "" {
			// The own container, whatever its kind, with its limits merged
			// (defaultPodLimitsForDownwardAPI merges the container passed in).
			u.Target, u.Found, u.Merged, u.PodLevel = e.Container, true, true, true
		} else if c, ok := t.FindContainer(name); ok {
			// Looked up in the defaulted pod copy: only spec.containers
			// were merged there, init containers were not.
			u.Target, u.Found = c, true
			u.Merged = c.Kind == loader.RegularContainer
			u.PodLevel = u.Merged
		}
		out = append(out, u)
	}
	for _, f := range t.DownwardAPIFiles() {
		if f.File.ResourceFieldRef == nil || f.File.FieldRef != nil || !accepted(f.Path.Child("resourceFieldRef"), f.File.ResourceFieldRef) {
			continue
		}
		u := resourceUse{Path: f.Path.Child("resourceFieldRef"), Ref: f.File.ResourceFieldRef, File: &f}
		if name := u.Ref.ContainerName; name != "" {
			if c, ok := t.FindContainer(name); ok {
				// Volumes merge node allocatable into whichever container
				// was found, and never consult pod-level limits.
				u.Target, u.Found, u.Merged = c, true, true
			}
		}
		out = append(out, u)
	}
	return out
}

// resourcesUnreadable reports whether the loader found a bad value (a
// quantity it could not parse, a wrong type) in a container's resources:
// the rules then see a resource as missing that is only misspelt, and must
// not report it as unset.
func resourcesUnreadable(o *loader.Object, c loader.ContainerRef) bool {
	prefix := c.Path.Child("resources").String()
	for _, p := range o.Problems {
		if strings.HasPrefix(p.Path, prefix) && p.Kind != loader.UnknownField && p.Kind != loader.UnservedVersion {
			return true
		}
	}
	return false
}

// where describes the consumer of a resourceUse for messages: "env var
// \"X\"" or "file \"p\" of volume \"v\"".
func (u resourceUse) where() string {
	if u.Env != nil {
		return fmt.Sprintf("env var %q", u.Env.Var.Name)
	}
	return fmt.Sprintf("file %q of volume %q", u.File.File.Path, u.File.Volume.Name)
}

// nonZero returns the quantity of name in a resource list when it is set
// and not zero (the kubelet treats a zero limit as unset).
func nonZero(l corev1.ResourceList, name corev1.ResourceName) (resource.Quantity, bool) {
	q, ok := l[name]
	if !ok || q.IsZero() {
		return resource.Quantity{}, false
	}
	return q, true
}

// podLevelLimit returns the pod-level limit (spec.resources.limits) the
// kubelet uses for an env var's missing container limit: only cpu and
// memory are supported pod-level resources (component-helpers
// IsSupportedPodLevelResource), and PodLevelResources is on by default
// since 1.34.
func podLevelLimit(t *loader.PodTemplate, name corev1.ResourceName) (resource.Quantity, bool) {
	if t.Spec.Resources == nil || (name != corev1.ResourceCPU && name != corev1.ResourceMemory) {
		return resource.Quantity{}, false
	}
	return nonZero(t.Spec.Resources.Limits, name)
}

// isSidecar reports whether an init container is a restartable (sidecar)
// container that keeps running beside the app containers.
func isSidecar(c loader.ContainerRef) bool {
	return c.Kind == loader.InitContainer && c.Container.RestartPolicy != nil && *c.Container.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// describeContainer names a container with its kind for messages:
// `container "app"`, `init container "migrate"`, `sidecar container "proxy"`.
func describeContainer(c loader.ContainerRef) string {
	if isSidecar(c) {
		return fmt.Sprintf("sidecar container %q", c.Container.Name)
	}
	return fmt.Sprintf("%s %q", c.Kind, c.Container.Name)
}

// fieldUse is one fieldRef, in an env var or a volume item.
type fieldUse struct {
	Path *field.Path // the fieldRef
	Ref  *corev1.ObjectFieldSelector
	Env  *loader.EnvRef
	File *loader.VolumeFileRef
}

// fieldUses returns every fieldRef of a pod template.
func fieldUses(t *loader.PodTemplate) []fieldUse {
	var out []fieldUse
	for _, e := range t.Env() {
		if e.Var.ValueFrom == nil || e.Var.ValueFrom.FieldRef == nil {
			continue
		}
		out = append(out, fieldUse{e.Path.Child("valueFrom", "fieldRef"), e.Var.ValueFrom.FieldRef, &e, nil})
	}
	for _, f := range t.DownwardAPIFiles() {
		if f.File.FieldRef == nil {
			continue
		}
		out = append(out, fieldUse{f.Path.Child("fieldRef"), f.File.FieldRef, nil, &f})
	}
	return out
}

// metadataKey returns the map ("labels" or "annotations") and key of a
// subscripted fieldPath the API server accepts: apiVersion v1 (or unset),
// base exactly metadata.labels or metadata.annotations, and a valid
// qualified-name key (lower-cased for annotations, as validation does).
// Rejected paths are left to the DA1xx rules.
func metadataKey(ref *corev1.ObjectFieldSelector) (kind, key string, ok bool) {
	if ref.APIVersion != "" && ref.APIVersion != "v1" {
		return "", "", false
	}
	base, key, ok := SplitSubscript(ref.FieldPath)
	if !ok {
		return "", "", false
	}
	switch base {
	case "metadata.labels":
		if len(validation.IsQualifiedName(key)) > 0 {
			return "", "", false
		}
		return "labels", key, true
	case "metadata.annotations":
		if len(validation.IsQualifiedName(strings.ToLower(key))) > 0 {
			return "", "", false
		}
		return "annotations", key, true
	}
	return "", "", false
}

// plainFieldPath returns the fieldPath of a fieldRef the API server accepts
// in env, with the legacy alias spec.host rewritten to spec.nodeName, or ""
// for anything else (subscripted paths included).
func plainFieldPath(ref *corev1.ObjectFieldSelector) string {
	if ref.APIVersion != "" && ref.APIVersion != "v1" {
		return ""
	}
	switch p := ref.FieldPath; p {
	case "spec.host":
		return "spec.nodeName"
	case "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
		"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs":
		return p
	}
	return ""
}
