package fix_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzFix runs the fixer, unsafe fixes included, over mutated manifests:
// it must not panic, must never add an input error (DA0xx), must leave an
// input without applicable fixes byte for byte as it was, and once it has
// converged a second run must change nothing.
func FuzzFix(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.in.*"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	cfg := defaultConfig()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 {
			return
		}
		first, r := fixBytes("fuzz.yaml", data, cfg, true)
		if !r.Changed {
			if first.Source != nil && !bytes.Equal(r.Data, data) {
				t.Fatalf("nothing applied, but the data changed")
			}
			return
		}
		before := inputErrors(first)
		for id, n := range inputErrors(r.Final) {
			if n > before[id] {
				t.Fatalf("%d %s input errors after fixing, %d before:\n%s", n, id, before[id], r.Data)
			}
		}
		if r.Converged {
			if _, again := fixBytes("fuzz.yaml", r.Data, cfg, true); again.Changed {
				t.Fatalf("a second run changed the fixed file:\n%s", again.Data)
			}
		}
	})
}
