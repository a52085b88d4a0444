package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/reporter"
	"sigs.k8s.io/yaml"
)

// notYetInCLI are flags the Action uses before the CLI has them (they are
// being added on another branch). They are reported, not failed, and the
// test fails once the CLI has them, so that the entry gets removed.
var notYetInCLI = map[string]bool{}

// action is action.yml, strictly: an unknown key is an error.
type action struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Author      string `json:"author"`
	Branding    struct {
		Icon  string `json:"icon"`
		Color string `json:"color"`
	} `json:"branding"`
	Inputs map[string]struct {
		Description string `json:"description"`
		Required    bool   `json:"required"`
		Default     string `json:"default"`
	} `json:"inputs"`
	Outputs map[string]struct {
		Description string `json:"description"`
		Value       string `json:"value"`
	} `json:"outputs"`
	Runs struct {
		Using string       `json:"using"`
		Steps []actionStep `json:"steps"`
	} `json:"runs"`
}

type actionStep struct {
	Name             string            `json:"name"`
	ID               string            `json:"id"`
	If               string            `json:"if"`
	Uses             string            `json:"uses"`
	With             map[string]string `json:"with"`
	Shell            string            `json:"shell"`
	WorkingDirectory string            `json:"working-directory"`
	Env              map[string]string `json:"env"`
	Run              string            `json:"run"`
}

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID                      string   `json:"id"`
	Name                    string   `json:"name"`
	Description             string   `json:"description"`
	Entry                   string   `json:"entry"`
	Language                string   `json:"language"`
	TypesOr                 []string `json:"types_or"`
	Types                   []string `json:"types"`
	Files                   string   `json:"files"`
	PassFilenames           *bool    `json:"pass_filenames"`
	RequireSerial           *bool    `json:"require_serial"`
	MinimumPreCommitVersion string   `json:"minimum_pre_commit_version"`
}

func readStrict(t *testing.T, name string, v any) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return data
}

// lintFlags returns the long flags `dapilint lint --help` lists.
func lintFlags(t *testing.T) map[string]bool {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := cmd.Main([]string{"dapilint", "lint", "--help"}); code != 0 {
		t.Fatalf("dapilint lint --help: exit %d\n%s", code, stderr.String())
	}
	help := stdout.String()
	_, opts, ok := strings.Cut(help, "OPTIONS:")
	if !ok {
		t.Fatalf("no OPTIONS in dapilint lint --help:\n%s", help)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+--([a-z][a-z0-9-]*)`).FindAllStringSubmatch(opts, -1) {
		flags[m[1]] = true
	}
	if !flags["fail-level"] {
		t.Fatalf("--fail-level not found in dapilint lint --help:\n%s", help)
	}
	return flags
}

// checkFlags checks that every --flag in text exists in the CLI.
func checkFlags(t *testing.T, where, text string, flags map[string]bool) (pending []string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(?:^|[\s"'(])--([a-z][a-z0-9-]*)`).FindAllStringSubmatch(text, -1) {
		f := m[1]
		switch {
		case flags[f] && notYetInCLI[f]:
			t.Errorf("--%s is in the CLI now: remove it from notYetInCLI", f)
		case flags[f]:
		case notYetInCLI[f]:
			t.Logf("%s: --%s is not in the CLI yet (pending on another branch)", where, f)
			pending = append(pending, f)
		default:
			t.Errorf("%s passes --%s, which `dapilint lint --help` does not list", where, f)
		}
	}
	return pending
}

