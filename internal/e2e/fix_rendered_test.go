package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/render/engine"
)

// copyTree copies the directory src to dst and returns every file's
// contents by relative path.
func copyTree(t *testing.T, src, dst string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[rel] = data
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestFixLeavesRenderedInputsAlone runs --fix (unsafe fixes included) on a
// Helm chart and a Kustomize overlay whose findings have fixes: their
// findings point into templates, values files and patches, and the fixes
// were made for the rendered output, so nothing is written. The findings
// are reported with their fix shown as a suggestion.
func TestFixLeavesRenderedInputsAlone(t *testing.T) {
	for _, c := range []struct{ tree, arg string }{
		{"helm-chart", "demo"},
		{"kustomize-overlay", "overlays/prod"},
	} {
		t.Run(c.tree, func(t *testing.T) {
			dir := t.TempDir()
			before := copyTree(t, filepath.Join(casesDir, c.tree), dir)
			var stdout, stderr bytes.Buffer
			cmd := &cli.Command{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Dir: dir, Renderer: engine.New()}
			code := cmd.Main([]string{"dapilint", "lint", "--fix", "--unsafe-fixes", c.arg})
			if code != cli.ExitFindings {
				t.Errorf("exit %d, want %d\n%s%s", code, cli.ExitFindings, stdout.String(), stderr.String())
			}
			for rel, data := range before {
				got, err := os.ReadFile(filepath.Join(dir, rel))
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("%s changed (%v)", rel, err)
				}
			}
			out := stdout.String()
			if !strings.Contains(out, "= suggested fix: ") || strings.Contains(out, "= fix: ") || !strings.Contains(out, "; nothing to fix") {
				t.Errorf("want suggested fixes only, and nothing fixed:\n%s", out)
			}
		})
	}
}
