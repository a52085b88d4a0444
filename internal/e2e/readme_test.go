package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeQuickStart checks that the output README.md shows for the
// quick start is what `dapilint lint examples/` prints (pinned by the
// examples case): the text block is its beginning, and the summary line
// quoted after it is its last line.
func TestReadmeQuickStart(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join(casesDir, "examples", "stdout.golden"))
	if err != nil {
		t.Fatal(err)
	}
	_, quick, ok := strings.Cut(string(readme), "## Quick start\n")
	if !ok {
		t.Fatal("README.md has no Quick start section")
	}
	quick, _, _ = strings.Cut(quick, "\n## ")
	if !strings.Contains(quick, "```sh\ngo run ./cmd/dapilint lint examples/\nmake test\n```\n") {
		t.Error("the quick start is not exactly the two commands go run ./cmd/dapilint lint examples/ and make test")
	}
	_, block, ok := strings.Cut(quick, "```text\n")
	if !ok {
		t.Fatal("no ```text block in the quick start")
	}
	block, _, _ = strings.Cut(block, "```\n")
	if !strings.HasPrefix(string(golden), block) {
		t.Errorf("README quick start output is not the beginning of testdata/cli/examples/stdout.golden; want:\n%s",
			strings.Join(strings.SplitAfter(string(golden), "\n")[:strings.Count(block, "\n")], ""))
	}
	lines := strings.Split(strings.TrimSuffix(string(golden), "\n"), "\n")
	summary := lines[len(lines)-1]
	if !strings.Contains(quick, "`"+summary+"`") {
		t.Errorf("README quick start does not quote the summary line %q", summary)
	}
}

// TestDocsDoNotReportTwice: no example in the README or the docs both
// writes GitHub annotations and uploads SARIF, which would show every
// finding twice on a pull request.
func TestDocsDoNotReportTwice(t *testing.T) {
	block := regexp.MustCompile("(?s)```(?:yaml|sh)\n(.*?)```")
	for _, doc := range []string{"README.md", "docs/output-formats.md", "docs/charts-and-kustomizations.md"} {
		data, err := os.ReadFile(filepath.Join(repoRoot(t), doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range block.FindAllStringSubmatch(string(data), -1) {
			code := m[1]
			annotations := regexp.MustCompile(`(?m)^[^#\n]*(format: github|--format github|-f github)`).MatchString(code)
			upload := regexp.MustCompile(`(?m)^[^#\n]*(upload-sarif|sarif=)`).MatchString(code) &&
				!strings.Contains(code, `upload-sarif: "false"`)
			if annotations && upload {
				t.Errorf("%s: an example writes annotations and uploads SARIF:\n%s", doc, code)
			}
		}
	}
}
