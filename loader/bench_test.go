package loader

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// benchManifests is a realistic multi-document file: every fixture of the
// repository's rules, repeated to about 1 MB.
func benchManifests(b *testing.B) []byte {
	var buf bytes.Buffer
	seeds := []string{"testdata/scalars.yaml", "testdata/anchors.yaml", "testdata/bench-deployment.yaml"}
	for buf.Len() < 1<<20 {
		for _, s := range seeds {
			data, err := os.ReadFile(s)
			if err != nil {
				b.Fatal(err)
			}
			buf.Write(data)
			buf.WriteString("\n---\n")
		}
	}
	return buf.Bytes()
}

// BenchmarkLoad measures the loader alone (split, parse, typed decode) in
// MB/s of manifest text on one core.
func BenchmarkLoad(b *testing.B) {
	data := benchManifests(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Load("bench.yaml", data)
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
