package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/sarifcheck"
)

// adoptionPod is a workload with two findings: DA204 (a label read into an
// env var) and DA202 (a memory limit read from a container without one).
const adoptionDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - name: APP
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['app']
        - name: MEMORY_LIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
`

const adoptionJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox
        env:
        - name: MEMORY_LIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
`

// TestBaselineAdoption walks through adopting dapilint on a repository with
// existing findings, with the real binary: write a baseline, then edit the
// manifests the way people do (lines inserted above the findings, a
// document inserted before them, documents reordered, an env var inserted
// before theirs) and add one new defect. Exactly that defect must be reported and
// fail the run; the SARIF log marks it new and the others unchanged, and
// passes the SARIF validator.
func TestBaselineAdoption(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := dapilintBinary(t)
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		t.Helper()
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(dir string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = filepath.Join(repo, dir)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}

	// DA204 is in the pedantic group, off by default.
	write(".dapilint.yaml", "enable: [env-label-frozen]\n")
	write("deploy/web.yaml", adoptionDeployment)
	write("deploy/jobs.yaml", adoptionJob+"---\n"+strings.ReplaceAll(adoptionJob, "migrate", "cleanup"))
	// Today: four findings, recorded.
	stdout, stderr, code := run(".", "lint", "--write-baseline", ".dapilint-baseline.json", "deploy/")
	if code != 0 || stdout != "no problems found (3 objects checked in 2 files); 4 findings hidden by the baseline\n" ||
		stderr != "dapilint: wrote 4 findings to the baseline .dapilint-baseline.json\n" {
		t.Fatalf("--write-baseline: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(repo, ".dapilint-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`"line"`, `"message"`, `"document"`} {
		if strings.Contains(string(data), bad) {
			t.Errorf("the baseline records %s, which unrelated edits change:\n%s", bad, data)
		}
	}
	if !strings.Contains(string(data), `"file": "deploy/web.yaml"`) {
		t.Errorf("the baseline does not name files relative to itself:\n%s", data)
	}

	// Later: lines and a document inserted above the Deployment, the jobs
	// reordered, and one new defect (a cpu limit read from a container
	// without one).
	// An env var inserted above the others moves their list indexes too:
	// list items with a name are matched by name.
	edited := strings.Replace(adoptionDeployment, "        env:\n", "        env:\n        - name: LOG_LEVEL\n          value: info\n", 1)
	write("deploy/web.yaml", "# The web frontend.\n#\n# Owned by the shop team.\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {}\n---\n"+
		edited+"        - name: REPORT_CPUS\n          valueFrom:\n            resourceFieldRef:\n              resource: limits.cpu\n")
	write("deploy/jobs.yaml", strings.ReplaceAll(adoptionJob, "migrate", "cleanup")+"---\n"+adoptionJob)

	sarif := filepath.Join(t.TempDir(), "dapilint.sarif")
	// From a subdirectory, with the baseline named relative to it: its
	// file names stay relative to the baseline itself.
	stdout, stderr, code = run("deploy", "lint", "--fail-level", "warning", "--baseline", "../.dapilint-baseline.json", "--output", "sarif="+sarif, ".")
	if code != 1 {
		t.Errorf("exit %d, want 1 (one new warning at --fail-level warning)\n%s%s", code, stdout, stderr)
	}
	if n := strings.Count(stdout, "[DA"); n != 1 || !strings.HasPrefix(stdout, "web.yaml:41:25: warning: container \"web\" sets no cpu limit") {
		t.Errorf("want exactly the new finding (web.yaml:41:25, DA202), got %d:\n%s", n, stdout)
	}
	if !strings.Contains(stdout, "; 4 findings hidden by the baseline\n") || strings.Contains(stdout, "no longer match") {
		t.Errorf("summary does not say that the baseline hid 4 findings and all of it matched:\n%s", stdout)
	}

	data, err = os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	sarifcheck.Check(t, data)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID        string `json:"ruleId"`
				BaselineState string `json:"baselineState"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, r := range log.Runs[0].Results {
		states[r.BaselineState]++
	}
	if states["new"] != 1 || states["unchanged"] != 4 || len(states) != 2 {
		t.Errorf("baselineState of the results: %v, want 1 new and 4 unchanged", states)
	}
	tool := sarifcheck.Validator(t)
	c := sarifcheck.ValidateFiles(t, tool, []string{sarif})
	if c.Errors > 0 || c.Warnings > 0 {
		t.Errorf("validator: %d errors, %d warnings:\n%s", c.Errors, c.Warnings, strings.Join(c.Messages, "\n"))
	}

	// A baselined finding fixed: the summary says the baseline is stale.
	write("deploy/jobs.yaml", adoptionJob)
	stdout, _, code = run(".", "lint", "--baseline", ".dapilint-baseline.json", "deploy/")
	if code != 0 || !strings.Contains(stdout, "; 3 findings hidden by the baseline, 1 of its findings no longer matches (rewrite it with --write-baseline)\n") {
		t.Errorf("after a fix: exit %d, want a summary with one stale baseline finding:\n%s", code, stdout)
	}
}