func TestActionMetadata(t *testing.T) {
	var a action
	raw := readStrict(t, "action.yml", &a)
	flags := lintFlags(t)

	if a.Name == "" || a.Description == "" {
		t.Error("action.yml needs name and description")
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}

	// The inputs the README documents, with their defaults.
	wantInputs := map[string]string{
		"paths": ".", "format": "text", "fail-level": "", "config": "", "baseline": "",
		"sarif-file": "dapilint.sarif", "upload-sarif": "true", "category": "dapilint", "version": "",
	}
	for name, def := range wantInputs {
		in, ok := a.Inputs[name]
		if !ok {
			t.Errorf("input %q missing", name)
			continue
		}
		if in.Default != def {
			t.Errorf("input %q: default %q, want %q", name, in.Default, def)
		}
	}
	for name, in := range a.Inputs {
		if _, ok := wantInputs[name]; !ok {
			t.Errorf("input %q is not documented in this test (and the README)", name)
		}
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
		if in.Required {
			t.Errorf("input %q is required; every input has a default", name)
		}
	}
	if _, ok := reporter.Lookup(a.Inputs["format"].Default); !ok {
		t.Errorf("default format %q is not a dapilint format", a.Inputs["format"].Default)
	}

	// Every input is used by a step, and every input a step uses exists.
	steps := string(raw[bytes.Index(raw, []byte("\nruns:")):])
	inputRef := regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	used := map[string]bool{}
	for _, m := range inputRef.FindAllStringSubmatch(steps, -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("steps use inputs.%s, which is not declared", m[1])
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is never used", name)
		}
	}

	// Steps: run steps have a shell, step outputs that are referenced are
	// written by that step (actions are pinned by commit: see
	// TestActionsPinned), and no step changes the environment of the
	// caller's later steps.
	ids := map[string]actionStep{}
	for i, s := range a.Runs.Steps {
		if (s.Uses == "") == (s.Run == "") {
			t.Errorf("step %d (%s): exactly one of uses and run", i, s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %d (%s): run step without shell", i, s.Name)
		}
		if s.Run != "" && strings.Contains(s.Run, "${{") {
			t.Errorf("step %d (%s): expression in run; pass it through env (script injection)", i, s.Name)
		}
		if strings.Contains(s.Run, "GITHUB_ENV") || strings.Contains(s.Run, "GITHUB_PATH") {
			t.Errorf("step %d (%s) writes GITHUB_ENV or GITHUB_PATH: the caller's later steps would see it", i, s.Name)
		}
		if s.ID != "" {
			ids[s.ID] = s
		}
	}
	stepOut := regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	for _, m := range stepOut.FindAllStringSubmatch(string(raw), -1) {
		s, ok := ids[m[1]]
		if !ok {
			t.Errorf("steps.%s is not a step id", m[1])
			continue
		}
		if !strings.Contains(s.Run, m[2]+"=") {
			t.Errorf("steps.%s.outputs.%s is never written by step %s", m[1], m[2], m[1])
		}
	}
	uses := map[string]actionStep{}
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			uses[strings.Split(s.Uses, "@")[0]] = s
		}
	}
	// setup-go puts its Go first on PATH and sets GOTOOLCHAIN=local for
	// every later step of the job: only where the runner has no Go at all.
	if s, ok := uses["actions/setup-go"]; !ok || s.With["go-version-file"] != "${{ github.action_path }}/go.mod" {
		t.Errorf("actions/setup-go must set up the Go of the action's go.mod (go-version-file: ${{ github.action_path }}/go.mod)")
	} else if s.If != "inputs.version == '' && steps.go.outputs.found != 'true'" {
		t.Errorf("actions/setup-go runs if %q; it must run only when building and the runner has no Go", s.If)
	}
	// Building: the build step's Go settings are its own, and its caches
	// are restored and saved by actions/cache, keyed by the step go.
	build := ids["build"]
	for k, want := range map[string]string{
		"GOTOOLCHAIN": "auto", "GOWORK": "off", "GOOS": "", "GOARCH": "", "CGO_ENABLED": "0",
		"GOCACHE": "${{ runner.temp }}/dapilint-action/go-build", "GOMODCACHE": "${{ runner.temp }}/dapilint-action/go-mod",
	} {
		if v, ok := build.Env[k]; !ok || v != want {
			t.Errorf("build step: env %s = %q, want %q", k, v, want)
		}
	}
	if s, ok := uses["actions/cache"]; !ok {
		t.Error("no actions/cache step: the build must have the Go build cache")
	} else {
		for _, dir := range []string{build.Env["GOCACHE"], build.Env["GOMODCACHE"]} {
			if !slices.Contains(strings.Split(strings.TrimSpace(s.With["path"]), "\n"), dir) {
				t.Errorf("actions/cache does not cache %s", dir)
			}
		}
		if s.With["key"] != "${{ steps.go.outputs.cache-key }}" || s.If != "inputs.version == ''" {
			t.Errorf("actions/cache: key %q if %q", s.With["key"], s.If)
		}
	}
	for _, id := range []string{"go", "build"} {
		if ids[id].If != "inputs.version == ''" {
			t.Errorf("step %s runs if %q, want only when building (inputs.version == '')", id, ids[id].If)
		}
	}
	if ids["release"].If != "inputs.version != ''" {
		t.Errorf("step release runs if %q, want only when a version is given", ids["release"].If)
	}
	if s, ok := uses["github/codeql-action/upload-sarif"]; !ok {
		t.Error("no github/codeql-action/upload-sarif step")
	} else {
		if !strings.HasPrefix(s.If, "always()") || !strings.Contains(s.If, "inputs.upload-sarif == 'true'") {
			t.Errorf("upload-sarif step: if %q must be always() && inputs.upload-sarif == 'true' ...", s.If)
		}
		if s.With["category"] != "${{ inputs.category }}" {
			t.Errorf("upload-sarif step: category %q, want ${{ inputs.category }}", s.With["category"])
		}
	}

	// The flags passed to dapilint exist.
	lint, ok := ids["lint"]
	if !ok {
		t.Fatal("no step with id lint")
	}
	checkFlags(t, "action.yml step lint", lint.Run, flags)
	for _, want := range []string{"--format", "--fail-level", "--config", "--baseline", "--output"} {
		if !strings.Contains(lint.Run, want) {
			t.Errorf("lint step does not pass %s", want)
		}
	}
}

