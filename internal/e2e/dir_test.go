package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
)

// TestConfigDiscoveryUsesDir checks that .dapilint.yaml is looked for in
// Command.Dir, not in the process's working directory, and that with no
// PATH the linted directory is Dir.
func TestConfigDiscoveryUsesDir(t *testing.T) {
	project := t.TempDir()
	other := t.TempDir()
	pod := `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: busybox
    env: [{name: VERBOSE, value: on}]
    resources: {limits: {memory: 256mi}}
`
	write := func(dir, name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	podPath := write(project, "pod.yaml", pod)
	write(project, ".dapilint.yaml", "disable: [DA004]\n")
	// A config in the process's working directory must not be read.
	t.Chdir(other)
	write(other, ".dapilint.yaml", "disable: [DA005]\n")

	run := func(dir string, args ...string) (string, int) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := &cli.Command{
			Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Dir: dir,
		}
		code := cmd.Main(append([]string{"dapilint", "lint"}, args...))
		if stderr.Len() > 0 {
			t.Errorf("stderr: %s", stderr.String())
		}
		return stdout.String(), code
	}

	out, code := run(project, podPath)
	if code != cli.ExitFindings || strings.Contains(out, "[DA004]") || !strings.Contains(out, "[DA005]") {
		t.Errorf("Dir=project: exit %d, want DA005 only (DA004 disabled by project/.dapilint.yaml):\n%s", code, out)
	}

	out, code = run(project) // no PATH: lints Dir, naming files as seen from it
	if code != cli.ExitFindings || !strings.HasPrefix(out, "pod.yaml:9:") {
		t.Errorf("Dir=project, no PATH: exit %d, want findings in pod.yaml:\n%s", code, out)
	}

	out, code = run(project, "pod.yaml") // a relative PATH is relative to Dir
	if code != cli.ExitFindings || !strings.HasPrefix(out, "pod.yaml:9:") {
		t.Errorf("Dir=project, PATH pod.yaml: exit %d, want findings in pod.yaml:\n%s", code, out)
	}

	empty := t.TempDir()
	out, code = run(empty, podPath)
	if code != cli.ExitFindings || !strings.Contains(out, "[DA004]") || !strings.Contains(out, "[DA005]") {
		t.Errorf("Dir without config: exit %d, want DA004 and DA005:\n%s", code, out)
	}
}
