package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/internal/sarifcheck"
	"github.com/dapilint/dapilint/reporter"
)

// gitRepo makes a git repository with an origin remote and one commit of
// files, and returns its root and HEAD.
func gitRepo(t *testing.T, remote string, files map[string]string) (root, head string) {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	root = t.TempDir()
	for name, data := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+root)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	do("init", "-q", "-b", "release")
	do("remote", "add", "origin", remote)
	do("add", ".")
	do("commit", "-q", "-m", "manifests")
	do("pack-refs", "--all") // HEAD's branch then lives in packed-refs
	return root, do("rev-parse", "HEAD")
}

// TestSARIFRepository runs dapilint from a subdirectory of a git
// repository: SARIF locations are relative to the repository's root
// (%SRCROOT%), the log names the repository, commit and branch, and the
// remote's credentials never reach the log. GitHub annotations name files
// relative to the root too.
func TestSARIFRepository(t *testing.T) {
	pod, err := os.ReadFile(filepath.Join(casesDir, "stdin", "stdin"))
	if err != nil {
		t.Fatal(err)
	}
	root, head := gitRepo(t, "https://ci-bot:s3cret-token@github.com/acme/deploy.git", map[string]string{
		"deploy/prod/web.yaml": string(pod),
	})
	lint := func(format string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		c := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Dir: filepath.Join(root, "deploy")}
		if code := c.Main([]string{"dapilint", "lint", "--format", format, "prod/"}); code != cli.ExitFindings {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if strings.Contains(stdout.String(), "s3cret") || strings.Contains(stdout.String(), "ci-bot") {
			t.Errorf("the remote's credentials are in the %s output", format)
		}
		return stdout.String()
	}
	out := lint("sarif")
	sarifcheck.Check(t, []byte(out))
	var log reporter.SARIFLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if got, want := run.OriginalURIBaseIDs[reporter.SARIFSrcRoot].URI, reporter.FileURI(root)+"/"; got != want {
		t.Errorf("%%SRCROOT%% = %s, want the repository's root %s", got, want)
	}
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != "deploy/prod/web.yaml" || loc.URIBaseID != reporter.SARIFSrcRoot {
			t.Errorf("artifact %+v, want deploy/prod/web.yaml relative to %%SRCROOT%%", loc)
		}
	}
	want := []reporter.SARIFVersionControlDetails{{RepositoryURI: "https://github.com/acme/deploy", RevisionID: head, Branch: "release",
		MappedTo: &reporter.SARIFBaseLocation{URIBaseID: reporter.SARIFSrcRoot}}}
	if got, _ := json.Marshal(run.VersionControlProvenance); string(got) != string(must(json.Marshal(want))) {
		t.Errorf("versionControlProvenance %s, want %s", got, must(json.Marshal(want)))
	}
	t.Run("validator", func(t *testing.T) {
		tool := sarifcheck.Validator(t)
		path := filepath.Join(t.TempDir(), "repo.sarif")
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		c := sarifcheck.ValidateFiles(t, tool, []string{path})
		if c.Errors > 0 || c.Warnings > 0 {
			t.Errorf("validator: %d errors, %d warnings:\n%s", c.Errors, c.Warnings, strings.Join(c.Messages, "\n"))
		}
		for _, n := range c.NoteMessages {
			if strings.Contains(n, "SARIF2003") {
				t.Errorf("the validator still misses versionControlProvenance: %s", n)
			}
		}
	})

	if gh := lint("github"); !strings.HasPrefix(gh, "::error file=deploy/prod/web.yaml,line=11,") {
		t.Errorf("annotations must name files relative to the repository:\n%s", gh)
	}
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}

// TestRemoteURLs: remotes become https URLs without credentials; a local
// remote gives no versionControlProvenance.
func TestRemoteURLs(t *testing.T) {
	for remote, want := range map[string]string{
		"git@github.com:acme/deploy.git":            "https://github.com/acme/deploy",
		"ssh://git@gitlab.example.com:2222/a/b.git": "https://gitlab.example.com/a/b",
		"https://x:y@dev.azure.com/o/p/_git/r":      "https://dev.azure.com/o/p/_git/r",
		"/srv/git/deploy.git":                       "",
	} {
		pod, _ := os.ReadFile(filepath.Join(casesDir, "stdin", "stdin"))
		root, _ := gitRepo(t, remote, map[string]string{"web.yaml": string(pod)})
		var stdout, stderr bytes.Buffer
		c := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(string) string { return "" }, Dir: root}
		c.Main([]string{"dapilint", "lint", "--format", "sarif", "web.yaml"})
		var log reporter.SARIFLog
		if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
			t.Fatalf("%s: %v\n%s", remote, err, stderr.String())
		}
		got := ""
		if v := log.Runs[0].VersionControlProvenance; len(v) == 1 {
			got = v[0].RepositoryURI
		}
		if got != want {
			t.Errorf("remote %s: repositoryUri %q, want %q", remote, got, want)
		}
	}
}
