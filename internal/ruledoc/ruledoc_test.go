package ruledoc_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/ruledoc"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

// TestRulesDocUpToDate fails when docs/rules.md is not what the rules'
// metadata generates.
func TestRulesDocUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "rules.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: docs/rules.md is missing; run go generate ./...", err)
	}
	if !bytes.Equal(got, ruledoc.Markdown(rules.All)) {
		t.Fatal("docs/rules.md is stale; run go generate ./...")
	}
}

// githubSlug is the anchor GitHub gives a heading: lower case, spaces to
// hyphens, punctuation other than hyphens and underscores dropped.
func githubSlug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('0' <= r && r <= '9'):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestAnchors checks that every rule has a section whose GitHub anchor is
// the one SARIF's helpUri points to, and that every rule is in the table.
func TestAnchors(t *testing.T) {
	md := string(ruledoc.Markdown(rules.All))
	anchors := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^#{1,6} (.+)$`).FindAllStringSubmatch(md, -1) {
		anchors[githubSlug(m[1])]++
	}
	for _, r := range rules.All {
		a := reporter.RuleAnchor(r)
		if anchors[a] != 1 {
			t.Errorf("%s: %d headings with anchor #%s, want 1", r.ID, anchors[a], a)
		}
		if !strings.HasSuffix(reporter.RuleHelpURI(r), "docs/rules.md#"+a) {
			t.Errorf("%s: helpUri %s", r.ID, reporter.RuleHelpURI(r))
		}
		if !strings.Contains(md, "| ["+r.ID+"](#"+a+") | `"+r.Name+"` |") {
			t.Errorf("%s is not in the summary table", r.ID)
		}
	}
}

// TestExampleOutput: each rule's example output is real lint output that
// reports the rule.
func TestExampleOutput(t *testing.T) {
	for _, r := range rules.All {
		cmd, out := ruledoc.Example(r)
		if !strings.Contains(out, "["+r.ID+"]") {
			t.Errorf("%s: the example's output does not report it:\n%s", r.ID, out)
		}
		if !strings.HasPrefix(cmd, "dapilint lint ") || (!strings.HasSuffix(cmd, ruledoc.ExampleFile) && !r.Rendered) {
			t.Errorf("%s: command %q", r.ID, cmd)
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("%s: colour in the example output", r.ID)
		}
	}
}

func TestExplain(t *testing.T) {
	var buf bytes.Buffer
	r := rules.All[0]
	if err := ruledoc.Explain(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{r.ID + " " + r.Name + ": " + r.Title, strings.TrimSpace(r.Doc), reporter.RuleHelpURI(r), "$ dapilint lint", "[" + r.ID + "]"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	if err := ruledoc.Table(&buf, rules.All); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != len(rules.All)+1 || !strings.HasPrefix(lines[0], "ID ") {
		t.Fatalf("table:\n%s", buf.String())
	}
	// Columns line up: NAME starts at the same column on every line.
	col := strings.Index(lines[0], "NAME")
	for i, r := range rules.All {
		if strings.Index(lines[i+1], r.Name) != col {
			t.Errorf("misaligned row: %q", lines[i+1])
		}
	}
}
