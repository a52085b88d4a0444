package fix_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/rules"
)

// TestFixesDocTable checks docs/fixes.md's table against the rules: every
// fixable rule is there, with exactly the kinds of fix it declares.
func TestFixesDocTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "fixes.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (DA\d{3}) ([a-z0-9-]+) \|.*\| (safe|unsafe) \|[^|]*\|$`)
	documented := map[string]rules.FixKinds{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		r := rules.Lookup(m[1])
		if r == nil || r.Name != m[2] {
			t.Errorf("docs/fixes.md: %s %s is not a rule", m[1], m[2])
			continue
		}
		if m[3] == "safe" {
			documented[m[1]] |= rules.SafeFixes
		} else {
			documented[m[1]] |= rules.UnsafeFixes
		}
	}
	for _, r := range rules.All {
		if documented[r.ID] != r.Fixes {
			t.Errorf("docs/fixes.md documents %s fixes for %s, the rule declares %s",
				strings.ReplaceAll(documented[r.ID].String(), "none", "no"), r.ID, r.Fixes)
		}
	}
}
