package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dapilint/dapilint/rules"
)

// benchInputs builds a manifests repository in memory: the rule fixtures
// and loader fixtures, repeated into about 8 MB spread over many files.
func benchInputs(b *testing.B) ([]Input, int64) {
	var seeds [][]byte
	for _, pattern := range []string{"../rules/testdata/*/*.yaml", "../loader/testdata/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			seeds = append(seeds, data)
		}
	}
	if len(seeds) == 0 {
		b.Fatal("no fixtures")
	}
	var inputs []Input
	var total int64
	for i := 0; total < 8<<20; i++ {
		var buf bytes.Buffer
		for j := 0; j < 8; j++ {
			buf.Write(seeds[(i*8+j)%len(seeds)])
			buf.WriteString("\n---\n")
		}
		inputs = append(inputs, Input{Name: "f.yaml", Data: buf.Bytes()})
		total += int64(buf.Len())
	}
	return inputs, total
}

// BenchmarkRunAllRules measures the whole pipeline (load, every rule,
// sorting) over all cores, in MB/s of manifest text.
func BenchmarkRunAllRules(b *testing.B) {
	inputs, total := benchInputs(b)
	cfg := Config{Rules: rules.All}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		Run(inputs, cfg, func(FileResult) {})
	}
}
