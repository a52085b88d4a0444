package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
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

// TestPackagedSubchartRenderError: a template of a subchart read from a
// .tgz (as `helm dependency build` leaves it) that fails to render is
// reported at the dependency in the parent's Chart.yaml, approximately,
// naming the archive (there is no file to edit), and not at Chart.yaml's
// first line with "Helm names no template file".
func TestPackagedSubchartRenderError(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: other\n    version: 0.1.0\n  - name: broken\n    version: 0.1.0\n")
	write("web/charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n")
	var tgz bytes.Buffer
	gz := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(gz)
	for name, data := range map[string]string{
		"broken/Chart.yaml":        "apiVersion: v2\nname: broken\nversion: 0.1.0\n",
		"broken/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.missing.key }}\n",
	} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	write("web/charts/broken-0.1.0.tgz", tgz.String())

	var stdout, stderr bytes.Buffer
	cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Dir: dir, Renderer: engine.New()}
	cmd.Main([]string{"dapilint", "lint", "--format", "json", "web"})
	var out struct {
		Findings []struct {
			RuleID string `json:"ruleId"`
			File   string `json:"file"`
			Range  struct {
				Start struct{ Line int } `json:"start"`
			} `json:"range"`
			Rendered struct {
				Approximate bool   `json:"approximate"`
				Note        string `json:"note"`
			} `json:"rendered"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if len(out.Findings) != 1 {
		t.Fatalf("want 1 finding, got %d:\n%s", len(out.Findings), stdout.String())
	}
	f := out.Findings[0]
	if f.RuleID != "DA007" || f.File != filepath.Join("web", "Chart.yaml") || f.Range.Start.Line != 7 {
		t.Errorf("got %s at %s:%d, want DA007 at the dependency broken, web/Chart.yaml:7", f.RuleID, f.File, f.Range.Start.Line)
	}
	if !f.Rendered.Approximate || !strings.Contains(f.Rendered.Note, "templates/cm.yaml:6:15 in the packaged subchart web/charts/broken-0.1.0.tgz") {
		t.Errorf("want an approximate position naming the template line and the archive, got approximate=%t note %q", f.Rendered.Approximate, f.Rendered.Note)
	}
}
