package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/benchcorpus"
)

// sameTree reports where two node trees differ ("" when they do not):
// kinds, styles, tags, values and positions, all the way down.
func sameTree(a, b *Node, path string) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Flow != b.Flow || a.JSON != b.JSON || a.Tag != b.Tag ||
		a.Value != b.Value || a.Line != b.Line || a.Col != b.Col || (a.Via == nil) != (b.Via == nil) || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast %+v\nfull %+v", path, *a, *b)
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkBlockYAML holds the fast path to the full parser on every document
// of data: whatever the fast path accepts, the full parser must parse into
// the same tree. It returns how many documents took the fast path.
func checkBlockYAML(t testing.TB, name string, data []byte) (fast, total int) {
	for _, raw := range splitDocuments(NewSource(name, data)) {
		if raw.err != nil || raw.root != nil {
			continue
		}
		total++
		got, ok := parseBlockYAML(raw.data, raw.startLine-1, raw.colShift)
		if !ok {
			continue
		}
		fast++
		want, _, err := parseDocumentWith(raw, false, false)
		if err != nil {
			t.Fatalf("%s line %d: the fast path reads a document the full parser refuses (%s):\n%s", name, raw.startLine, err.Message, raw.data)
		}
		if d := sameTree(got, want, ""); d != "" {
			t.Fatalf("%s line %d: the fast path's tree differs from the full parser's at %s\n--- document:\n%s", name, raw.startLine, d, raw.data)
		}
	}
	return fast, total
}

// TestBlockYAMLMatchesFullParser runs the fast path against the full
// parser on every YAML fixture of the repository and on the benchmark
// corpus, which is written the way manifests are: all of the corpus must
// take the fast path.
func TestBlockYAMLMatchesFullParser(t *testing.T) {
	var fast, total int
	for _, root := range []string{"../rules/testdata", "../testdata", "../examples", "testdata"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				f, n := checkBlockYAML(t, path, data)
				fast, total = fast+f, total+n
			}
			return nil
		})
	}
	t.Logf("fixtures: %d of %d documents took the fast path", fast, total)
	if fast < total/2 {
		t.Errorf("only %d of %d fixture documents took the fast path", fast, total)
	}
	files := 0
	benchcorpus.Generate(1, func(f benchcorpus.File) {
		if files++; files > 200 {
			return
		}
		if fast, total := checkBlockYAML(t, f.Name, f.Data); fast != total {
			t.Errorf("%s: %d of %d documents took the fast path, want all", f.Name, fast, total)
		}
	})
}

func TestBlockYAMLCases(t *testing.T) {
	for _, c := range []struct {
		doc  string
		fast bool
	}{
		{"a: 1\nb:\n  c: [x, \"y\", 'z']\n  d: {}\n  e: []\n", true},
		{"a:\n- x\n-\n- y: 1\n  z:\n  - 2\n", true},
		{"a: |\n  line one\n\n  line two\n    indented\nb: |-\n  x\n  # not a comment\nc: 1\n", true},
		{"- a # comment\n- 'it''s'\n- \"tab\\there\"\n", true},
		{"# only a comment\n", true},
		{"a: &x 1\nb: *x\n", false},
		{"a: !!str 1\n", false},
		{"a: >\n  folded\n", false},
		{"a: b\n  continued\n", false},
		{"a: {b: 1, c: [d, {e: f}]}\n", true},
		{"a: {b: c d}\n", false},
		{"a: \"multi\n  line\"\n", false},
		{"a:\tb\n", false},
		{"a: b: c\n", false},
		{"? a\n: b\n", false},
		{strings.Repeat("k", 1020) + ": v\n", false},
		{"\"" + strings.Repeat("k", 1020) + "\": v\n", false},
		{"a:\n  b:\n    c: 1\n  d: [x]\n", true},
		{"a: |\n  no final line break", true},
		{"a: \"x\\\"y\\\\z\"\n", true},
		{"a: \"x\\/y\"\n", false}, // kubectl's YAML parser refuses \/
	} {
		_, ok := parseBlockYAML([]byte(c.doc), 0, 0)
		if ok != c.fast {
			t.Errorf("%q: fast path %v, want %v", c.doc, ok, c.fast)
		}
		checkBlockYAML(t, "case.yaml", []byte(c.doc))
	}
}

// FuzzBlockYAML holds the fast path to the full parser on mutated
// documents: whatever the fast path reads must be what the full parser
// reads, positions included.
func FuzzBlockYAML(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	n := 0
	benchcorpus.Generate(1, func(file benchcorpus.File) {
		if n++; n <= 20 {
			f.Add(file.Data)
		}
	})
	f.Add([]byte("a:\n- x\n-\n- y: 1\n  z:\n  - 2\nb: |\n  l1\n\n  l2\nc: [a, 'b']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBlockYAML(t, "fuzz.yaml", data)
	})
}
