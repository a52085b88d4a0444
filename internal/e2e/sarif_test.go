package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/sarifcheck"
)

// TestSARIFOfExamples validates the SARIF file the GitHub Action uploads,
// as the real binary writes it (--output sarif=FILE next to text output),
// for the examples, an input from stdin and a path that cannot be read:
// Go-side checks, then Microsoft's validator with GitHub's rules.
func TestSARIFOfExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tool := sarifcheck.Validator(t)
	bin := dapilintBinary(t)
	sarif := filepath.Join(t.TempDir(), "dapilint.sarif")
	cmd := exec.Command(bin, "lint", "--output", "sarif="+sarif, "--stdin-filename", "deploy/web.yaml",
		"examples/", "-", "missing.yaml")
	cmd.Dir = repoRoot(t)
	stdin, err := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "cli", "stdin", "stdin"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = strings.NewReader(string(stdin))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("dapilint: %v, want exit status 2 (missing.yaml)\n%s", err, out)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	sarifcheck.Check(t, data)
	c := sarifcheck.ValidateFiles(t, tool, []string{sarif})
	if c.Errors > 0 || c.Warnings > 0 {
		t.Errorf("validator: %d errors, %d warnings:\n%s", c.Errors, c.Warnings, strings.Join(c.Messages, "\n"))
	}
	if c.Notes == 0 {
		t.Error("validator reported no notes at all: did its checks run?")
	}
	for _, want := range []string{`"uri": "examples/web-deployment.yaml"`, `"uri": "deploy/web.yaml"`, `missing.yaml`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("SARIF lacks %s", want)
		}
	}
}
