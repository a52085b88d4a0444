package rules_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// applyFix applies a fix's edits (non-overlapping) to data.
func applyFix(data []byte, fix *rules.Fix) []byte {
	edits := slices.Clone(fix.Edits)
	slices.SortFunc(edits, func(a, b rules.Edit) int { return b.Range.Start.Offset - a.Range.Start.Offset })
	out := slices.Clone(data)
	for _, e := range edits {
		out = slices.Concat(out[:e.Range.Start.Offset], []byte(e.New), out[e.Range.End.Offset:])
	}
	return out
}

func countInput(fs []rules.Finding) int {
	n := 0
	for _, f := range fs {
		if strings.HasPrefix(f.Rule.ID, "DA0") {
			n++
		}
	}
	return n
}

// checkFixes applies every suggested fix of a DA1xx finding, one at a time,
// and checks that the result still reads cleanly (no new input errors: the
// replacement is valid YAML or JSON of the right type) and that the finding
// is gone.
func checkFixes(t *testing.T, name string, data []byte) (fixes int) {
	t.Helper()
	cfg := apiserverConfig()
	before := lint.Bytes(name, data, cfg)
	for _, f := range before {
		if f.Fix == nil || !strings.HasPrefix(f.Rule.ID, "DA1") {
			continue
		}
		fixes++
		fixed := applyFix(data, f.Fix)
		after := lint.Bytes(name, fixed, cfg)
		if countInput(after) > countInput(before) {
			t.Errorf("%s:%d: the fix %q of %s breaks the file: %v", name, f.Range.Start.Line, f.Fix.Message, f.Rule.ID, after)
			continue
		}
		for _, a := range after {
			if a.Rule == f.Rule && a.Path == f.Path && a.Object.Doc == f.Object.Doc {
				t.Errorf("%s:%d: after the fix %q, %s still reports: %s", name, f.Range.Start.Line, f.Fix.Message, f.Rule.ID, a.Message)
			}
		}
	}
	return fixes
}

func TestApiserverFixes(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "DA1[0-9][0-9]", "*.yaml"))
	total := 0
	for _, f := range fixtures {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += checkFixes(t, f, data)
	}
	if total < 40 {
		t.Errorf("only %d fixes exercised; the fixtures should exercise the fixes", total)
	}
}

// JSON has no octal numbers and no plain strings: the suggestions and fixes
// must be JSON too.
func TestApiserverFixesJSON(t *testing.T) {
	doc := `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
 "spec": {"containers": [{"name": "web", "image": "nginx",
   "env": [{"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels.app"}}},
           {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v2", "fieldPath": "metadata.name"}}},
           {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memroy"}}},
           {"name": "KIB", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": 1024}}}],
   "volumeMounts": [{"name": "podinf", "mountPath": "/etc/podinfo"}]}],
  "volumes": [{"name": "podinfo", "downwardAPI": {"defaultMode": 644,
    "items": [{"path": "/name", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}}
`
	fs := lint.Bytes("pod.json", []byte(doc), apiserverConfig())
	want := map[string]string{
		"DA101": `did you mean "metadata.labels['app']"`,
		"DA103": `it must be "v1"`,
		"DA104": `did you mean "limits.memory"`,
		"DA106": `did you mean 1Ki`,
		"DA108": `did you mean "name"`,
		"DA109": `JSON numbers are decimal, so write 420 for 0644 octal`,
		"DA112": `did you mean "podinfo"`,
	}
	for _, f := range fs {
		if w, ok := want[f.Rule.ID]; ok && strings.Contains(f.Message, w) {
			delete(want, f.Rule.ID)
		}
	}
	for id, w := range want {
		t.Errorf("%s: no finding saying %q in %v", id, w, fs)
	}
	if n := checkFixes(t, "pod.json", []byte(doc)); n != 7 {
		t.Errorf("%d fixes exercised, want 7", n)
	}
}
