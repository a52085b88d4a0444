package loader

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/dapilint/dapilint/internal/benchcorpus"
)

// benchManifests is about 2 MB of realistic manifests: the first files of
// the benchmark corpus (internal/benchcorpus, the corpus make bench
// measures), workloads with Downward API env vars and volumes, Services
// and ConfigMaps, in one multi-document file.
func benchManifests(b *testing.B) []byte {
	var buf bytes.Buffer
	benchcorpus.Generate(1, func(f benchcorpus.File) {
		if buf.Len() < 2<<20 {
			buf.Write(f.Data)
			buf.WriteString("---\n")
		}
	})
	return buf.Bytes()
}

// BenchmarkLoad measures the loader alone (split, parse, typed decode) in
// MB/s of manifest text on one core, with the block-YAML fast path and
// with the full parser for every document.
func BenchmarkLoad(b *testing.B) {
	data := benchManifests(b)
	for _, c := range []struct {
		name      string
		blockPath bool
	}{{"fast-path", true}, {"full-parser", false}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				load("bench.yaml", data, Options{}, c.blockPath, nil)
			}
		})
	}
}

// BenchmarkLoadDirectives measures what directives cost: the same text
// with an ignore comment above every document and on every "image:" line,
// once as directives and once with the marker misspelt (same bytes, same
// comments for the parser, no directive). BenchmarkLoad measures text
// without the marker at all, which skips directive handling entirely.
func BenchmarkLoadDirectives(b *testing.B) {
	data := benchManifests(b)
	data = bytes.ReplaceAll(data, []byte("\n---\n"), []byte("\n---\n# dapilint:ignore-file DA204 -- bench\n"))
	data = regexp.MustCompile(`(?m)^(.*image: [^#\n]*)$`).ReplaceAll(data, []byte("$1 # dapilint:ignore DA202 -- bench"))
	before := Load("bench.yaml", benchManifests(b))
	if f := Load("bench.yaml", data); len(f.Directives) < 100 || len(f.Problems) != len(before.Problems) {
		b.Fatalf("%d directives, %d problems (want %d)", len(f.Directives), len(f.Problems), len(before.Problems))
	}
	plain := bytes.ReplaceAll(data, []byte("dapilint:"), []byte("dapxlint:"))
	for _, c := range []struct {
		name string
		data []byte
	}{{"directives", data}, {"misspelt", plain}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				Load("bench.yaml", c.data)
			}
		})
	}
}
