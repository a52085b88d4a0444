package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dapilint/dapilint/internal/benchcorpus"
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
// ignores, sorting) over all cores, in MB/s of manifest text: on
// realistic manifests (the first 8 MB of the benchmark corpus,
// internal/benchcorpus) and on the rule fixtures, which are dense in
// findings and in unusual YAML.
func BenchmarkRunAllRules(b *testing.B) {
	var corpus []Input
	var corpusBytes int64
	benchcorpus.Generate(1, func(f benchcorpus.File) {
		if corpusBytes < 8<<20 {
			corpus = append(corpus, Input{Name: f.Name, Data: f.Data})
			corpusBytes += int64(len(f.Data))
		}
	})
	fixtures, fixtureBytes := benchInputs(b)
	for _, c := range []struct {
		name   string
		inputs []Input
		bytes  int64
	}{{"corpus", corpus, corpusBytes}, {"fixtures", fixtures, fixtureBytes}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := Config{Rules: rules.All}
			b.SetBytes(c.bytes)
			b.ReportAllocs()
			for b.Loop() {
				Run(c.inputs, cfg, func(FileResult) {})
			}
		})
	}
}

// BenchmarkLargeMapping lints a Pod whose labels repeat 10,000 and 40,000
// keys (a finding on each): the cost per key must not grow with the
// mapping.
func BenchmarkLargeMapping(b *testing.B) {
	for _, n := range []int{10_000, 40_000} {
		var buf bytes.Buffer
		buf.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n")
		for i := range n {
			fmt.Fprintf(&buf, "    k%d: v%d\n", i%(n/2), i)
		}
		buf.WriteString("spec:\n  containers:\n  - name: a\n    image: b\n")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			cfg := Config{Rules: rules.All}
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if fs := Bytes("big.yaml", buf.Bytes(), cfg); len(fs) < n/2 {
					b.Fatalf("%d findings", len(fs))
				}
			}
		})
	}
}
