package rules_test

import (
	"testing"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// TestFingerprint checks what the fingerprint depends on: not the
// position, the document index or the message (which unrelated edits and
// rewording change), but the rule, file, object and field path.
func TestFingerprint(t *testing.T) {
	base := rules.Finding{
		Rule: rules.LimitNotSet, Message: "container \"web\" sets no memory limit", File: "a.yaml",
		Object: rules.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web", Doc: 0, Item: -1},
		Path:   "spec.template.spec.containers[0].env[1].valueFrom.resourceFieldRef.resource",
		Range:  loader.Range{Start: loader.Pos{Line: 10, Col: 5, Offset: 100}},
	}
	fp := rules.Fingerprint(base, "a.yaml")
	same := base
	same.Message = "reworded"
	same.Range = loader.Range{Start: loader.Pos{Line: 40, Col: 5, Offset: 900}}
	same.Object.Doc, same.Object.Item = 3, 2
	same.Object.APIVersion = "apps/v1beta2"
	same.File = "elsewhere.yaml" // the caller's file argument counts, not this
	if got := rules.Fingerprint(same, "a.yaml"); got != fp {
		t.Errorf("fingerprint changed with position, document, message or apiVersion")
	}
	for name, f := range map[string]func(*rules.Finding){
		"rule":      func(f *rules.Finding) { f.Rule = rules.RequestNotSet },
		"kind":      func(f *rules.Finding) { f.Object.Kind = "StatefulSet" },
		"namespace": func(f *rules.Finding) { f.Object.Namespace = "" },
		"name":      func(f *rules.Finding) { f.Object.Name = "api" },
		"path": func(f *rules.Finding) {
			f.Path = "spec.template.spec.containers[1].env[1].valueFrom.resourceFieldRef.resource"
		},
	} {
		other := base
		f(&other)
		if rules.Fingerprint(other, "a.yaml") == fp {
			t.Errorf("fingerprint does not depend on the %s", name)
		}
	}
	if rules.Fingerprint(base, "b.yaml") == fp {
		t.Error("fingerprint does not depend on the file")
	}
	// With a stable path, list indexes do not count.
	a0, a1 := base, base
	a0.StablePath = "spec.template.spec.containers[name=web].env[name=MEM].valueFrom.resourceFieldRef.resource"
	a1.StablePath = a0.StablePath
	a1.Path = "spec.template.spec.containers[0].env[4].valueFrom.resourceFieldRef.resource"
	if rules.Fingerprint(a0, "a.yaml") != rules.Fingerprint(a1, "a.yaml") || rules.Fingerprint(a0, "a.yaml") == fp {
		t.Error("fingerprint does not use the stable path instead of the path")
	}
	// Parts are separated, not just concatenated.
	a, b := base, base
	a.Object.Namespace, a.Object.Name = "ab", "c"
	b.Object.Namespace, b.Object.Name = "a", "bc"
	if rules.Fingerprint(a, "f") == rules.Fingerprint(b, "f") {
		t.Error("namespace ab/name c and namespace a/name bc share a fingerprint")
	}
}
