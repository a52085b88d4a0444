package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// TestStreamingMatchesWholeFile lints every fixture of the repository (as
// is, and all of them joined into one stream, where a file-wide ignore
// covers the documents after its own) both ways: loaded whole, and one
// document at a time as the CLI reads plain files. Findings, ignores and
// counts must be the same.
func TestStreamingMatchesWholeFile(t *testing.T) {
	var files []string
	for _, root := range []string{"../rules/testdata", "../testdata", "../examples", "../loader/testdata"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".json")) {
				files = append(files, path)
			}
			return nil
		})
	}
	cfg := Config{Rules: rules.All}
	enabled := enabledSet(cfg)
	var joined bytes.Buffer
	joined.WriteString("# dapilint:ignore-file DA214 -- every document\n")
	check := func(name string, data []byte) int {
		whole := loader.Load(name, data)
		wantFindings, wantIgnored := lintFile(whole, cfg, enabled)
		f, got, ignored, objects := streamFile(name, data, loader.Options{}, cfg, enabled)
		if !reflect.DeepEqual(got, wantFindings) || !reflect.DeepEqual(ignored, wantIgnored) {
			t.Errorf("%s: streaming gives %d findings (%d ignored), loading whole %d (%d ignored):\n%v\nvs\n%v",
				name, len(got), len(ignored), len(wantFindings), len(wantIgnored), messages(got), messages(wantFindings))
		}
		if f.Documents != whole.Documents || f.Skipped != whole.Skipped || objects != len(whole.Objects) {
			t.Errorf("%s: streaming counts %d documents, %d skipped, %d objects; whole %d, %d, %d",
				name, f.Documents, f.Skipped, objects, whole.Documents, whole.Skipped, len(whole.Objects))
		}
		return len(ignored)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(path, data)
		if strings.HasSuffix(path, ".json") || bytes.Contains(data, []byte("{{")) ||
			bytes.IndexByte(data, 0) >= 0 || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			continue // JSON, templates, binary and UTF-16 files, byte order marks: not one YAML stream
		}
		joined.WriteString("---\n")
		joined.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			joined.WriteString("\n")
		}
	}
	if n := check("joined.yaml", joined.Bytes()); n < 10 {
		t.Errorf("the file-wide ignore hid %d findings in the joined stream; expected DA214 in many of its documents", n)
	}
}
