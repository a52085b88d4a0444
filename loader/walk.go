package loader

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ContainerKind says which list of the pod spec a container is in.
type ContainerKind uint8

// The container lists of a pod spec.
const (
	RegularContainer ContainerKind = iota
	InitContainer
	EphemeralContainer
)

func (k ContainerKind) String() string {
	switch k {
	case InitContainer:
		return "init container"
	case EphemeralContainer:
		return "ephemeral container"
	}
	return "container"
}

// ContainerRef is one container of a pod spec with its path.
type ContainerRef struct {
	Path      *field.Path // e.g. spec.template.spec.initContainers[0]
	Container *corev1.Container
	Kind      ContainerKind
}

// Containers returns the pod's containers, init containers and ephemeral
// containers, in that order. Like Env and DownwardAPIFiles it is computed
// once per pod and shared by every rule: callers must not modify it.
func (t *PodTemplate) Containers() []ContainerRef {
	if t.containers == nil {
		t.containers = t.collectContainers()
	}
	return t.containers
}

func (t *PodTemplate) collectContainers() []ContainerRef {
	s := t.Spec
	out := make([]ContainerRef, 0, len(s.Containers)+len(s.InitContainers)+len(s.EphemeralContainers))
	for i := range s.Containers {
		out = append(out, ContainerRef{t.SpecPath.Child("containers").Index(i), &s.Containers[i], RegularContainer})
	}
	for i := range s.InitContainers {
		out = append(out, ContainerRef{t.SpecPath.Child("initContainers").Index(i), &s.InitContainers[i], InitContainer})
	}
	for i := range s.EphemeralContainers {
		// EphemeralContainerCommon has exactly Container's fields, so the
		// conversion is free and rules see one type.
		c := (*corev1.Container)(&s.EphemeralContainers[i].EphemeralContainerCommon)
		out = append(out, ContainerRef{t.SpecPath.Child("ephemeralContainers").Index(i), c, EphemeralContainer})
	}
	return out
}

// FindContainer looks a container up by name the way the kubelet resolves a
// resourceFieldRef's containerName: regular containers first, then init
// containers; ephemeral containers are never found.
func (t *PodTemplate) FindContainer(name string) (ContainerRef, bool) {
	for _, c := range t.Containers() {
		if c.Kind != EphemeralContainer && c.Container.Name == name {
			return c, true
		}
	}
	return ContainerRef{}, false
}

// Memo returns f's result for key, calling f only the first time for this
// pod template. Rules use it to share a view of the pod that several of
// them derive (say, every resourceFieldRef with the container it reads);
// the result must be treated as read-only. A pod template belongs to one
// file, and a file is linted by one goroutine, so no locking is needed.
func (t *PodTemplate) Memo(key any, f func() any) any {
	if v, ok := t.memo[key]; ok {
		return v
	}
	if t.memo == nil {
		t.memo = map[any]any{}
	}
	v := f()
	t.memo[key] = v
	return v
}

// EnvRef is one env entry of a container.
type EnvRef struct {
	Path      *field.Path // …containers[i].env[j]
	Var       *corev1.EnvVar
	Container ContainerRef
}

// Env returns every env entry of every container.
func (t *PodTemplate) Env() []EnvRef {
	if t.env == nil {
		t.env = t.collectEnv()
	}
	return t.env
}

func (t *PodTemplate) collectEnv() []EnvRef {
	out := []EnvRef{}
	for _, c := range t.Containers() {
		for j := range c.Container.Env {
			out = append(out, EnvRef{c.Path.Child("env").Index(j), &c.Container.Env[j], c})
		}
	}
	return out
}

// VolumeFileRef is one item of a downwardAPI volume, or of a downwardAPI
// source of a projected volume.
type VolumeFileRef struct {
	Path   *field.Path // …volumes[i].downwardAPI.items[j] or …projected.sources[k].downwardAPI.items[j]
	File   *corev1.DownwardAPIVolumeFile
	Volume *corev1.Volume
	// VolumePath is the path of the volume (…volumes[i]).
	VolumePath *field.Path
	// Projected is true for an item of a projected volume's source.
	Projected bool
}

// DownwardAPIFiles returns every downwardAPI item of every volume.
func (t *PodTemplate) DownwardAPIFiles() []VolumeFileRef {
	if t.files == nil {
		t.files = t.collectDownwardAPIFiles()
	}
	return t.files
}

func (t *PodTemplate) collectDownwardAPIFiles() []VolumeFileRef {
	out := []VolumeFileRef{}
	for i := range t.Spec.Volumes {
		v := &t.Spec.Volumes[i]
		vp := t.SpecPath.Child("volumes").Index(i)
		if d := v.DownwardAPI; d != nil {
			for j := range d.Items {
				out = append(out, VolumeFileRef{vp.Child("downwardAPI", "items").Index(j), &d.Items[j], v, vp, false})
			}
		}
		if p := v.Projected; p != nil {
			for k := range p.Sources {
				if d := p.Sources[k].DownwardAPI; d != nil {
					sp := vp.Child("projected", "sources").Index(k).Child("downwardAPI", "items")
					for j := range d.Items {
						out = append(out, VolumeFileRef{sp.Index(j), &d.Items[j], v, vp, true})
					}
				}
			}
		}
	}
	return out
}

// HasDownwardAPI reports whether a volume is a downwardAPI volume or a
// projected volume with a downwardAPI source.
func HasDownwardAPI(v *corev1.Volume) bool {
	if v.DownwardAPI != nil {
		return true
	}
	if v.Projected != nil {
		for _, s := range v.Projected.Sources {
			if s.DownwardAPI != nil {
				return true
			}
		}
	}
	return false
}