func TestPreCommitHooksMetadata(t *testing.T) {
	var hooks []hook
	readStrict(t, ".pre-commit-hooks.yaml", &hooks)
	flags := lintFlags(t)
	want := map[string]string{"dapilint": "golang", "dapilint-system": "system",
		"dapilint-fix": "golang", "dapilint-fix-system": "system"}
	seen := map[string]bool{}
	for _, h := range hooks {
		lang, ok := want[h.ID]
		if !ok {
			t.Errorf("unexpected hook %q", h.ID)
			continue
		}
		seen[h.ID] = true
		if h.Language != lang {
			t.Errorf("hook %s: language %q, want %q", h.ID, h.Language, lang)
		}
		if h.Name == "" || h.Description == "" {
			t.Errorf("hook %s: name and description are required", h.ID)
		}
		words := strings.Fields(h.Entry)
		if len(words) < 2 || words[0] != "dapilint" || words[1] != "lint" {
			t.Errorf("hook %s: entry %q must run dapilint lint", h.ID, h.Entry)
		}
		checkFlags(t, "hook "+h.ID, h.Entry, flags)
		if fixes := strings.HasPrefix(h.ID, "dapilint-fix"); fixes != slices.Contains(words, "--fix") {
			t.Errorf("hook %s: entry %q: the dapilint-fix hooks, and only they, pass --fix", h.ID, h.Entry)
		}
		// YAML, JSON and Helm helpers (.tpl), whose changes re-render
		// their chart.
		if !slices.Equal(h.Types, []string{"file"}) || h.Files != `\.(ya?ml|json|tpl)$` {
			t.Errorf("hook %s: types %q, files %q, want [file] and %s", h.ID, h.Types, h.Files, `\.(ya?ml|json|tpl)$`)
		}
		if h.RequireSerial == nil || !*h.RequireSerial {
			t.Errorf("hook %s: require_serial must be true (a chart is rendered once per run)", h.ID)
		}
		if h.PassFilenames == nil || !*h.PassFilenames {
			t.Errorf("hook %s: pass_filenames must be true", h.ID)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("hook %s missing", id)
		}
	}
	// language: golang runs `go install ./...`, which names the binary
	// after its directory: the entry's command must be cmd/dapilint.
	if _, err := os.Stat(filepath.Join(repoRoot(t), "cmd", "dapilint", "main.go")); err != nil {
		t.Errorf("the hooks run `dapilint`, built from cmd/dapilint: %v", err)
	}
}

// actionWarning has one warning (DA202) and no error.
const actionWarning = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: MEMORY_LIMIT
      valueFrom:
        resourceFieldRef:
          resource: limits.memory
