package fix_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/fix"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// defaultConfig is what `dapilint lint` runs: the rules on by default.
func defaultConfig() lint.Config {
	var cfg lint.Config
	for _, r := range rules.All {
		if r.Default {
			cfg.Rules = append(cfg.Rules, r)
		}
	}
	return cfg
}

// fixBytes runs the fixer over data as `dapilint lint --fix` does.
func fixBytes(name string, data []byte, cfg lint.Config, unsafe bool) (first lint.FileResult, r fix.Result) {
	first = lint.One(lint.Input{Name: name, Data: data}, cfg)
	relint := func(d []byte) lint.FileResult { return lint.One(lint.Input{Name: name, Data: d}, cfg) }
	return first, fix.File(first, relint, fix.Options{Unsafe: unsafe})
}

// variant is a way of writing the same file: the golden test checks that
// the fix is byte-exact in each.
type variant struct {
	name  string
	apply func([]byte) []byte
}

var (
	asIs = variant{"as is", func(b []byte) []byte { return b }}
	crlf = variant{"CRLF", func(b []byte) []byte {
		return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	}}
	withBOM = variant{"BOM", func(b []byte) []byte {
		if bytes.HasPrefix(b, []byte("\ufeff")) {
			return b
		}
		return append([]byte("\ufeff"), b...)
	}}
	bomCRLF = variant{"BOM and CRLF", func(b []byte) []byte { return withBOM.apply(crlf.apply(b)) }}
)

// variantsOf lists the variants a golden is checked in. A stream of
// several JSON values is not read as JSON once a byte order mark precedes
// it (kubectl reads it as YAML, where it is one document too many), so it
// gets no BOM variant.
func variantsOf(path string, data []byte) []variant {
	if strings.HasSuffix(path, ".json") && jsonValues(data) > 1 {
		return []variant{asIs, crlf}
	}
	return []variant{asIs, crlf, withBOM, bomCRLF}
}

func jsonValues(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			if !errors.Is(err, io.EOF) {
				n++
			}
			return n
		}
		n++
	}
}

// yamlOnly are the fixable rules that have no JSON golden, and why.
var yamlOnly = map[string]string{
	"DA901": "its fix removes an ignore comment, and JSON has no comments (an unused ignore annotation has no fix)",
}

// TestGolden fixes every testdata/golden/NAME.in.EXT and compares the
// result, byte for byte, with NAME.fixed.EXT (safe fixes, --fix) and
// NAME.unsafe.EXT (--fix --unsafe-fixes; when absent, the same as
// .fixed). Each golden is also checked with CRLF line endings and with a
// byte order mark, which the fix must keep. `go test ./fix -update`
// rewrites the goldens; check the diff by eye.
func TestGolden(t *testing.T) {
	ins, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.in.*"))
	if len(ins) == 0 {
		t.Fatal("no goldens")
	}
	cfg := defaultConfig()
	seen := map[string]map[rules.Applicability]bool{} // rule ID → applicabilities of fixes met
	covered := map[string]bool{}                      // "DA101.yaml"
	for _, in := range ins {
		ext := filepath.Ext(in)
		base := strings.TrimSuffix(in, ".in"+ext)
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		id, _, _ := strings.Cut(filepath.Base(base), "-")
		covered[id+ext] = true
		t.Run(filepath.Base(in), func(t *testing.T) {
			for _, mode := range []struct {
				unsafe bool
				golden string
			}{{false, base + ".fixed" + ext}, {true, base + ".unsafe" + ext}} {
				want, err := os.ReadFile(mode.golden)
				if mode.unsafe && os.IsNotExist(err) {
					want, err = os.ReadFile(base + ".fixed" + ext)
				}
				first, r := fixBytes(filepath.Base(in), data, cfg, mode.unsafe)
				for _, f := range first.Findings {
					if f.Fix != nil {
						if seen[f.Rule.ID] == nil {
							seen[f.Rule.ID] = map[rules.Applicability]bool{}
						}
						seen[f.Rule.ID][f.Fix.Applicability] = true
					}
				}
				if *update && !mode.unsafe {
					writeGolden(t, mode.golden, r.Data)
					want, err = r.Data, nil
				}
				if *update && mode.unsafe {
					safe, _ := os.ReadFile(base + ".fixed" + ext)
					os.Remove(mode.golden)
					if !bytes.Equal(safe, r.Data) {
						writeGolden(t, mode.golden, r.Data)
					}
					want, err = r.Data, nil
				}
				if err != nil {
					t.Fatalf("%v (go test ./fix -update writes it)", err)
				}
				for _, v := range variantsOf(in, data) {
					_, got := fixBytes(filepath.Base(in), v.apply(data), cfg, mode.unsafe)
					if w := v.apply(want); !bytes.Equal(got.Data, w) {
						t.Errorf("unsafe=%v, %s: the fixed file differs from %s:\n%s", mode.unsafe, v.name, mode.golden,
							fix.Diff("want", w, got.Data))
					}
					checkResult(t, got, mode.unsafe)
				}
			}
		})
	}
	// Every fixable rule has goldens in YAML and JSON, and every kind of
	// fix it declares is exercised.
	for _, r := range rules.All {
		if r.Fixes == 0 {
			continue
		}
		for _, ext := range []string{".yaml", ".json"} {
			if !covered[r.ID+ext] && !(ext == ".json" && yamlOnly[r.ID] != "") {
				t.Errorf("%s: no golden testdata/golden/%s.in%s", r.ID, r.ID, ext)
			}
		}
		for _, a := range []rules.Applicability{rules.Safe, rules.Unsafe} {
			if r.Fixes.Has(a) && !seen[r.ID][a] {
				t.Errorf("%s declares %s fixes, but no golden has one", r.ID, a)
			}
		}
	}
	for id, as := range seen {
		r := rules.Lookup(id)
		for a := range as {
			if !r.Fixes.Has(a) {
				t.Errorf("%s made a %s fix, but declares only %s", id, a, r.Fixes)
			}
		}
	}
}

// checkResult checks what every fix run must give: a fixed point (no fix
// of the applied kind is left), and nothing rejected.
func checkResult(t *testing.T, r fix.Result, unsafe bool) {
	t.Helper()
	if !r.Converged {
		t.Errorf("did not converge")
	}
	for _, f := range r.Rejected {
		t.Errorf("fix rejected: %s %s", f.Rule.ID, f.Fix.Message)
	}
	for _, f := range r.Final.Findings {
		if f.Fix != nil && (f.Fix.Applicability == rules.Safe || (unsafe && f.Fix.Applicability == rules.Unsafe)) {
			t.Errorf("%d:%d: %s still has a %s fix after fixing: %s", f.Range.Start.Line, f.Range.Start.Col, f.Rule.ID, f.Fix.Applicability, f.Fix.Message)
		}
	}
}

func writeGolden(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
