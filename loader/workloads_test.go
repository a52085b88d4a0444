package loader

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseWorkloadPath(t *testing.T) {
	for _, ok := range []string{"spec.template", "spec.tasks[*].template", "spec.a[0][1].b", "spec.replicaSpecs.*.template", "*"} {
		if _, err := ParseWorkloadPath(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "spec..template", ".spec", "spec.", "spec[x]", "spec[-1]", "spec[", "spec]", "spec.temp*", "[0]"} {
		if _, err := ParseWorkloadPath(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDeclaredWorkload: a declared kind's pod templates are found at every
// path, list items and map values included, with positions and field paths
// from the object's root; what is outside them is not read.
func TestDeclaredWorkload(t *testing.T) {
	w, err := NewWorkloads([]Workload{{APIVersion: "example.com/v1", Kind: "Job",
		Templates: []string{"spec.tasks[*].template", "spec.roles.*.template"}, Specs: []string{"spec.runner"}}})
	if err != nil {
		t.Fatal(err)
	}
	src := `apiVersion: example.com/v1
kind: Job
metadata: {name: j, namespace: ns}
spec:
  anything: {goes: [here]}
  tasks:
  - template:
      spec: {containers: [{name: a, image: x}]}
  - name: no-template
  roles:
    Master:
      template: {spec: {containers: [{name: m, image: x, bogus: 1}]}}
  runner:
    containers: [{name: r, image: x}]
`
	f := LoadWith("t.yaml", []byte(src), Options{Workloads: w})
	if len(f.Objects) != 1 {
		t.Fatalf("%d objects, problems %+v", len(f.Objects), f.Problems)
	}
	o := f.Objects[0]
	if o.Name != "j" || o.Namespace != "ns" || o.Workload == nil {
		t.Errorf("object %s/%s, workload %v", o.Namespace, o.Name, o.Workload)
	}
	var specs []string
	for _, p := range o.Pods {
		specs = append(specs, p.SpecPath.String()+"="+p.Spec.Containers[0].Name)
	}
	if got := strings.Join(specs, " "); got != "spec.tasks[0].template.spec=a spec.roles.Master.template.spec=m spec.runner=r" {
		t.Errorf("pod specs %s", got)
	}
	if !o.Pods[2].MetaUnknown || o.Pods[0].MetaUnknown {
		t.Error("only a bare pod spec has unknown metadata")
	}
	if len(o.Problems) != 1 || o.Problems[0].Kind != UnknownField || o.Problems[0].Path != "spec.roles.Master.template.spec.containers[0].bogus" ||
		o.Problems[0].Node.Line != 12 || !strings.Contains(o.Problems[0].Message, "the CRD's schema") {
		t.Errorf("problems %+v", o.Problems)
	}
	// Without the declaration, the object is skipped, and why says where
	// its pod specs are.
	f = Load("t.yaml", []byte(src))
	if len(f.Objects) != 0 || len(f.SkippedDocs) != 1 || !strings.Contains(f.SkippedDocs[0].Reason, "pod spec at spec.tasks") {
		t.Errorf("undeclared: %d objects, skipped %+v", len(f.Objects), f.SkippedDocs)
	}
}

func TestCustomGroupIsNotABuiltinKind(t *testing.T) {
	f := Load("t.yaml", []byte("apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: j}\nspec: {}\n"))
	if len(f.Objects) != 0 || f.Skipped != 1 {
		t.Errorf("a Volcano Job was taken for a batch/v1 Job: %d objects", len(f.Objects))
	}
	f = Load("t.yaml", []byte("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n"))
	if len(f.Objects) != 1 || len(f.Objects[0].Problems) == 0 || f.Objects[0].Problems[0].Kind != UnservedVersion {
		t.Error("an old Kubernetes group is still DA006")
	}
	if _, err := NewWorkloads([]Workload{{APIVersion: "apps/v1", Kind: "Deployment", Templates: []string{"spec.template"}}}); err == nil {
		t.Error("a built-in kind can be declared")
	}
}

func TestEncodings(t *testing.T) {
	doc := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n"
	le := []byte{0xff, 0xfe}
	be := []byte{0xfe, 0xff}
	var raw []byte
	for _, u := range utf16.Encode([]rune(doc)) {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
		raw = append(raw, byte(u), byte(u>>8))
	}
	for name, data := range map[string][]byte{"UTF-16LE": le, "UTF-16BE": be} {
		f := Load("t.yaml", data)
		if len(f.Objects) != 1 || f.Source.Encoding != name || string(f.Source.Data) != doc {
			t.Errorf("%s: %d objects, encoding %q", name, len(f.Objects), f.Source.Encoding)
		}
	}
	f := Load("t.yaml", raw)
	if len(f.Objects) != 0 || !f.Source.Binary || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "UTF-16 text without a byte order mark") {
		t.Errorf("UTF-16 without BOM: %+v", f.Problems)
	}
	f = Load("t.yaml", []byte("apiVersion: v1\n\x00\x01\x02binary"))
	if !f.Source.Binary || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "NUL byte at line 2, column 1") {
		t.Errorf("binary: %+v", f.Problems)
	}
	f = Load("t.yaml", []byte(doc+"# a comment with \x1b[2J\n"))
	if len(f.Problems) != 1 || f.Problems[0].Line != 5 || f.Problems[0].Col != 18 {
		t.Errorf("control character: %+v", f.Problems)
	}
}
