package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
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

// readmeSection returns the text of the README section whose heading line
// is heading, up to the next heading of the same or a higher level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q", heading)
	}
	level := strings.Index(heading, " ")
	lines := strings.SplitAfter(rest, "\n")
	inCode := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if !inCode && strings.HasPrefix(line, "#") {
			if l := strings.Index(line, " "); l > 0 && l <= level && strings.Trim(line[:l], "#") == "" {
				return strings.Join(lines[:i], "")
			}
		}
	}
	return rest
}

// codeBlocks returns the fenced blocks of a language in text.
func codeBlocks(text, lang string) []string {
	var blocks []string
	for _, part := range strings.Split(text, "```"+lang+"\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		blocks = append(blocks, block)
	}
	return blocks
}

// TestReadmeInstall checks the install section: its ways in the order a
// new user weighs them, release tags in the examples, the Go version that
// go.mod asks for, and the image as the Dockerfile builds it.
func TestReadmeInstall(t *testing.T) {
	install := readmeSection(t, "## Install")
	var headings []string
	for _, m := range regexp.MustCompile(`(?m)^### (.*)$`).FindAllStringSubmatch(install, -1) {
		headings = append(headings, m[1])
	}
	if want := []string{"Binary download", "Container image", "With Go", "GitHub Action", "pre-commit"}; !slices.Equal(headings, want) {
		t.Errorf("install section: %q, want %q", headings, want)
	}

	// Examples pin a release tag, never a branch.
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)(?:rev:|dapilint/dapilint@|cmd/dapilint@|cmd/\.\.\.@|ghcr\.io/dapilint/dapilint:)\s*(\S+)`).FindAllStringSubmatch(string(readme), -1) {
		if m[1] != "latest" && !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(m[1]) {
			t.Errorf("README: %q: use a release tag", m[0])
		}
	}
	if !strings.Contains(codeBlocks(readmeSection(t, "### pre-commit"), "yaml")[0], "rev: v") {
		t.Error("the pre-commit example's rev is not a tag")
	}

	// "Go 1.N or later" is the go line of go.mod.
	gomod, err := os.ReadFile(filepath.Join(repoRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)(?:\.\d+)?$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	mentions := regexp.MustCompile(`Go (\d+\.\d+) or later`).FindAllStringSubmatch(install, -1)
	if len(mentions) == 0 {
		t.Error("the install section does not say which Go go install needs")
	}
	for _, mention := range mentions {
		if mention[1] != string(m[1]) {
			t.Errorf("README says %q; go.mod says go %s", mention[0], m[1])
		}
	}

	// The image: name, working directory, user and default command.
	image := strings.Join(strings.Fields(readmeSection(t, "### Container image")), " ")
	dockerfile, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	goreleaser, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ readme, source, in string }{
		{`-v "$PWD:/work" ghcr.io/dapilint/dapilint:v`, "WORKDIR /work", string(dockerfile)},
		{"UID 65532", "USER 65532:65532", string(dockerfile)},
		{"runs `dapilint lint .`", `CMD ["lint", "."]`, string(dockerfile)},
		{"`ghcr.io/dapilint/dapilint`", "- ghcr.io/dapilint/dapilint\n", string(goreleaser)},
	} {
		if !strings.Contains(image, c.readme) || !strings.Contains(c.in, c.source) {
			t.Errorf("README %q and %q in the build files do not go together", c.readme, c.source)
		}
	}
}

// TestReadmeAction checks the Action's example against action.yml: only
// inputs it has, every input mentioned, version the same release as the
// action's ref, and no annotations next to the SARIF upload (findings
// would show twice).
func TestReadmeAction(t *testing.T) {
	section := readmeSection(t, "### GitHub Action")
	blocks := codeBlocks(section, "yaml")
	if len(blocks) != 1 {
		t.Fatalf("%d yaml blocks in the GitHub Action section, want 1", len(blocks))
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `json:"uses"`
				With map[string]string `json:"with"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(blocks[0]), &wf); err != nil {
		t.Fatal(err)
	}
	a, _ := actionSteps(t)
	found := false
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			ref, ok := strings.CutPrefix(s.Uses, "dapilint/dapilint@")
			if !ok {
				continue
			}
			found = true
			for k := range s.With {
				if _, ok := a.Inputs[k]; !ok {
					t.Errorf("the example passes %s, which action.yml does not have", k)
				}
			}
			if s.With["version"] != ref {
				t.Errorf("the example installs version %q with the action at %q", s.With["version"], ref)
			}
			if s.With["format"] == "github" && s.With["upload-sarif"] != "false" {
				t.Error("the example writes annotations and uploads SARIF: findings would show twice")
			}
		}
	}
	if !found {
		t.Fatal("no uses: dapilint/dapilint@... step in the example")
	}
	for name := range a.Inputs {
		if !regexp.MustCompile(`(?m)^\s+(?:# )?` + regexp.QuoteMeta(name) + `:`).MatchString(blocks[0]) {
			t.Errorf("input %s is not in the README's example", name)
		}
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
