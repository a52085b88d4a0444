package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/render"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// Kustomize builds a kustomization as `kustomize build` would with its
// defaults (load restrictions on, no plugins, no Helm), after checking that
// every resource, base and component is local: a remote one is an error
// naming it, and nothing is ever downloaded.
func (Engine) Kustomize(req render.KustomizeRequest) (*render.KustomizeResult, error) {
	dir, err := filepath.Abs(req.Dir)
	if err != nil {
		return nil, err
	}
	if err := checkLocal(dir, map[string]bool{}); err != nil {
		// Name files as the request did.
		return nil, errors.New(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), filepath.Clean(req.Dir)+string(filepath.Separator)))
	}
	opts := krusty.MakeDefaultOptions()
	k := krusty.MakeKustomizer(opts)
	m, err := k.Run(originFS{FileSystem: filesys.MakeFsOnDisk(), root: dir}, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", req.Dir, err)
	}
	res := &render.KustomizeResult{}
	for _, r := range m.Resources() {
		var out render.Resource
		origin, err := r.GetOrigin()
		if err == nil && origin != nil {
			if origin.Repo == "" {
				out.Origin = origin.Path
			}
			out.ConfiguredIn = origin.ConfiguredIn
		}
		if err := r.SetOrigin(nil); err != nil {
			return nil, err
		}
		data, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		out.YAML = string(data)
		res.Resources = append(res.Resources, out)
	}
	return res, nil
}

// checkLocal checks that the resources, bases and components of the
// kustomization in dir, and of the local kustomizations they name, exist
// on disk.
func checkLocal(dir string, done map[string]bool) error {
	if done[dir] {
		return nil
	}
	done[dir] = true
	file := render.FindKustomization(dir)
	if file == "" {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var k types.Kustomization
	if err := yaml.Unmarshal(data, &k); err != nil {
		return fmt.Errorf("cannot parse %s: %w", file, err)
	}
	k.FixKustomization() // moves the deprecated bases into resources
	refs := append(append([]string{}, k.Resources...), k.Components...)
	for _, ref := range refs {
		p := ref
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, ref)
		}
		st, err := os.Stat(p)
		if err != nil {
			if looksRemote(ref) {
				return fmt.Errorf("%s names the remote base %q: dapilint builds kustomizations offline from local files only (vendor the base, or lint the built output: kustomize build | dapilint lint -)", file, ref)
			}
			return fmt.Errorf("%s names %q, which does not exist", file, ref)
		}
		if st.IsDir() {
			if err := checkLocal(p, done); err != nil {
				return err
			}
		}
	}
	return nil
}

func looksRemote(ref string) bool {
	return strings.Contains(ref, "://") || strings.HasPrefix(ref, "git@") || strings.Contains(ref, "?ref=") ||
		strings.Contains(ref, "?version=") || strings.Contains(ref, ".git") ||
		strings.HasPrefix(ref, "github.com/") || strings.HasPrefix(ref, "gitlab.com/") || strings.HasPrefix(ref, "bitbucket.org/")
}

// originFS is the disk, except that the root kustomization asks for
// origin annotations, which record each object's source file.
type originFS struct {
	filesys.FileSystem
	root string
}

func (f originFS) ReadFile(path string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(path)
	if err != nil || filepath.Dir(path) != f.root || !slices.Contains(render.KustomizationFiles, filepath.Base(path)) {
		return data, err
	}
	var k map[string]any
	if err := yaml.Unmarshal(data, &k); err != nil || k == nil {
		return data, nil // kustomize reports it
	}
	meta, _ := k["buildMetadata"].([]any)
	for _, m := range meta {
		if m == types.OriginAnnotations {
			return data, nil
		}
	}
	k["buildMetadata"] = append(meta, types.OriginAnnotations)
	return yaml.Marshal(k)
}
