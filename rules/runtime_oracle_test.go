package rules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/oraclegolden"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
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
		golden := filepath.Join("testdata", "oracle-runtime", strings.Replace(strings.TrimSuffix(rel, ".yaml"), "/", "-", 1)+".jsonl")
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
			if head.Sha256 != oraclegolden.Hash(data) {
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

// TestRuntimeWarningsNotAloneOnRejected runs every rule over the DA1xx
// fixtures, whose API server verdicts testdata/oracle/record.sh recorded
// (many of them rejected), and checks that a DA2xx warning or info never is
// the only report on a document the API server rejects for a Downward API
// reason: there an error (DA0xx/DA1xx) must be reported too. Rejections
// for reasons outside dapilint's scope (say, a privileged container the
// oracle's cluster policy refuses) do not count.
func TestRuntimeWarningsNotAloneOnRejected(t *testing.T) {
	goldens, _ := filepath.Glob(filepath.Join("testdata", "oracle", "DA1*.jsonl"))
	if len(goldens) == 0 {
		t.Skip("no DA1xx oracle goldens")
	}
	downward := regexp.MustCompile(`fieldRef|resourceFieldRef|downwardAPI|divisor|\.env\[|volumeMounts|projected`)
	checked := 0
	for _, g := range goldens {
		raw, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		var head struct{ Fixture string }
		if err := json.Unmarshal([]byte(lines[0]), &head); err != nil || head.Fixture == "" {
			t.Fatalf("%s: bad header", g)
		}
		rejected := map[int]bool{}
		for _, l := range lines[1:] {
			var v oracleVerdict
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("%s: %v", g, err)
			}
			for _, e := range v.Errors {
				if downward.MatchString(e.Field) {
					rejected[v.Doc] = true
				}
			}
			if v.DecodeError != "" {
				rejected[v.Doc] = true
			}
		}
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(head.Fixture)))
		if err != nil {
			continue // the fixture moved: the DA1xx oracle test reports it
		}
		fs := lint.Bytes(head.Fixture, data, lint.Config{Rules: rules.All})
		hasError := map[int]bool{}
		for _, f := range fs {
			if f.Severity == rules.Error && !strings.HasPrefix(f.Rule.ID, "DA2") {
				hasError[f.Object.Doc] = true
			}
		}
		for _, f := range fs {
			// DA214 (containers without limits) is about any container, not
			// about Downward API usage: it may fire beside any rejection.
			if !strings.HasPrefix(f.Rule.ID, "DA2") || f.Rule == rules.ContainerNoLimits || !rejected[f.Object.Doc] {
				continue
			}
			checked++
			if !hasError[f.Object.Doc] {
				t.Errorf("%s:%d: %s fires on a document the API server rejects, and no error is reported there: %s",
					head.Fixture, f.Range.Start.Line, f.Rule.ID, f.Message)
			}
		}
	}
	t.Logf("%d DA2xx findings on rejected documents, each beside an error", checked)
}
