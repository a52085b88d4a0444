// Command record runs the apiserver-oracle (tools/apiserver-oracle) over
// rule fixtures and stores each verdict as a golden file that the rules'
// tests read, since CI runs them without the oracle:
//
//	go run ./internal/oraclegolden/record -oracle BIN -dir rules/testdata \
//		-out oracle 'DA1[0-9][0-9]/*.yaml'
//
// Each golden is <out>/<ID>-<fixture>.jsonl: a header line
// {"fixture": "<ID>/<name>.yaml", "sha256": oraclegolden.Hash(fixture)}
// and then the oracle's output, run from -dir so that file names are
// relative. Goldens in <out> that no fixture produced any more are removed.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/internal/oraclegolden"
)

func main() {
	oracle := flag.String("oracle", "", "the apiserver-oracle binary")
	dir := flag.String("dir", "rules/testdata", "directory the fixture patterns are relative to")
	out := flag.String("out", "oracle", "directory for the goldens, relative to -dir")
	args := flag.String("args", "", "extra oracle flags, blank-separated")
	flag.Parse()
	if *oracle == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: record -oracle BIN [-dir DIR] [-out DIR] [-args FLAGS] PATTERN...")
		os.Exit(2)
	}
	bin, err := filepath.Abs(*oracle)
	check(err)
	var fixtures []string
	for _, p := range flag.Args() {
		m, err := filepath.Glob(filepath.Join(*dir, p))
		check(err)
		fixtures = append(fixtures, m...)
	}
	outDir := filepath.Join(*dir, *out)
	check(os.MkdirAll(outDir, 0o755))
	written := map[string]bool{}
	for _, f := range fixtures {
		rel, err := filepath.Rel(*dir, f)
		check(err)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(f)
		check(err)
		cmd := exec.Command(bin, append(strings.Fields(*args), rel)...)
		cmd.Dir = *dir
		cmd.Stderr = os.Stderr
		verdicts, err := cmd.Output()
		check(err)
		head, _ := json.Marshal(struct {
			Fixture string `json:"fixture"`
			SHA256  string `json:"sha256"`
		}{rel, oraclegolden.Hash(data)})
		name := strings.Replace(strings.TrimSuffix(rel, filepath.Ext(rel)), "/", "-", 1) + ".jsonl"
		golden := filepath.Join(outDir, name)
		check(os.WriteFile(golden, bytes.Join([][]byte{head, verdicts}, []byte("\n")), 0o644))
		written[golden] = true
	}
	old, _ := filepath.Glob(filepath.Join(outDir, "*.jsonl"))
	for _, g := range old {
		if !written[g] {
			check(os.Remove(g))
		}
	}
	version, _ := exec.Command(bin, "-version").Output()
	fmt.Printf("recorded %d goldens in %s with the oracle for Kubernetes %s", len(written), outDir, version)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(2)
	}
}
