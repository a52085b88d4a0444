package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/internal/sarifcheck"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

const badPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  replicas: 2
  containers:
  - name: web
    image: nginx
`

const goodPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
`

type result struct {
	code           int
	stdout, stderr string
}

// run runs dapilint in-process in dir.
func run(t *testing.T, env map[string]string, tty bool, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &cli.Command{
		Stdin:            strings.NewReader(""),
		Stdout:           &stdout,
		Stderr:           &stderr,
		Getenv:           func(k string) string { return env[k] },
		StdoutIsTerminal: tty,
	}
	code := c.Main(append([]string{"dapilint"}, args...))
	return result{code, stdout.String(), stderr.String()}
}

// workdir makes a directory with bad.yaml and good.yaml and changes to it.
func workdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"bad.yaml": badPod, "good.yaml": goodPod} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func TestFormatsOnStdout(t *testing.T) {
	workdir(t)
	for _, f := range reporter.Formats {
		t.Run(f.Name, func(t *testing.T) {
			r := run(t, nil, false, "lint", "--format", f.Name, "bad.yaml", "good.yaml")
			if r.code != cli.ExitFindings {
				t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
			}
			summary := "1 error in 1 file (2 objects checked in 2 files)\n"
			if f.Human {
				if !strings.HasSuffix(r.stdout, summary) || r.stderr != "" {
					t.Errorf("text: summary must end stdout, stderr empty:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
				}
				return
			}
			if strings.Contains(r.stdout, "1 error in") {
				t.Errorf("%s: summary mixed into stdout:\n%s", f.Name, r.stdout)
			}
			if r.stderr != summary {
				t.Errorf("%s: stderr = %q, want the summary", f.Name, r.stderr)
			}
			switch f.Name {
			case "json":
				var d reporter.JSONDocument
				if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || len(d.Findings) != 1 || d.Findings[0].RuleID != "DA002" {
					t.Errorf("json: %v %+v", err, d)
				}
			case "sarif":
				log := sarifcheck.Check(t, []byte(r.stdout))
				run := log["runs"].([]any)[0].(map[string]any)
				if n := len(run["results"].([]any)); n != 1 {
					t.Errorf("sarif: %d results", n)
				}
				if n := len(run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)); n != len(rules.All) {
					t.Errorf("sarif lists %d rules, want all %d", n, len(rules.All))
				}
			case "github":
				if !strings.HasPrefix(r.stdout, "::error file=bad.yaml,line=6,col=3,") {
					t.Errorf("github: %s", r.stdout)
				}
			}
		})
	}
}

// TestOutputFiles writes every format at once; each file must be what
// --format writes on stdout.
func TestOutputFiles(t *testing.T) {
	dir := workdir(t)
	args := []string{"lint", "--format", "text"}
	for _, f := range reporter.Formats {
		args = append(args, "--output", f.Name+"="+filepath.Join("out", "x, y "+f.Name+f.Ext))
	}
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := run(t, map[string]string{}, true, append(args, "bad.yaml", "good.yaml")...)
	if r.code != cli.ExitFindings || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Error("text on a terminal should be coloured")
	}
	for _, f := range reporter.Formats {
		got, err := os.ReadFile(filepath.Join(dir, "out", "x, y "+f.Name+f.Ext))
		if err != nil {
			t.Fatal(err)
		}
		want := run(t, nil, false, "lint", "--format", f.Name, "bad.yaml", "good.yaml").stdout
		if string(got) != want {
			t.Errorf("--output %s file differs from --format %s:\n%s\nvs\n%s", f.Name, f.Name, got, want)
		}
	}
}

// TestOutputAlias: -o is --output, repeatable too.
func TestOutputAlias(t *testing.T) {
	workdir(t)
	r := run(t, nil, false, "lint", "-f", "json", "-o", "sarif=a.sarif", "-o", "github=b.txt", "bad.yaml")
	if r.code != cli.ExitFindings {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, name := range []string{"a.sarif", "b.txt"} {
		if data, err := os.ReadFile(name); err != nil || len(data) == 0 {
			t.Errorf("%s: %v, %d bytes", name, err, len(data))
		}
	}
}

func TestOutputErrors(t *testing.T) {
	workdir(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--format", "xml"}, `unknown format "xml" (want one of text, json, sarif, github)`},
		{[]string{"--output", "sarif"}, `invalid --output "sarif": want FORMAT=FILE`},
		{[]string{"--output", "=x.sarif"}, `invalid --output "=x.sarif": want FORMAT=FILE`},
		{[]string{"--output", "sarif="}, `want FORMAT=FILE`},
		{[]string{"--output", "xml=x.xml"}, `unknown format "xml"`},
		{[]string{"--output", "json=-"}, `use --format json for standard output`},
		{[]string{"--output", "json=a.json", "--output", "sarif=./a.json"}, `a.json is already an output`},
		{[]string{"--output", "json=good.yaml/a.json"}, `cannot write output`}, // a file where a directory must be
	} {
		r := run(t, nil, false, append(append([]string{"lint"}, c.args...), "good.yaml")...)
		if r.code != cli.ExitError || !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, r.code, r.stdout, r.stderr, c.msg)
		}
	}
	if _, err := os.Stat("a.json"); err == nil {
		t.Error("an output file was created although the flags were wrong")
	}
}

