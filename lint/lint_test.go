package lint

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/dapilint/dapilint/rules"
)

// TestRunOrderAndDeterminism lints many small files with several workers
// and checks that results come back in input order, identical from run to
// run, whatever order the workers finish in.
func TestRunOrderAndDeterminism(t *testing.T) {
	var inputs []Input
	for i := range 200 {
		body := fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata: {name: p%d}\nspec:\n  containers: [{name: c, image: x}]\n", i)
		if i%7 == 0 {
			body += "  volumes: [{name: v, downwardAPI: {defaultMode: \"0644\"}}]\n" // a DA004 finding
		}
		if i%13 == 0 {
			body = "a: [\n" // a syntax error
		}
		inputs = append(inputs, Input{Name: fmt.Sprintf("f%03d.yaml", i), Data: []byte(body)})
	}
	inputs = append(inputs, Input{Name: "missing.yaml", Path: "testdata/does-not-exist.yaml"})
	cfg := Config{Rules: rules.Defaults(), Workers: 4} // as the CLI runs by default (DA214, off by default, would fire on every pod)

	run := func() []string {
		var out []string
		Run(inputs, cfg, func(r FileResult) {
			line := r.Name
			if r.Err != nil {
				line += " read-error"
			}
			for _, f := range r.Findings {
				line += fmt.Sprintf(" %s@%d:%d", f.Rule.ID, f.Range.Start.Line, f.Range.Start.Col)
			}
			out = append(out, line)
		})
		return out
	}
	first := run()
	if len(first) != len(inputs) {
		t.Fatalf("got %d results for %d inputs", len(first), len(inputs))
	}
	for i, line := range first {
		if want := inputs[i].Name; line[:len(want)] != want {
			t.Fatalf("result %d is for %q, want %q", i, line, want)
		}
	}
	if first[0] != "f000.yaml DA001@1:4" || first[7] != "f007.yaml DA004@6:50" || first[200] != "missing.yaml read-error" {
		t.Errorf("unexpected results: %q, %q, %q", first[0], first[7], first[200])
	}
	for range 3 {
		if again := run(); !reflect.DeepEqual(first, again) {
			t.Fatal("results differ between runs")
		}
	}
}
