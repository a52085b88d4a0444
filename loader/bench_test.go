package loader

import (
	"bytes"
	"os"
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
