package loader

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func loadOne(t *testing.T, src string) *Object {
	t.Helper()
	f := Load("t.yaml", []byte(src))
	if len(f.Objects) != 1 {
		t.Fatalf("got %d objects, want 1 (problems: %+v)", len(f.Objects), f.Problems)
	}
	return f.Objects[0]
}

const podHead = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n"

// TestScalarsAsKubectlReadsThem pins YAML 1.1 resolution on the fields
// where it matters for the Downward API: file modes and divisors.
func TestScalarsAsKubectlReadsThem(t *testing.T) {
	modes := []struct {
		yaml string
		want int32
		bad  bool
	}{
		{"0644", 420, false}, {"0o644", 420, false}, {"0x1a4", 420, false}, {"420", 420, false},
		{"644", 644, false}, {"400", 400, false}, {"1_0", 10, false}, {"0800", 800, false},
		{`"0644"`, 0, true}, {"yes", 0, true}, {"4.5", 0, true},
	}
	for _, m := range modes {
		o := loadOne(t, podHead+"  volumes:\n  - name: v\n    downwardAPI:\n      defaultMode: "+m.yaml+"\n")
		pod := o.Typed.(*corev1.Pod)
		dm := pod.Spec.Volumes[0].DownwardAPI.DefaultMode
		switch {
		case m.bad:
			if len(o.Problems) != 1 || o.Problems[0].Kind != WrongType {
				t.Errorf("defaultMode: %s: want one wrong-type problem, got %+v", m.yaml, o.Problems)
			}
		case len(o.Problems) > 0:
			t.Errorf("defaultMode: %s: unexpected problems %+v", m.yaml, o.Problems)
		case dm == nil || *dm != m.want:
			t.Errorf("defaultMode: %s: got %v, want %d", m.yaml, dm, m.want)
		}
	}

	divisors := []struct{ yaml, want string }{
		{"1e3", "1k"}, {`"1e3"`, "1e3"}, {"1e-3", "1m"}, {`"1e-3"`, "1e-3"}, {"+1", "1"}, {`"+1"`, "+1"},
		{"01", "1"}, {`"01"`, "01"}, {"1.", "1"}, {`"1."`, "1."}, {"1024", "1024"}, {`"1024Ki"`, "1Mi"},
		{"0.5", "500m"}, {"1e21", "1e+21"}, {"m", "0"}, {`"Ki"`, "0"},
	}
	for _, d := range divisors {
		o := loadOne(t, podHead+"    env:\n    - name: X\n      valueFrom:\n        resourceFieldRef: {resource: limits.memory, divisor: "+d.yaml+"}\n")
		if len(o.Problems) > 0 {
			t.Errorf("divisor: %s: unexpected problems %+v", d.yaml, o.Problems)
			continue
		}
		got := o.Typed.(*corev1.Pod).Spec.Containers[0].Env[0].ValueFrom.ResourceFieldRef.Divisor.String()
		if got != d.want {
			t.Errorf("divisor: %s: String() = %q, want %q", d.yaml, got, d.want)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "# leading comment\r\n---\r\n" + strings.ReplaceAll(podHead, "\n", "\r\n") +
		"    env:\r\n    - name: \"ÄÖÜ\"\r\n      valueFrom:\r\n        fieldRef: {fieldPath: 'metadata.labels[''x'']'}\r\n"
	o := loadOne(t, src)
	cases := []struct {
		path                 *field.Path
		line, col, endCol    int
		wantText, wantRanged string
	}{
		{field.NewPath("spec", "containers").Index(0).Child("env").Index(0).Child("name"), 11, 13, 18, "ÄÖÜ", `"ÄÖÜ"`},
		{field.NewPath("spec", "containers").Index(0).Child("env").Index(0).Child("valueFrom", "fieldRef", "fieldPath"), 13, 31, 55, "", `'metadata.labels[''x'']'`},
		{field.NewPath("metadata", "name"), 5, 18, 19, "p", "p"},
	}
	src2 := o.File.Source
	for _, c := range cases {
		loc := o.Locate(c.path)
		if !loc.Exact {
			t.Errorf("%s: not found", c.path)
			continue
		}
		r := src2.NodeRange(loc.Value)
		if r.Start.Line != c.line || r.Start.Col != c.col || r.End.Col != c.endCol {
			t.Errorf("%s: range %d:%d-%d, want %d:%d-%d", c.path, r.Start.Line, r.Start.Col, r.End.Col, c.line, c.col, c.endCol)
		}
		if got := string(src2.Data[r.Start.Offset:r.End.Offset]); got != c.wantRanged {
			t.Errorf("%s: ranged text %q, want %q", c.path, got, c.wantRanged)
		}
	}
	// A missing field resolves to its nearest existing ancestor.
	loc := o.Locate(field.NewPath("spec", "containers").Index(0).Child("resources", "limits"))
	if loc.Exact || loc.Value.Kind != MappingNode || loc.Value.Line != 8 {
		t.Errorf("missing path: got %+v, want the container's mapping at line 8", loc)
	}
	loc = o.Locate(field.NewPath("spec", "containers").Index(0).Child("env").Index(0).Child("valueFrom", "resourceFieldRef"))
	if loc.Exact || loc.Key == nil || loc.Key.Value != "valueFrom" {
		t.Errorf("missing path: got %+v, want the valueFrom key", loc)
	}
}

func TestJSONStream(t *testing.T) {
	src := `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"},
   "spec": {"containers": [{"name": "c", "image": "x", "resources": {"limits": {"memory": 1e3}}}]}}`
	f := Load("t.json", []byte(src))
	if len(f.Objects) != 2 {
		t.Fatalf("got %d objects", len(f.Objects))
	}
	b := f.Objects[1]
	loc := b.Locate(field.NewPath("metadata", "name"))
	r := f.Source.NodeRange(loc.Value)
	if r.Start.Line != 2 || r.Start.Col != 60 {
		t.Errorf("second object's name at %d:%d, want 2:60", r.Start.Line, r.Start.Col)
	}
	// kubectl decodes JSON into an unstructured object and encodes it
	// again, so the JSON number 1e3 reaches Quantity as 1000.
	q := b.Typed.(*corev1.Pod).Spec.Containers[0].Resources.Limits.Memory()
	if q.String() != "1k" {
		t.Errorf("JSON quantity 1e3 became %q, want 1k", q.String())
	}
}

func TestSplitLikeKubectl(t *testing.T) {
	src := "a: 1\n---\nb: 2\n--- # comment\nc: 3\n---\n---\n# only a comment\n---x\nd: 4\n"
	var got []int
	for _, d := range splitDocuments(NewSource("t.yaml", []byte(src))) {
		if d.err != nil {
			got = append(got, -d.err.Line)
			continue
		}
		got = append(got, d.startLine)
	}
	// "---x" is a separator line with content: an error at line 9, and the
	// text around it still splits.
	want := []int{1, 3, 5, 8, -9, 10}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestListsAndSkips(t *testing.T) {
	src := `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: x}]}}
- {apiVersion: v1, kind: Service, metadata: {name: s}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {selector: {}, template: {spec: {containers: [{name: c, image: x}]}}}}
---
apiVersion: v1
kind: PodList
items: []
---
just: some
values: [1, 2]
---
- a list document
`
	f := Load("t.yaml", []byte(src))
	if len(f.Objects) != 2 || f.Objects[0].Item != 0 || f.Objects[1].Item != 2 || f.Objects[1].Kind != "Deployment" {
		t.Fatalf("objects: %+v", f.Objects)
	}
	if f.Skipped != 3 {
		t.Errorf("skipped %d documents, want 3 (the Service, the values file, the list document)", f.Skipped)
	}
	if p := f.Objects[1].Pods[0].SpecPath.String(); p != "spec.template.spec" {
		t.Errorf("deployment spec path %q", p)
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(podHead + "    env:\n    - &a0 {name: X, value: \"1\"}\n")
	b.WriteString("  volumes: &v0 [{name: v}]\n")
	b.WriteString("  overhead: &l0 {cpu: 1}\n")
	b.WriteString("  tolerations: &t0 [{key: a}]\n")
	// Each level doubles the previous: 2^30 nodes if expanded naively.
	b.WriteString("  nodeSelector: {a: b}\nx0: &x0 [a, a]\n")
	for i := 1; i <= 30; i++ {
		b.WriteString(fmt.Sprintf("x%d: &x%d [*x%d, *x%d]\n", i, i, i-1, i-1))
	}
	// Either the parser refuses the aliasing or the decoder's budget stops
	// it; what matters is that loading ends, with a problem reported.
	f := Load("bomb.yaml", []byte(b.String()))
	problems := len(f.Problems)
	for _, o := range f.Objects {
		problems += len(o.Problems)
	}
	if problems == 0 {
		t.Fatalf("no problem reported for an alias bomb")
	}
}
