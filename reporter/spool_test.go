package reporter_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

// TestStreamedDocumentsEncodeAsWhole checks that the JSON and SARIF
// reporters, which spool findings as they come (moving them to a
// temporary file past a megabyte) and splice them in at the end, write the
// bytes that encoding the whole document at once gives: the output decoded
// and encoded again is unchanged. It runs with no finding, one, and enough
// findings over several files to spill.
func TestStreamedDocumentsEncodeAsWhole(t *testing.T) {
	big := podWithUnknownFields(1000, " <&>")
	cfg := lint.Config{Rules: []*rules.Rule{rules.UnknownField}}
	for _, n := range []int{0, 1, 3} {
		var results []lint.FileResult
		inputs := []lint.Input{{Name: "clean.yaml", Data: []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: a\n")}}
		for i := range n {
			data := big
			if n == 1 {
				data = []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: a\n    image: a\n    imagePullPolicee: Always\n")
			}
			inputs = append(inputs, lint.Input{Name: fmt.Sprintf("f%d.yaml", i), Data: data})
		}
		lint.Run(inputs, cfg, func(res lint.FileResult) { results = append(results, res) })
		for _, c := range []struct {
			format string
			doc    any
		}{{"json", &reporter.JSONDocument{}}, {"sarif", &reporter.SARIFLog{}}} {
			var out bytes.Buffer
			f, _ := reporter.Lookup(c.format)
			rep := f.New(&out, reporter.Options{Version: "v1.0.0", Rules: rules.All, SrcRoot: "/src"})
			var sum reporter.Summary
			for _, res := range results {
				sum.Add(res)
				if err := rep.File(res); err != nil {
					t.Fatal(err)
				}
			}
			if err := rep.Finish(sum); err != nil {
				t.Fatal(err)
			}
			if n == 3 && out.Len() < 1<<21 {
				t.Fatalf("%s: only %d bytes: the spool did not spill", c.format, out.Len())
			}
			if err := json.Unmarshal(out.Bytes(), c.doc); err != nil {
				t.Fatalf("%s with %d files of findings: %v", c.format, n, err)
			}
			var again bytes.Buffer
			enc := json.NewEncoder(&again)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(c.doc); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), again.Bytes()) {
				i := 0
				for i < min(out.Len(), again.Len()) && out.Bytes()[i] == again.Bytes()[i] {
					i++
				}
				t.Errorf("%s with %d files of findings: the streamed document differs from the whole one at byte %d:\n%q\nvs\n%q",
					c.format, n, i, out.Bytes()[max(i-80, 0):min(i+80, out.Len())], again.Bytes()[max(i-80, 0):min(i+80, again.Len())])
			}
		}
	}
}

// podWithUnknownFields is a Pod of n containers, each with an unknown
// field (one finding each) after a comment of non-ASCII text and more.
func podWithUnknownFields(n int, more string) []byte {
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  - name: c%d\n    image: \"nginx\" # café%s\n    imagePullPolicee: Always\n", i, more)
	}
	return []byte(sb.String())
}
