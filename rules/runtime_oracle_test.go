package rules_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/loader"
)

// oracleVerdict is one line of apiserver-oracle output.
type oracleVerdict struct {
	File        string `json:"file"`
	Doc         int    `json:"doc"`
	Line        int    `json:"line"`
	Kind        string `json:"kind"`
	Rejected    bool   `json:"rejected"`
	Skipped     string `json:"skipped"`
	DecodeError string `json:"decodeError"`
	Errors      []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// TestRuntimeFixturesAcceptedByAPIServer documents that the DA2xx rules
// only warn about what the API server accepts: every document of every
// DA2xx fixture was accepted by a real Kubernetes 1.36 API server
// (apiserver-oracle, recorded by testdata/oracle-runtime/record.sh).
// Fixtures named *rejected*.yaml are the deliberate exception: they show a
// DA2xx rule staying quiet where the API server rejects (an error rule's
// job), and every document in them must be rejected.
func TestRuntimeFixturesAcceptedByAPIServer(t *testing.T) {
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "DA2[0-9][0-9]", "*.yaml"))
	if len(fixtures) == 0 {
		t.Fatal("no DA2xx fixtures")
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "oracle-runtime", "*.jsonl"))
	seen := map[string]bool{}
	for _, g := range goldens {
		seen[g] = true
	}
	for _, fx := range fixtures {
		rel := filepath.ToSlash(strings.TrimPrefix(fx, "testdata"+string(filepath.Separator)))
		golden := filepath.Join("testdata", "oracle-runtime", strings.ReplaceAll(strings.TrimSuffix(rel, ".yaml"), "/", "_")+".jsonl")
		delete(seen, golden)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(fx)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no oracle golden %s: run testdata/oracle-runtime/record.sh", golden)
			}
			sc := bufio.NewScanner(bytes.NewReader(raw))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			if !sc.Scan() {
				t.Fatalf("%s is empty", golden)
			}
			var head struct{ Fixture, Sha256 string }
			if err := json.Unmarshal(sc.Bytes(), &head); err != nil || head.Fixture != rel {
				t.Fatalf("%s: bad header %q", golden, sc.Text())
			}
			sum := sha256.Sum256(data)
			if head.Sha256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("%s changed since its oracle verdicts were recorded: re-run testdata/oracle-runtime/record.sh", rel)
			}
			var verdicts []oracleVerdict
			for sc.Scan() {
				var v oracleVerdict
				if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
					t.Fatalf("%s: %v", golden, err)
				}
				verdicts = append(verdicts, v)
			}
			if n := loader.Load(fx, data).Documents; n != len(verdicts) {
				t.Fatalf("%s has %d documents but %d oracle verdicts", rel, n, len(verdicts))
			}
			wantRejected := strings.Contains(filepath.Base(fx), "rejected")
			for _, v := range verdicts {
				if v.Skipped != "" || v.Rejected == wantRejected {
					continue
				}
				if wantRejected {
					t.Errorf("%s: document %d (line %d) is accepted by the API server; *rejected* fixtures must hold rejected documents only", rel, v.Doc, v.Line)
					continue
				}
				msg := v.DecodeError
				for _, e := range v.Errors {
					msg += "; " + e.Field + ": " + e.Message
				}
				t.Errorf("%s: document %d (line %d, %s) is rejected by the API server%s: a DA2xx fixture must be accepted (a warning must not fire where the API server rejects)", rel, v.Doc, v.Line, v.Kind, msg)
			}
		})
	}
	for g := range seen {
		t.Errorf("%s has no fixture: re-run testdata/oracle-runtime/record.sh", g)
	}
}
