package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dapilint/dapilint/rules"
)

// FuzzLintAll runs the loader and every rule (default or not) on mutated
// manifests, as YAML and as JSON: nothing may panic, every finding must
// have a position inside the file, and linting must be deterministic. The
// seed corpus is every fixture of the repository (rule fixtures, CLI cases,
// examples) plus testdata/fuzz/FuzzLintAll. Run it with make fuzz, which
// also sets DAPILINT_FUZZ_MAXTIME (a Go duration): an input that takes
// longer than that to lint fails, so that slow paths are found as crashes
// are (plain go test runs the seeds without a time bound).
func FuzzLintAll(f *testing.F) {
	for _, root := range []string{"../rules/testdata", "../testdata", "../examples", "../loader/testdata"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" || ext == ".json" {
				if data, err := os.ReadFile(path); err == nil && len(data) < 1<<16 {
					f.Add(data)
				}
			}
			return nil
		})
	}
	cfg := Config{Rules: rules.All}
	maxTime, _ := time.ParseDuration(os.Getenv("DAPILINT_FUZZ_MAXTIME"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return // bounded work per input; real files are linted whole
		}
		for _, name := range []string{"fuzz.yaml", "fuzz.json"} {
			start := time.Now()
			first := Bytes(name, data, cfg)
			if d := time.Since(start); maxTime > 0 && d > maxTime {
				t.Fatalf("linting %d bytes as %s took %v, more than %v", len(data), name, d, maxTime)
			}
			for _, fd := range first {
				r := fd.Range
				if r.Start.Line < 1 || r.Start.Col < 1 || r.Start.Offset < 0 || r.End.Offset < r.Start.Offset || r.End.Offset > len(data) {
					t.Fatalf("%s finding with a bad range %+v: %s", fd.Rule.ID, r, fd.Message)
				}
				if strings.TrimSpace(fd.Message) == "" {
					t.Fatalf("%s finding without a message", fd.Rule.ID)
				}
				if fd.Fix != nil {
					for _, e := range fd.Fix.Edits {
						if e.Range.Start.Offset < 0 || e.Range.End.Offset > len(data) || e.Range.End.Offset < e.Range.Start.Offset {
							t.Fatalf("%s fix with a bad range %+v", fd.Rule.ID, e.Range)
						}
					}
				}
			}
			if again := Bytes(name, data, cfg); !reflect.DeepEqual(messages(first), messages(again)) {
				t.Fatalf("linting %s twice gave different findings", name)
			}
		}
	})
}

func messages(fs []rules.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule.ID + " " + f.Path + " " + f.Message
	}
	return out
}
