package reporter_test

import (
	"io"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

// BenchmarkFormats renders one file with 2000 findings (an unknown field
// in each of 2000 containers, after non-ASCII text) in each format; the
// files are linted once, outside the timing.
func BenchmarkFormats(b *testing.B) {
	var results []lint.FileResult
	cfg := lint.Config{Rules: []*rules.Rule{rules.UnknownField}}
	lint.Run([]lint.Input{{Name: "big.yaml", Data: podWithUnknownFields(2000, "")}}, cfg, func(res lint.FileResult) {
		results = append(results, res)
	})
	if n := len(results[0].Findings); n != 2000 {
		b.Fatalf("%d findings", n)
	}
	for _, f := range reporter.Formats {
		b.Run(f.Name, func(b *testing.B) {
			for b.Loop() {
				rep := f.New(io.Discard, reporter.Options{Version: "v1.0.0", Rules: rules.All, SrcRoot: "/src"})
				var sum reporter.Summary
				for _, res := range results {
					sum.Add(res)
					if err := rep.File(res); err != nil {
						b.Fatal(err)
					}
				}
				if err := rep.Finish(sum); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
