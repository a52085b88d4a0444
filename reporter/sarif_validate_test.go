package reporter_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/internal/sarifcheck"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

// TestSARIFValidates runs Microsoft's SARIF validator (SARIF_MULTITOOL,
// installed by scripts/ci/install-tools.sh) with the SARIF and GitHub rule
// sets over logs of real runs: a clean run, runs with findings and fixes
// of every severity, input errors, configuration overrides, and files
// whose paths have spaces, non-ASCII letters and characters that URIs must
// percent-encode. It fails on any error or warning, and requires at least
// one note, as proof that the rules ran (the validator exits 0 whatever it
// finds, and passes bad enum values silently: sarifcheck.Check covers
// those).
func TestSARIFValidates(t *testing.T) {
	tool := sarifcheck.Validator(t)
	src := t.TempDir()
	logs := t.TempDir()
	copyInput := func(from, to string) {
		data, err := os.ReadFile(filepath.Join("testdata", "input", from))
		if err != nil {
			t.Fatal(err)
		}
		to = filepath.Join(src, filepath.FromSlash(to))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyInput("clean.yaml", "clean.yaml")
	copyInput("deployment.yaml", "dir with space/ünïcödé.yaml")
	copyInput("list.yaml", "odd [x] #1 50%.yaml")
	copyInput("syntax.yaml", "syntax.yaml")

	var files []string
	write := func(name string, data []byte) {
		t.Helper()
		sarifcheck.Check(t, data)
		path := filepath.Join(logs, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}

	// The golden files.
	for _, g := range []string{"clean.sarif", "findings.sarif"} {
		data, err := os.ReadFile(filepath.Join("testdata", "golden", g))
		if err != nil {
			t.Fatal(err)
		}
		write("golden-"+g, data)
	}

	// The CLI, as CI would run it, from the directory it lints.
	t.Chdir(src)
	runCLI := func(want int, args ...string) []byte {
		t.Helper()
		var stdout, stderr bytes.Buffer
		c := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
		if got := c.Main(append([]string{"dapilint"}, args...)); got != want {
			t.Fatalf("dapilint %v: exit %d, want %d\n%s", args, got, want, stderr.String())
		}
		return stdout.Bytes()
	}
	write("cli-clean.sarif", runCLI(0, "lint", "--format", "sarif", "clean.yaml"))
	write("cli-findings.sarif", runCLI(1, "lint", "--format", "sarif", "--enable", "all", "."))
	runCLI(2, "lint", "--format", "text", "--output", "sarif="+filepath.Join(logs, "cli-missing.sarif"), "clean.yaml", "missing.yaml")
	files = append(files, filepath.Join(logs, "cli-missing.sarif"))
	// With a baseline: every result has a baselineState, new or unchanged.
	runCLI(0, "lint", "--write-baseline", "baseline.json", "dir with space")
	baselined := runCLI(1, "lint", "--format", "sarif", "--enable", "all", "--baseline", "baseline.json", ".")
	if !bytes.Contains(baselined, []byte(`"baselineState": "unchanged"`)) || !bytes.Contains(baselined, []byte(`"baselineState": "new"`)) {
		t.Error("cli-baseline.sarif lacks new or unchanged results")
	}
	write("cli-baseline.sarif", baselined)

	// The reporter with the test rule (warnings, infos, fixes), a severity
	// override and a rule off by default turned on.
	catalogue := append(slices.Clone(rules.All), fakeRule)
	cfg := goldenConfig()
	opts := reporter.Options{Version: "(devel)", Rules: catalogue, Enabled: cfg.Rules, Severity: cfg.Severity, SrcRoot: src}
	sarif, _ := reporter.Lookup("sarif")
	var inputs []lint.Input
	for _, name := range []string{"clean.yaml", "dir with space/ünïcödé.yaml", "odd [x] #1 50%.yaml", "syntax.yaml"} {
		inputs = append(inputs, lint.Input{Name: filepath.FromSlash(name), Path: filepath.Join(src, filepath.FromSlash(name))})
	}
	absolute := lint.Input{Name: filepath.Join(src, "clean.yaml"), Path: filepath.Join(src, "clean.yaml")}
	write("reporter-findings.sarif", render(t, sarif, append(inputs, absolute), cfg, opts))
	write("reporter-clean.sarif", render(t, sarif, inputs[:1], cfg, opts))

	counts := sarifcheck.ValidateFiles(t, tool, files)
	t.Logf("validator: %d errors, %d warnings, %d notes over %d logs", counts.Errors, counts.Warnings, counts.Notes, len(files))
	for _, m := range counts.Messages {
		t.Error(m)
	}
	if counts.Notes == 0 {
		t.Errorf("the validator reported no notes; it cannot have run its rules (notes: %v)", counts.NoteMessages)
	}
}