`

// stepRun is one run of an Action step's script, as the runner would run
// it: bash -e -o pipefail, the step's env with its expressions replaced.
type stepRun struct {
	dir    string            // working directory
	inputs map[string]string // inputs that differ from their defaults
	exprs  map[string]string // other ${{ ... }} expressions in env values
	caller map[string]string // the job's environment, which the step's env overrides
	env    map[string]string // variables that override the step's env
}

// runActionStep runs step and returns its outputs, its log and the error
// of its exit status.
func runActionStep(t *testing.T, a *action, step actionStep, r stepRun) (map[string]string, string, error) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if step.Run == "" {
		t.Fatalf("step %q has no run script", step.Name)
	}
	ghOut := filepath.Join(t.TempDir(), "github_output")
	env := append(os.Environ(), "GITHUB_OUTPUT="+ghOut)
	for k, v := range r.caller {
		env = append(env, k+"="+v)
	}
	for k, v := range step.Env {
		if m := regexp.MustCompile(`^\$\{\{ inputs\.([a-z-]+) \}\}$`).FindStringSubmatch(v); m != nil {
			v = a.Inputs[m[1]].Default
			if iv, ok := r.inputs[m[1]]; ok {
				v = iv
			}
		}
		for expr, val := range r.exprs {
			v = strings.ReplaceAll(v, expr, val)
		}
		if strings.Contains(v, "${{") {
			t.Fatalf("step %s: env %s=%q: expression not given to the test", step.ID, k, v)
		}
		env = append(env, k+"="+v)
	}
	for k, v := range r.env {
		env = append(env, k+"="+v)
	}
	cmd := exec.Command(bash, "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.Run)
	cmd.Dir = r.dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	outputs := map[string]string{}
	if data, err := os.ReadFile(ghOut); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[k] = v
			}
		}
	}
	return outputs, out.String(), runErr
}

// actionSteps reads action.yml and returns it with its steps by id.
func actionSteps(t *testing.T) (*action, map[string]actionStep) {
	t.Helper()
	var a action
	readStrict(t, "action.yml", &a)
	ids := map[string]actionStep{}
	for _, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = s
		}
	}
	return &a, ids
}

// TestActionLintStep runs the Action's lint step script with bash, as the
// runner would (inputs through env), against the built binary.
func TestActionLintStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	a, steps := actionSteps(t)
	lint := steps["lint"]
	if pending := checkFlags(t, "action.yml step lint", lint.Run, lintFlags(t)); len(pending) > 0 {
		t.Skipf("the CLI lacks %q yet", pending)
	}
	bin := dapilintBinary(t)

	work := t.TempDir()
	for name, data := range map[string]string{
		"k8s/broken.yaml":  precommitBroken,
		"k8s/clean.yaml":   precommitClean,
		"more/clean.yaml":  precommitClean,
		"not-linted.yaml":  precommitBroken,
		".dapilint.yaml":   "{}\n",
		"ci/lenient.yaml":  "disable: [wrong-type]\n",
		"reports/.keep":    "",
		"README.md":        "x\n",
		"docs/index.json":  "{}\n",
		"k8s/notes.txt":    "x\n",
		"more/values.yaml": "replicaCount: 1\n",
		"warn/web.yaml":    actionWarning,
		"warn/strict.yaml": "fail-level: warning\n",
	} {
		path := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	runStep := func(inputs map[string]string) (map[string]string, string) {
		t.Helper()
		outputs, log, err := runActionStep(t, a, lint, stepRun{dir: work, inputs: inputs,
			exprs: map[string]string{"${{ steps.release.outputs.path || steps.build.outputs.path }}": bin}})
		if err != nil {
			t.Fatalf("lint step failed (it must always exit 0): %v\n%s", err, log)
		}
		return outputs, log
	}

	// Defaults, with two paths on two lines: findings, exit 1, SARIF written.
	outputs, log := runStep(map[string]string{"paths": "k8s\nmore/clean.yaml", "sarif-file": "reports/dapilint.sarif"})
	if outputs["exit-code"] != "1" || outputs["sarif-file"] != "reports/dapilint.sarif" {
		t.Errorf("outputs %v, want exit-code 1 and sarif-file reports/dapilint.sarif\n%s", outputs, log)
	}
	if !strings.Contains(log, "k8s/broken.yaml:11:14: error:") || strings.Contains(log, "not-linted.yaml") {
		t.Errorf("log does not show exactly the findings of the given paths:\n%s", log)
	}
	data, err := os.ReadFile(filepath.Join(work, "reports", "dapilint.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 1 {
		t.Errorf("SARIF file: %v, version %q, want one run with one result:\n%s", err, sarif.Version, data)
	}

	// A config that disables the rule, no SARIF: exit 0, no sarif-file.
	outputs, log = runStep(map[string]string{"paths": "k8s", "config": "ci/lenient.yaml", "sarif-file": ""})
	if outputs["exit-code"] != "0" || outputs["sarif-file"] != "" {
		t.Errorf("outputs %v, want exit-code 0 and no sarif-file\n%s", outputs, log)
	}

	// fail-level none: exit 0 despite the finding.
	outputs, log = runStep(map[string]string{"paths": "k8s", "fail-level": "none"})
	if outputs["exit-code"] != "0" || !strings.Contains(log, "k8s/broken.yaml:11:14: error:") {
		t.Errorf("outputs %v, want exit-code 0 with the finding shown\n%s", outputs, log)
	}

	// The fail-level input, left empty, does not override the config
	// file's: a warning fails the step as it fails a local run.
	outputs, log = runStep(map[string]string{"paths": "warn/web.yaml", "config": "warn/strict.yaml", "sarif-file": ""})
	if outputs["exit-code"] != "1" || !strings.Contains(log, "warn/web.yaml:13:21: warning:") {
		t.Errorf("config fail-level warning, input unset: outputs %v, want exit-code 1\n%s", outputs, log)
	}
	// Set, it does override it.
	outputs, log = runStep(map[string]string{"paths": "warn/web.yaml", "config": "warn/strict.yaml", "fail-level": "error", "sarif-file": ""})
	if outputs["exit-code"] != "0" {
		t.Errorf("config fail-level warning, input error: outputs %v, want exit-code 0\n%s", outputs, log)
	}

	// The baseline input: a baseline with the finding hides it.
	cmd := exec.Command(bin, "lint", "--write-baseline", "k8s/baseline.json", "k8s")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("--write-baseline: %v\n%s", err, out)
	}
	outputs, log = runStep(map[string]string{"paths": "k8s", "baseline": "k8s/baseline.json", "sarif-file": "reports/baselined.sarif"})
	if outputs["exit-code"] != "0" || strings.Contains(log, "k8s/broken.yaml:11:14") || !strings.Contains(log, "1 finding hidden by the baseline") {
		t.Errorf("baseline input: outputs %v, want exit-code 0 with the finding hidden\n%s", outputs, log)
	}
	if data, err := os.ReadFile(filepath.Join(work, "reports", "baselined.sarif")); err != nil || !strings.Contains(string(data), `"baselineState": "unchanged"`) {
		t.Errorf("baseline input: the SARIF file does not mark the finding unchanged (%v)", err)
	}

	// A missing path: exit 2 is passed on.
	outputs, log = runStep(map[string]string{"paths": "nope"})
	if outputs["exit-code"] != "2" {
		t.Errorf("outputs %v, want exit-code 2\n%s", outputs, log)
	}
}

// workflow is a GitHub Actions workflow, as far as the tests read it.
type workflow struct {
	// YAML 1.1 reads the key on as true.
	On   map[string]any `json:"true"`
	Jobs map[string]struct {
		Needs       any               `json:"needs"`
		Permissions map[string]string `json:"permissions"`
		Steps       []workflowStep    `json:"steps"`
	} `json:"jobs"`
}

type workflowStep struct {
	Uses string            `json:"uses"`
	With map[string]string `json:"with"`
	Run  string            `json:"run"`
	Env  map[string]string `json:"env"`
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return wf
}

// TestCIWorkflow checks that .github/workflows/ci.yml runs what the
// project's CI must run, with the Go of go.mod.
func TestCIWorkflow(t *testing.T) {
	wf := readWorkflow(t, "ci.yml")
	runs := map[string]bool{}
	for name, job := range wf.Jobs {
		checkout := false
		for _, s := range job.Steps {
			runs[strings.TrimSpace(s.Run)] = true
			switch strings.Split(s.Uses, "@")[0] {
			case "actions/checkout":
				checkout = true
			case "actions/setup-go":
				// The action job plays a caller with a Go of its own.
				if name != "action" && s.With["go-version-file"] != "go.mod" {
					t.Errorf("job %s: setup-go with %v, want go-version-file: go.mod", name, s.With)
				}
			}
		}
		if !checkout {
			t.Errorf("job %s does not check out the repository", name)
		}
	}
	for _, want := range []string{"go vet ./...", "make fmt-check", "make test", "go test -race ./...", "make build", "bash .ci/run"} {
		if !runs[want] {
			t.Errorf("ci.yml has no step running %q", want)
		}
	}
	// The action job checks that the caller's Go survives the action.
	var usesAction, checksGo bool
	for _, s := range wf.Jobs["action"].Steps {
		usesAction = usesAction || s.Uses == "./"
		checksGo = checksGo || (usesAction && strings.Contains(s.Run, `test "$(go version)" = "$GO_BEFORE"`) && strings.Contains(s.Run, `test "$PATH" = "$PATH_BEFORE"`))
	}
	if !usesAction || !checksGo {
		t.Error("ci.yml job action must use ./ and then check that go version and PATH are unchanged")
	}
}

// TestReleaseWorkflow checks .github/workflows/release.yml: a v* tag runs
// the tests, then GoReleaser (at the pinned version, through
// scripts/ci/goreleaser.sh) with the permissions to publish.
func TestReleaseWorkflow(t *testing.T) {
	wf := readWorkflow(t, "release.yml")
	push, _ := wf.On["push"].(map[string]any)
	if tags, _ := push["tags"].([]any); len(wf.On) != 1 || len(tags) != 1 || tags[0] != "v*" {
		t.Errorf("on: %v, want only push of v* tags", wf.On)
	}
	job, ok := wf.Jobs["goreleaser"]
	if !ok {
		t.Fatal("no goreleaser job")
	}
	if job.Needs != "test" || !slices.ContainsFunc(wf.Jobs["test"].Steps, func(s workflowStep) bool { return s.Run == "make test" }) {
		t.Error("the goreleaser job must need a test job that runs make test")
	}
	if job.Permissions["contents"] != "write" || job.Permissions["packages"] != "write" {
		t.Errorf("goreleaser job permissions %v, want contents and packages write", job.Permissions)
	}
	var release, fullHistory, login bool
	for _, s := range job.Steps {
		switch strings.Split(s.Uses, "@")[0] {
		case "actions/checkout":
			fullHistory = s.With["fetch-depth"] == "0"
		case "docker/login-action":
			login = s.With["registry"] == "ghcr.io"
		}
		if strings.TrimSpace(s.Run) == "bash scripts/ci/goreleaser.sh release --clean" && s.Env["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}" {
			release = true
		}
	}
	if !release || !fullHistory || !login {
		t.Errorf("goreleaser job: release step %v, checkout with fetch-depth 0 %v, ghcr.io login %v", release, fullHistory, login)
	}
}

// TestActionsPinned checks that every action the Action and the workflows
// use is pinned by full commit SHA with its version in a comment (uses:
// owner/repo@SHA # vX.Y.Z), the same one everywhere.
func TestActionsPinned(t *testing.T) {
	root := repoRoot(t)
	files := []string{"action.yml"}
	workflows, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(workflows) == 0 {
		t.Fatalf("workflows %q: %v", workflows, err)
	}
	for _, w := range workflows {
		rel, _ := filepath.Rel(root, w)
		files = append(files, rel)
	}
	usesLine := regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(.*)$`)
	pinned := regexp.MustCompile(`^([\w.-]+/[\w.-]+)(/[\w./-]+)?@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$`)
	pins := map[string]string{} // owner/repo: "SHA # vX.Y.Z"
	n := 0
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			m := usesLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			uses := strings.TrimSpace(m[1])
			if uses == "./" {
				continue
			}
			p := pinned.FindStringSubmatch(uses)
			if p == nil {
				t.Errorf("%s:%d: uses %q is not pinned as owner/repo@<commit SHA> # vX.Y.Z", name, i+1, uses)
				continue
			}
			n++
			pin := p[3] + " # " + p[4]
			if prev, ok := pins[p[1]]; ok && prev != pin {
				t.Errorf("%s:%d: %s@%s, elsewhere @%s", name, i+1, p[1], pin, prev)
			}
			pins[p[1]] = pin
		}
	}
	if n == 0 {
		t.Fatal("no uses: lines found")
	}
}

