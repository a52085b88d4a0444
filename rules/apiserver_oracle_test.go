package rules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/oraclecheck"
	"github.com/dapilint/dapilint/internal/oraclegolden"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// The oracle goldens (testdata/oracle/<ID>-<fixture>.jsonl) are the output
// of a real Kubernetes 1.36 apiserver validation run (the apiserver-oracle
// tool) over every DA1xx fixture, recorded by testdata/oracle/record.sh.
// TestOracle compares dapilint's DA1xx verdicts with them, so that the
// fixtures prove "apiserver-exact" in CI, where the oracle binary is not
// available.
//
// The goldens hold the oracle's full error list, not the -downward-only
// subset: that filter keeps only paths mentioning fieldRef,
// resourceFieldRef, downwardAPI or divisor, and so drops errors that DA1xx
// rules own (…env[i].valueFrom, …env[i].name, …projected: conflicting
// duplicate paths, …projected.defaultMode, …volumeMounts[i].name).
// oraclecheck.Classify does the filtering here instead, as in the
// conformance sweep.

func TestOracle(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "DA1[0-9][0-9]", "*.yaml"))
	if len(fixtures) == 0 {
		t.Fatal("no DA1xx fixtures")
	}
	want := map[string]bool{}
	for _, f := range fixtures {
		golden := goldenFor(f)
		want[golden] = true
		t.Run(strings.TrimSuffix(filepath.Base(golden), ".jsonl"), func(t *testing.T) {
			checkOracle(t, f, golden)
		})
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "oracle", "DA1*.jsonl"))
	for _, g := range goldens {
		if !want[g] {
			t.Errorf("%s has no fixture any more; run testdata/oracle/record.sh", g)
		}
	}
}

func goldenFor(fixture string) string {
	id := filepath.Base(filepath.Dir(fixture))
	return filepath.Join("testdata", "oracle", id+"-"+strings.TrimSuffix(filepath.Base(fixture), ".yaml")+".jsonl")
}

func apiserverConfig() lint.Config {
	var cfg lint.Config
	for _, r := range rules.All {
		if strings.HasPrefix(r.ID, "DA0") || strings.HasPrefix(r.ID, "DA1") {
			cfg.Rules = append(cfg.Rules, r)
		}
	}
	return cfg
}

func checkOracle(t *testing.T, fixture, golden string) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	docs, sum, err := readGolden(golden)
	if err != nil {
		t.Fatalf("%v (run testdata/oracle/record.sh, or make goldens)", err)
	}
	if oraclegolden.Hash(data) != sum {
		t.Fatalf("%s is stale: %s changed since it was recorded; run testdata/oracle/record.sh (or make goldens)", golden, fixture)
	}
	file := loader.Load(fixture, data)
	objects := map[oraclecheck.Key]*loader.Object{}
	for _, o := range file.Objects {
		objects[oraclecheck.Key{Doc: o.Doc, Item: o.Item}] = o
	}
	byDoc := map[oraclecheck.Key][]rules.Finding{}
	for _, f := range lint.Bytes(fixture, data, apiserverConfig()) {
		k := oraclecheck.Key{Doc: f.Object.Doc, Item: f.Object.Item}
		byDoc[k] = append(byDoc[k], f)
	}
	seen := map[oraclecheck.Key]bool{}
	for _, d := range docs {
		k := d.Key()
		seen[k] = true
		where := fmt.Sprintf("%s:%d (doc %d, %s %q)", fixture, d.Line, d.Doc, d.Kind, d.Name)
		for _, problem := range oraclecheck.Compare(d, objects[k], byDoc[k]) {
			t.Errorf("%s: %s", where, problem)
		}
	}
	for k, fs := range byDoc {
		for _, f := range fs {
			if !seen[k] && f.Severity == rules.Error && strings.HasPrefix(f.Rule.ID, "DA1") {
				t.Errorf("%s: doc %d has a DA1xx error but the oracle did not validate it: %s %s", fixture, k.Doc, f.Rule.ID, f.Message)
			}
		}
	}
}

func readGolden(path string) (docs []oraclecheck.Verdict, sum string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for i := 0; sc.Scan(); i++ {
		if i == 0 {
			var h struct{ SHA256 string }
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.SHA256 == "" {
				return nil, "", fmt.Errorf("%s: first line must be the fixture's sha256 header", path)
			}
			sum = h.SHA256
			continue
		}
		var d oraclecheck.Verdict
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, "", fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		docs = append(docs, d)
	}
	return docs, sum, sc.Err()
}
