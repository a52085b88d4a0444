package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestNoReferenceOutsideRepository checks that no file of the repository
// names a path outside it or cites a document that does not ship with it
// (a reference specification's sections): a user who clones the repository
// has neither, so docs cite upstream Kubernetes sources instead. The
// patterns are built from pieces so that this file does not match them.
func TestNoReferenceOutsideRepository(t *testing.T) {
	outside := regexp.MustCompile(`\.\./` + `shared\b|/` + `work/|\bspec ` + `(?:§|R[0-9])`)
	root := repoRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "dist", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil // not text
		}
		files++
		if loc := outside.FindIndex(data); loc != nil {
			rel, _ := filepath.Rel(root, path)
			line := 1 + bytes.Count(data[:loc[0]], []byte("\n"))
			t.Errorf("%s:%d: %q refers to something outside the repository", rel, line, data[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d files; is %s the repository?", files, root)
	}
}
