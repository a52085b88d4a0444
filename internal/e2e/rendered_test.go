package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/render/engine"
	"github.com/dapilint/dapilint/rules"
)

// TestRenderedRuleExamples renders the example of each rule found only on
// rendered charts as the template of a chart, and checks that
// dapilint's output is the one its documentation shows.
func TestRenderedRuleExamples(t *testing.T) {
	for _, r := range rules.All {
		if !r.Rendered {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, data string) {
				p := filepath.Join(dir, "chart", name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n")
			write("templates/example.yaml", r.Example)
			var stdout, stderr bytes.Buffer
			cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Dir: dir, Renderer: engine.New()}
			cmd.Main([]string{"dapilint", "lint", "chart"})
			if stdout.String() != r.ExampleOutput {
				t.Errorf("%s: output of its example:\n%s\nExampleOutput:\n%s\n%s", r.ID, stdout.String(), r.ExampleOutput, stderr.String())
			}
		})
	}
}
