package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireTool finds an external tool: the path in the environment variable
// env, or name on PATH. When it is missing the test is skipped, or fails
// when DAPILINT_REQUIRE_TOOLS=1 (as in CI, see .ci/run).
func requireTool(t *testing.T, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	msg := name + " not found (set " + env + " or put it on PATH)"
	if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
		t.Fatal(msg + "; DAPILINT_REQUIRE_TOOLS=1")
	}
	t.Skip(msg)
	return ""
}

// gitIdentity makes commits work on machines without a git identity.
var gitIdentity = []string{
	"GIT_AUTHOR_NAME=dapilint test", "GIT_AUTHOR_EMAIL=test@dapilint.invalid",
	"GIT_COMMITTER_NAME=dapilint test", "GIT_COMMITTER_EMAIL=test@dapilint.invalid",
}

func run(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), ee.ExitCode()
		}
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out.String(), 0
}

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, code := run(t, dir, env, name, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

// snapshotRepo copies the module's working tree (the files git tracks, plus
// untracked files that are not ignored) into a new git repository with one
// commit in dst (a new temporary directory if empty), and returns its
// directory and commit.
func snapshotRepo(t *testing.T, git, dst string) (string, string) {
	t.Helper()
	root := repoRoot(t)
	if dst == "" {
		dst = t.TempDir()
	}
	out, code := run(t, root, nil, git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if code != 0 {
		t.Fatalf("git ls-files in %s: exit %d\n%s", root, code, out)
	}
	n := 0
	for _, rel := range strings.Split(out, "\x00") {
		if rel == "" {
			continue
		}
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a symlink/submodule
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if _, err := os.Stat(filepath.Join(dst, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("snapshot of %d files has no .pre-commit-hooks.yaml: %v", n, err)
	}
	mustRun(t, dst, gitIdentity, git, "init", "-q")
	mustRun(t, dst, gitIdentity, git, "add", "-A")
	mustRun(t, dst, gitIdentity, git, "commit", "-q", "--no-verify", "-m", "snapshot")
	sha := strings.TrimSpace(mustRun(t, dst, gitIdentity, git, "rev-parse", "HEAD"))
	return dst, sha
}

// makeWritable undoes the Go module cache's read-only permissions so that
// the temporary directory can be removed by a non-root user.
func makeWritable(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
}

// precommitTemplate is a chart template whose fieldPath comes from values.
const precommitTemplate = `apiVersion: v1
kind: Pod
metadata:
  name: {{ include "chart.name" . }}
spec:
  containers:
    - name: web
      image: nginx
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: {{ .Values.fieldPath }}
`

const precommitBroken = `apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: app
    image: busybox:1.36
    env:
    - name: VERBOSE
      value: yes
`

const precommitClean = `apiVersion: v1
kind: Pod
metadata:
  name: clean
spec:
  containers:
  - name: app
    image: busybox:1.36
    env:
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
`

const precommitWorkflow = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
    - run: make test
`

// TestPreCommit installs this repository's hooks with the real pre-commit
// tool, from a git snapshot of the working tree, in a project with a broken
// manifest, a clean one and a YAML file that is not Kubernetes: both hooks
// (golang, which builds dapilint, and system, which uses the one on PATH)
// fail with the finding, then pass once the broken manifest is gone. Then
// dapilint-fix fixes a staged CRLF file in place.
func TestPreCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pre-commit and builds dapilint")
	}
	precommit := requireTool(t, "PRE_COMMIT", "pre-commit")
	git := requireTool(t, "GIT", "git")
	start := time.Now()

	hooks, sha := snapshotRepo(t, git, "")

	// The system hook runs the dapilint found on PATH.
	binDir := filepath.Dir(dapilintBinary(t))

	project := t.TempDir()
	preCommitHome := t.TempDir()
	t.Cleanup(func() { makeWritable(preCommitHome) })
	files := map[string]string{
		".pre-commit-config.yaml":  "repos:\n- repo: " + hooks + "\n  rev: " + sha + "\n  hooks:\n  - id: dapilint\n  - id: dapilint-system\n",
		"k8s/broken.yaml":          precommitBroken,
		"k8s/clean.yaml":           precommitClean,
		".github/workflows/ci.yml": precommitWorkflow,
		"README.md":                "not linted\n",
		// A chart: its files make the hook render it.
		"chart/Chart.yaml":             "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
		"chart/values.yaml":            "fieldPath: metadata.nam\n",
		"chart/templates/pod.yaml":     precommitTemplate,
		"chart/templates/_helpers.tpl": "{{- define \"chart.name\" -}}web{{- end }}\n",
	}
	for name, data := range files {
		path := filepath.Join(project, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, project, gitIdentity, git, "init", "-q")
	mustRun(t, project, gitIdentity, git, "add", "-A")

	// pre-commit's golang hook builds with GOPATH in PRE_COMMIT_HOME, and
	// so with an empty module cache that downloads every dependency again
	// (over a minute on a slow network). Share the module cache that
	// building dapilintBinary has just filled; the build itself is still a
	// real, cold `go install ./...` of the snapshot.
	modCache := strings.TrimSpace(mustRun(t, project, nil, "go", "env", "GOMODCACHE"))
	env := append([]string{
		"PRE_COMMIT_HOME=" + preCommitHome,
		"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GOMODCACHE=" + modCache,
		"NO_COLOR=1",
	}, gitIdentity...)

	out, code := run(t, project, env, precommit, "run", "--all-files", "--color", "never")
	t.Logf("pre-commit with the broken manifest (exit %d, %s):\n%s", code, time.Since(start).Round(time.Millisecond), out)
	if code != 1 {
		t.Fatalf("pre-commit exit %d, want 1 (a hook failed)", code)
	}
	for _, want := range []string{
		"- hook id: dapilint\n",
		"- hook id: dapilint-system\n",
		`k8s/broken.yaml:11:14: error: "value" must be a string, got boolean true`,
		`chart/values.yaml:1:12: error: unknown fieldPath "metadata.nam"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pre-commit output lacks %q", want)
		}
	}
	if n := strings.Count(out, "chart/values.yaml:1:12:"); n != 2 {
		t.Errorf("chart finding reported %d times, want once per hook", n)
	}
	if n := strings.Count(out, "k8s/broken.yaml:11:14:"); n != 2 {
		t.Errorf("finding reported %d times, want once per hook", n)
	}
	if n := strings.Count(out, "Failed"); n != 2 {
		t.Errorf("%d hooks failed, want 2", n)
	}

	mustRun(t, project, gitIdentity, git, "rm", "-q", "-f", "k8s/broken.yaml")
	if err := os.WriteFile(filepath.Join(project, "chart/values.yaml"), []byte("fieldPath: metadata.name\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, project, gitIdentity, git, "add", "-A")
	second := time.Now()
	out, code = run(t, project, env, precommit, "run", "--all-files", "--color", "never")
	t.Logf("pre-commit without it (exit %d, %s):\n%s", code, time.Since(second).Round(time.Millisecond), out)
	if code != 0 {
		t.Fatalf("pre-commit exit %d, want 0 with only clean and non-Kubernetes files", code)
	}
	if n := strings.Count(out, "Passed"); n != 2 {
		t.Errorf("%d hooks passed, want 2", n)
	}
	// Passing hooks are quiet: no summary line, nothing about the workflow.
	if strings.Contains(out, "no problems found") || strings.Contains(out, "ci.yml") {
		t.Errorf("passing hooks printed dapilint output")
	}

	// The golang hook ran the dapilint it built, not the one on PATH.
	built, _ := filepath.Glob(filepath.Join(preCommitHome, "*", "golangenv-*", "bin", "dapilint"))
	if len(built) != 1 {
		t.Errorf("golang hook: no dapilint built under PRE_COMMIT_HOME (found %q)", built)
	}
	// It built dapilint-render beside it, which rendered the chart.
	built, _ = filepath.Glob(filepath.Join(preCommitHome, "*", "golangenv-*", "bin", "dapilint-render"))
	if len(built) != 1 {
		t.Errorf("golang hook: no dapilint-render built under PRE_COMMIT_HOME (found %q)", built)
	}

	// --verbose shows that the files were linted and the YAML files that
	// are not Kubernetes objects (the workflow, .pre-commit-config.yaml)
	// skipped.
	out, code = run(t, project, env, precommit, "run", "--all-files", "--color", "never", "--verbose", "dapilint-system")
	if code != 0 || !strings.Contains(out, "no problems found (2 objects checked in 3 files and 1 chart, 2 other documents skipped)") {
		t.Errorf("pre-commit --verbose (exit %d) does not show the expected summary:\n%s", code, out)
	}

	// dapilint-fix applies the safe fixes to the staged files: pre-commit
	// fails because a file was changed, and the file holds the fix, byte
	// for byte; the next run passes. It reuses the golang environment the
	// dapilint hook built.
	fixable := strings.Replace(precommitBroken, "value: yes", "value: yes   # a comment stays", 1)
	fixable = strings.ReplaceAll(fixable, "\n", "\r\n")
	if err := os.WriteFile(filepath.Join(project, "k8s", "fixable.yaml"), []byte(fixable), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := "repos:\n- repo: " + hooks + "\n  rev: " + sha + "\n  hooks:\n  - id: dapilint-fix\n"
	if err := os.WriteFile(filepath.Join(project, ".pre-commit-config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, project, gitIdentity, git, "add", "-A")
	third := time.Now()
	out, code = run(t, project, env, precommit, "run", "--all-files", "--color", "never")
	t.Logf("pre-commit dapilint-fix (exit %d, %s):\n%s", code, time.Since(third).Round(time.Millisecond), out)
	if code != 1 || !strings.Contains(out, "- files were modified by this hook") {
		t.Errorf("dapilint-fix: exit %d, want 1 with files modified", code)
	}
	got, err := os.ReadFile(filepath.Join(project, "k8s", "fixable.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(fixable, "value: yes ", `value: "yes" `, 1); string(got) != want {
		t.Errorf("dapilint-fix wrote %q, want %q", got, want)
	}
	if info, err := os.Stat(filepath.Join(project, "k8s", "fixable.yaml")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the fixed file's mode changed: %v %v", info.Mode(), err)
	}
	mustRun(t, project, gitIdentity, git, "add", "-A")
	out, code = run(t, project, env, precommit, "run", "--all-files", "--color", "never")
	if code != 0 {
		t.Errorf("dapilint-fix on fixed files: exit %d, want 0\n%s", code, out)
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}