// TestActionFindGo runs the step that decides whether the runner's Go can
// build dapilint (Go 1.21 or later fetches the toolchain go.mod asks for)
// or actions/setup-go must install one, and computes the cache key.
func TestActionFindGo(t *testing.T) {
	a, steps := actionSteps(t)
	step := steps["go"]
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go")
	}
	// A PATH with the tools the step uses and, in each case, a go or none.
	tools := t.TempDir()
	for _, tool := range []string{"cat", "cut", "sha256sum"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("no %s", tool)
		}
		if err := os.Symlink(p, filepath.Join(tools, tool)); err != nil {
			t.Fatal(err)
		}
	}
	oldGo := t.TempDir()
	if err := os.WriteFile(filepath.Join(oldGo, "go"), []byte("#!/bin/sh\necho go1.20.14\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	sep := string(os.PathListSeparator)
	for _, c := range []struct {
		name, path, found, keyPart string
	}{
		{"the runner's Go", tools + sep + filepath.Dir(realGo), "true", "-" + runtime.Version() + "-"},
		{"a Go older than 1.21", tools + sep + oldGo, "false", "-setup-go-"},
		{"no Go", tools, "false", "-setup-go-"},
	} {
		outputs, log, err := runActionStep(t, a, step, stepRun{dir: repoRoot(t),
			env: map[string]string{"PATH": c.path, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}})
		if err != nil {
			t.Errorf("%s: %v\n%s", c.name, err, log)
			continue
		}
		prefix := "dapilint-action-Linux-X64" + c.keyPart
		if outputs["found"] != c.found || outputs["cache-prefix"] != prefix ||
			!regexp.MustCompile(`^`+regexp.QuoteMeta(prefix)+`[0-9a-f]{16}$`).MatchString(outputs["cache-key"]) {
			t.Errorf("%s: outputs %v, want found=%s and a cache key starting %s\n%s", c.name, outputs, c.found, prefix, log)
		}
	}
}

// TestActionBuildStep runs the build step (version empty) with the Go at
// hand: the binary carries the ref the action was used at as its version.
func TestActionBuildStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	a, steps := actionSteps(t)
	step := steps["build"]
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Skipf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	temp := t.TempDir()
	outputs, log, err := runActionStep(t, a, step, stepRun{dir: repoRoot(t),
		exprs: map[string]string{"${{ github.action_ref }}": "v1.2.3-action", "${{ runner.temp }}": temp},
		// The step's own caches would start cold: this machine's are used
		// instead, so that the test builds only what changed.
		env: map[string]string{"RUNNER_TEMP": temp, "GOCACHE": goEnv("GOCACHE"), "GOMODCACHE": goEnv("GOMODCACHE")},
		// A job's settings that the build must not take.
		caller: map[string]string{"GOFLAGS": "-mod=vendor", "GOOS": "plan9", "GOWORK": filepath.Join(temp, "go.work")}})
	if err != nil {
		t.Fatalf("build step: %v\n%s", err, log)
	}
	if want := filepath.Join(temp, "dapilint-action", "bin", "dapilint"+goEnv("GOEXE")); outputs["path"] != want {
		t.Errorf("outputs %v, want path=%s", outputs, want)
	}
	// dapilint runs dapilint-render from beside itself.
	if _, err := os.Stat(filepath.Join(temp, "dapilint-action", "bin", "dapilint-render"+goEnv("GOEXE"))); err != nil {
		t.Errorf("dapilint-render is not built beside dapilint: %v", err)
	}
	if !strings.Contains(log, "dapilint v1.2.3-action") {
		t.Errorf("the build step does not show the version v1.2.3-action:\n%s", log)
	}
}
