package e2e

import (
	"bytes"
	"encoding/json"
	"go/version"
	"os/exec"
	"testing"
)

// TestGoLineIsTheFloor checks that go.mod's go line is the lowest the
// dependencies allow: the highest go line among the modules of the build.
// A higher one would make go install and the pre-commit hook refuse a Go
// that can build dapilint; go mod tidy keeps it from being lower.
func TestGoLineIsTheFloor(t *testing.T) {
	cmd := exec.Command("go", "list", "-m", "-json", "all")
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list -m all: %v", err)
	}
	var main, floor, floorPath string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct {
			Path      string
			Main      bool
			GoVersion string
		}
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		switch {
		case m.Main:
			main = m.GoVersion
		case m.GoVersion != "" && version.Compare("go"+m.GoVersion, "go"+floor) > 0:
			floor, floorPath = m.GoVersion, m.Path
		}
	}
	if main == "" || floor == "" {
		t.Fatalf("go list -m all: main module go %q, dependencies' highest %q", main, floor)
	}
	if main != floor {
		t.Errorf("go.mod says go %s; the lowest the dependencies allow is %s (%s)", main, floor, floorPath)
	}
}
