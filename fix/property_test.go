package fix_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/fix"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// repoManifests lists every YAML and JSON file of the repository (outside
// hidden directories): the fixtures of every package, the examples, the
// CLI cases.
func repoManifests(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
			if d.Type().IsRegular() {
				out = append(out, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// findingKey names a finding by what it is about, not where: positions
// move when a fix changes the length of a value.
type findingKey struct {
	rule      string
	doc, item int
	path      string
}

func keyOf(f rules.Finding) findingKey {
	return findingKey{f.Rule.ID, f.Object.Doc, f.Object.Item, f.Path}
}

// TestFixEveryFixture is the fixer's property test, over every manifest in
// the repository, with the safe fixes and then with the unsafe ones too:
//
//   - the fixed file loads with no new input error (DA0xx);
//   - every finding whose fix was applied is gone;
//   - no fix was rejected, and the passes converged;
//   - fixing the fixed file again changes nothing.
func TestFixEveryFixture(t *testing.T) {
	files := repoManifests(t)
	if len(files) < 100 {
		t.Fatalf("only %d manifests found", len(files))
	}
	cfg := defaultConfig()
	changed := map[bool]int{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel("..", path)
		for _, unsafe := range []bool{false, true} {
			first, r := fixBytes(rel, data, cfg, unsafe)
			if !r.Changed {
				continue
			}
			changed[unsafe]++
			if !r.Converged {
				t.Errorf("%s (unsafe=%v): the fixes did not converge", rel, unsafe)
			}
			for _, f := range r.Rejected {
				t.Errorf("%s (unsafe=%v): %s's fix %q was rejected: it made the file unreadable", rel, unsafe, f.Rule.ID, f.Fix.Message)
			}
			before := inputErrors(first)
			for id, n := range inputErrors(r.Final) {
				if n > before[id] {
					t.Errorf("%s (unsafe=%v): %d %s input errors after fixing, %d before", rel, unsafe, n, id, before[id])
				}
			}
			remaining := map[findingKey]bool{}
			for _, f := range r.Final.Findings {
				remaining[keyOf(f)] = true
			}
			for _, f := range first.Findings {
				if applied(f, unsafe) && remaining[keyOf(f)] {
					t.Errorf("%s (unsafe=%v): %s at %s is still reported after its fix %q", rel, unsafe, f.Rule.ID, f.Path, f.Fix.Message)
				}
			}
			if _, again := fixBytes(rel, r.Data, cfg, unsafe); again.Changed {
				t.Errorf("%s (unsafe=%v): a second --fix changed the file again:\n%s", rel, unsafe, fix.Diff(rel, r.Data, again.Data))
			}
		}
	}
	t.Logf("%d manifests; --fix changed %d, --fix --unsafe-fixes %d", len(files), changed[false], changed[true])
	if changed[false] < 20 {
		t.Errorf("--fix changed only %d fixtures: the test exercises too little", changed[false])
	}
}

// applied reports whether the fixer applies f's fix in this mode.
func applied(f rules.Finding, unsafe bool) bool {
	if f.Fix == nil {
		return false
	}
	return f.Fix.Applicability == rules.Safe || (unsafe && f.Fix.Applicability == rules.Unsafe)
}

func inputErrors(res lint.FileResult) map[string]int {
	m := map[string]int{}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule.ID, "DA0") {
			m[f.Rule.ID]++
		}
	}
	return m
}
