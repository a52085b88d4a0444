package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// TestGitignoreOfLintedRepository checks that a directory walk follows the
// .gitignore files of the repository the walked directory is in, wherever
// dapilint runs from; and, with a real git repository, that committed
// files are linted even where .gitignore matches them, as git keeps them.
func TestGitignoreOfLintedRepository(t *testing.T) {
	repo := t.TempDir()
	for name, data := range map[string]string{
		".git/HEAD":              "ref: refs/heads/main\n",
		".gitignore":             "/deploy/rendered/\n",
		"deploy/rendered/y.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: y}\nspec: {containers: [{name: y, image: nginx, env: [{name: V, value: on}]}]}\n",
		"deploy/web.yaml":        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: web, image: nginx, env: [{name: V, value: on}]}]}\n",
		"deploy/rendered/x.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: x, image: nginx, env: [{name: V, value: on}]}]}\n",
	} {
		path := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type lintCase struct {
		args []string
		want []string
	}
	check := func(cases []lintCase) {
		t.Helper()
		for _, c := range cases {
			checkGitignoreCase(t, c.args, c.want)
		}
	}
	// No index (a .git directory without one): the patterns decide.
	check([]lintCase{
		{[]string{filepath.Join(repo, "deploy")}, []string{"web.yaml"}},
		{[]string{"--no-gitignore", filepath.Join(repo, "deploy")}, []string{"web.yaml", "x.yaml", "y.yaml"}},
		// A file named on the command line is linted even when ignored.
		{[]string{filepath.Join(repo, "deploy", "rendered", "x.yaml")}, []string{"x.yaml"}},
	})

	// A real repository where deploy/rendered/y.yaml is committed.
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
			t.Fatal("git not found")
		}
		t.Skip("git not found")
	}
	if err := os.RemoveAll(filepath.Join(repo, ".git")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q", "."}, {"add", "-f", "deploy/rendered/y.yaml"}} {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	check([]lintCase{{[]string{filepath.Join(repo, "deploy")}, []string{"web.yaml", "y.yaml"}}})
}

// checkGitignoreCase runs dapilint lint args from an unrelated directory
// and checks which of the files are reported.
func checkGitignoreCase(t *testing.T, args, want []string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Dir: t.TempDir()}
	cmd.Main(append([]string{"dapilint", "lint"}, args...))
	for _, name := range []string{"web.yaml", "x.yaml", "y.yaml"} {
		if got, wanted := strings.Contains(stdout.String(), name+":"), slices.Contains(want, name); got != wanted {
			t.Errorf("%v: %s reported: %v, want %v\n%s%s", args, name, got, wanted, stdout.String(), stderr.String())
		}
	}
}

// TestSymlinkedManifests: a directory walk follows symbolic links, as
// kubectl reads a linked file, to files and to directories, but not round
// a loop; a broken link with a manifest's name is an input error, and a
// directory of links is not "without manifests". (Links are made here:
// testdata keeps none, so that every checkout and tool can walk it.)
func TestSymlinkedManifests(t *testing.T) {
	dir := t.TempDir()
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec: {containers: [{name: app, image: nginx, env: [{name: V, value: on}]}]}\n"
	for name, data := range map[string]string{
		"real/web.yaml":    fmt.Sprintf(pod, "web"),
		"real/sub/db.yaml": fmt.Sprintf(pod, "db"),
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := filepath.Join(dir, "links")
	if err := os.MkdirAll(links, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"web.yaml":    "../real/web.yaml", // a file
		"sub":         "../real/sub",      // a directory
		"loop":        ".",                // the directory itself
		"up":          "..",               // a directory above: contains this one
		"gone.yaml":   "../real/gone.yaml",
		"gone-readme": "../real/README",
	} {
		if err := os.Symlink(target, filepath.Join(links, name)); err != nil {
			t.Skipf("cannot make symbolic links: %v", err)
		}
	}
	only := filepath.Join(dir, "only-links")
	if err := os.MkdirAll(only, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../real/web.yaml", filepath.Join(only, "web.yaml")); err != nil {
		t.Fatal(err)
	}

	run := func(args ...string) (string, string, int) {
		var stdout, stderr bytes.Buffer
		cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Dir: dir}
		code := cmd.Main(append([]string{"dapilint", "lint"}, args...))
		return stdout.String(), stderr.String(), code
	}
	out, errs, code := run("links")
	for _, want := range []string{"links/web.yaml:4:", "links/sub/db.yaml:4:"} {
		if !strings.Contains(out, want) {
			t.Errorf("no finding in %s:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "not linted: 2 links back to a directory being walked") {
		t.Errorf("the loops are not counted in the summary:\n%s", out)
	}
	if strings.Contains(out, "links/loop/") || strings.Contains(out, "links/up/") {
		t.Errorf("a loop was followed:\n%s", out)
	}
	if code != cli.ExitError || !strings.Contains(errs, "cannot read links/gone.yaml: broken symbolic link") || strings.Contains(errs, "gone-readme") {
		t.Errorf("exit %d; a broken link to a manifest is an input error, to anything else nothing:\n%s", code, errs)
	}

	out, errs, code = run("only-links")
	if code != cli.ExitFindings || !strings.Contains(out, "only-links/web.yaml:4:") || errs != "" {
		t.Errorf("a directory of links: exit %d\n%s%s", code, out, errs)
	}
	out, _, _ = run("links/sub") // a link named on the command line
	if !strings.Contains(out, "links/sub/db.yaml:4:") {
		t.Errorf("a linked directory named on the command line is not walked:\n%s", out)
	}
}