func TestColour(t *testing.T) {
	workdir(t)
	for _, c := range []struct {
		name   string
		env    map[string]string
		tty    bool
		args   []string
		colour bool
	}{
		{"terminal", nil, true, nil, true},
		{"pipe", nil, false, nil, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, true, nil, false},
		{"--no-color", nil, true, []string{"--no-color"}, false},
		{"json on a terminal", nil, true, []string{"--format", "json"}, false},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, true, nil, false},
		{"FORCE_COLOR in a pipe", map[string]string{"FORCE_COLOR": "1"}, false, nil, true},
		{"FORCE_COLOR=0 on a terminal", map[string]string{"FORCE_COLOR": "0"}, true, nil, false},
		{"FORCE_COLOR on a dumb terminal", map[string]string{"FORCE_COLOR": "1", "TERM": "dumb"}, true, nil, true},
		{"NO_COLOR beats FORCE_COLOR", map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, true, nil, false},
		{"--color always in a pipe", map[string]string{"NO_COLOR": "1"}, false, []string{"--color", "always"}, true},
		{"--color never on a terminal", map[string]string{"FORCE_COLOR": "1"}, true, []string{"--color", "never"}, false},
		{"--color auto in a pipe", nil, false, []string{"--color", "auto"}, false},
		{"--color AUTO on a terminal", nil, true, []string{"--color", "AUTO"}, true},
	} {
		r := run(t, c.env, c.tty, append(append([]string{"lint"}, c.args...), "bad.yaml")...)
		if got := strings.Contains(r.stdout+r.stderr, "\x1b["); got != c.colour {
			t.Errorf("%s: colour %v, want %v:\n%s", c.name, got, c.colour, r.stdout)
		}
	}
}

// TestInputErrorsInMachineFormats: unreadable inputs exit 2 and appear in
// the JSON and SARIF output.
func TestInputErrorsInMachineFormats(t *testing.T) {
	workdir(t)
	r := run(t, nil, false, "lint", "--format", "json", "--output", "sarif=out.sarif", "good.yaml", "missing.yaml")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "dapilint: cannot read missing.yaml") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var d reporter.JSONDocument
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.InputErrors) != 1 || d.InputErrors[0].File != "missing.yaml" ||
		d.InputErrors[0].Message != "cannot read missing.yaml: no such file or directory" || d.Summary.ReadErrors != 1 {
		t.Errorf("inputErrors %+v", d.InputErrors)
	}
	data, err := os.ReadFile("out.sarif")
	if err != nil {
		t.Fatal(err)
	}
	var log reporter.SARIFLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 {
		t.Errorf("invocation %+v", inv)
	}
}

func TestSARIFOverridesAndRoot(t *testing.T) {
	dir := workdir(t)
	if err := os.WriteFile(".dapilint.yaml", []byte("severity: {DA002: warning}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, false, "lint", "--format", "sarif", "--disable", "DA001", "bad.yaml")
	if r.code != cli.ExitClean {
		t.Fatalf("exit %d (DA002 is a warning now), stderr %s", r.code, r.stderr)
	}
	var log reporter.SARIFLog
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	run0 := log.Runs[0]
	if base := run0.OriginalURIBaseIDs["%SRCROOT%"].URI; base != reporter.FileURI(dir)+"/" {
		t.Errorf("%%SRCROOT%% = %q, want %q", base, reporter.FileURI(dir)+"/")
	}
	if loc := run0.Results[0].Locations[0].PhysicalLocation.ArtifactLocation; loc.URI != "bad.yaml" || loc.URIBaseID != "%SRCROOT%" {
		t.Errorf("location %+v", loc)
	}
	if run0.Results[0].Level != "warning" {
		t.Errorf("level %q", run0.Results[0].Level)
	}
	got := map[string]string{}
	for _, o := range run0.Invocations[0].RuleConfigurationOverrides {
		enabled := "-"
		if o.Configuration.Enabled != nil {
			enabled = map[bool]string{true: "on", false: "off"}[*o.Configuration.Enabled]
		}
		got[o.Descriptor.ID] = enabled + " " + o.Configuration.Level
	}
	if got["DA001"] != "off error" || got["DA002"] != "- warning" {
		t.Errorf("overrides %v", got)
	}
}

func TestLintHelp(t *testing.T) {
	r := run(t, nil, false, "lint", "--help")
	for _, want := range []string{"--output FORMAT=FILE", "--format FORMAT", "repeatable", "standard error"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lint --help lacks %q", want)
		}
	}
	for _, f := range reporter.Formats {
		if !strings.Contains(r.stdout, "  "+f.Name+" ") || !strings.Contains(r.stdout, f.Description) {
			t.Errorf("lint --help does not describe format %s", f.Name)
		}
	}
}
