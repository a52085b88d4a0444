package sourcemap

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildErrorMissingFile: a build that fails on a missing file points
// at the line of the kustomization that names it, also when the tree is
// reached through a link (kustomize's errors name the real path), and the
// message is the same for every build on that base.
func TestBuildErrorMissingFile(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "real")
	for name, data := range map[string]string{
		"manager/kustomization.yaml": "resources:\n  - manager.yaml\nconfigMapGenerator:\n  - name: config\n    envs:\n      - .env\n",
		"manager/manager.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
		"default/kustomization.yaml": "resources:\n  - ../manager\n",
	} {
		p := filepath.Join(real, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	errFor := func(build string) error {
		return fmt.Errorf("kustomize build %s: accumulating resources: loading KV pairs: env source files: [.env]: evalsymlink failure on '%s' : lstat %s: no such file or directory",
			build, filepath.Join(real, "manager", ".env"), filepath.Join(real, "manager", ".env"))
	}
	var messages []string
	for _, dir := range []string{"default", "manager"} {
		b := NewBuild(filepath.Join(link, dir), dir)
		src, rng, msg, approximate := b.BuildError(errFor(dir))
		if approximate {
			t.Errorf("%s: approximate position, want the line naming .env (%s)", dir, msg)
		}
		if want := filepath.Join("manager", "kustomization.yaml"); src.Name != want || rng.Start.Line != 6 || rng.Start.Col != 9 {
			t.Errorf("%s: finding at %s:%d:%d, want %s:6:9", dir, src.Name, rng.Start.Line, rng.Start.Col, want)
		}
		messages = append(messages, msg)
	}
	if messages[0] != messages[1] || !strings.Contains(messages[0], `names ".env", which does not exist`) {
		t.Errorf("want one message naming .env for both builds, got %q", messages)
	}
}

// TestDisabledPatches: commented-out entries of patch lists name patches
// switched off; commented-out resources are not patches.
func TestDisabledPatches(t *testing.T) {
	data := `resources:
- bases/widgets.yaml
#- bases/gadgets.yaml
patches:
- path: patches/max_size.yaml
#- path: patches/webhook_in_widgets.yaml
# - patches/cainjection_in_widgets.yaml
patchesStrategicMerge:
#- manager_webhook_patch.yaml
configurations:
#- kustomizeconfig.yaml
`
	got := disabledPatches("k", []byte(data))
	want := []string{filepath.Join("k", "patches", "webhook_in_widgets.yaml"), filepath.Join("k", "patches", "cainjection_in_widgets.yaml"), filepath.Join("k", "manager_webhook_patch.yaml")}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("disabledPatches = %q, want %q", got, want)
	}
}
