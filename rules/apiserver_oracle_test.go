package rules_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
// classifyOracleError does the filtering here instead.

type oracleError struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
	Origin  string `json:"origin"`
}

type oracleDoc struct {
	Doc         int           `json:"doc"`
	Line        int           `json:"line"`
	Item        *int          `json:"item"`
	Kind        string        `json:"kind"`
	Name        string        `json:"name"`
	Rejected    bool          `json:"rejected"`
	Errors      []oracleError `json:"errors"`
	DecodeError string        `json:"decodeError"`
}

type docKey struct{ doc, item int }

// neverStartExceptions lists DA1xx rules allowed to report an error in a
// document the API server accepts, with the reason (the pod could never
// start). None of the DA1xx rules needs one today: each mirrors an
// API server check.
var neverStartExceptions = map[string]string{}

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
		t.Fatalf("%v (run testdata/oracle/record.sh with the oracle binary)", err)
	}
	if oraclegolden.Hash(data) != sum {
		t.Fatalf("%s is stale: %s changed since it was recorded; run testdata/oracle/record.sh", golden, fixture)
	}
	file := loader.Load(fixture, data)
	objects := map[docKey]*loader.Object{}
	for _, o := range file.Objects {
		objects[docKey{o.Doc, o.Item}] = o
	}
	byDoc := map[docKey][]rules.Finding{}
	for _, f := range lint.Bytes(fixture, data, apiserverConfig()) {
		if strings.HasPrefix(f.Rule.ID, "DA1") && f.Severity == rules.Error {
			k := docKey{f.Object.Doc, f.Object.Item}
			byDoc[k] = append(byDoc[k], f)
		}
	}
	seen := map[docKey]bool{}
	for _, d := range docs {
		k := docKey{d.Doc, -1}
		if d.Item != nil {
			k.item = *d.Item
		}
		seen[k] = true
		where := fmt.Sprintf("%s:%d (doc %d, %s %q)", fixture, d.Line, d.Doc, d.Kind, d.Name)
		if d.DecodeError != "" {
			continue // never validated: the input rules' business
		}
		obj := objects[k]
		if obj == nil {
			t.Errorf("%s: the oracle validated it but dapilint loaded no object there", where)
			continue
		}
		findings := byDoc[k]
		relevant := 0
		for _, e := range d.Errors {
			ids, anchor := classifyOracleError(e, obj)
			if len(ids) == 0 {
				continue
			}
			relevant++
			if !hasFinding(findings, ids, anchor) {
				t.Errorf("%s: the API server rejects it with\n\t%s: %s\nbut dapilint reports no %s under %s; it reported:%s",
					where, e.Field, e.Message, strings.Join(ids, "/"), anchor, describeFindings(findings))
			}
		}
		if relevant == 0 {
			for _, f := range findings {
				if _, ok := neverStartExceptions[f.Rule.ID]; !ok {
					t.Errorf("%s: the API server accepts it (as far as the Downward API goes), but dapilint reports\n\t%s %s: %s",
						where, f.Rule.ID, f.Path, f.Message)
				}
			}
			continue
		}
		// Each finding must be backed by an API server error at the same
		// place (the env var, the volume or the volume mount).
		for _, f := range findings {
			if !backedByOracle(f, d.Errors, obj) {
				t.Errorf("%s: dapilint reports %s at %s, where the API server reports no Downward API error: %s",
					where, f.Rule.ID, f.Path, f.Message)
			}
		}
	}
	for k, fs := range byDoc {
		if !seen[k] {
			t.Errorf("%s: doc %d has DA1xx findings but the oracle did not validate it: %s", fixture, k.doc, describeFindings(fs))
		}
	}
}

func readGolden(path string) (docs []oracleDoc, sum string, err error) {
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
		var d oracleDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, "", fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		docs = append(docs, d)
	}
	return docs, sum, sc.Err()
}

var (
	envAnchorRE    = regexp.MustCompile(`^(.*\.env\[\d+\])(\.|$)`)
	volumeAnchorRE = regexp.MustCompile(`^(.*\.volumes\[(\d+)\])(\.|$)`)
	mountAnchorRE  = regexp.MustCompile(`^(.*\.volumeMounts\[\d+\])\.name$`)
	notFoundRE     = regexp.MustCompile(`^Not found: "(.*)"$`)
)

// classifyOracleError maps an API server error to the DA1xx rules that must
// report it, and to the place (a path prefix) where they must. It returns
// no rules for errors outside DA1xx's scope.
func classifyOracleError(e oracleError, obj *loader.Object) (ids []string, anchor string) {
	f := e.Field
	if m := envAnchorRE.FindStringSubmatch(f); m != nil {
		anchor = m[1]
		switch {
		case strings.Contains(f, ".resourceFieldRef."):
			return resourceFieldRefRule(f), anchor
		case strings.Contains(f, ".fieldRef"):
			return fieldRefRule(e), anchor
		case strings.HasSuffix(f, ".valueFrom"):
			return []string{"DA111"}, anchor
		case f == anchor+".name":
			return []string{"DA113"}, anchor
		}
		return nil, ""
	}
	if m := mountAnchorRE.FindStringSubmatch(f); m != nil {
		if e.Type == "FieldValueRequired" {
			return []string{"DA112"}, m[1]
		}
		if e.Type == "FieldValueNotFound" {
			if n := notFoundRE.FindStringSubmatch(e.Message); n != nil && podDefinesVolume(obj, f, n[1]) {
				return nil, "" // the volume exists but failed validation: not DA112's
			}
			return []string{"DA112"}, m[1]
		}
		return nil, ""
	}
	m := volumeAnchorRE.FindStringSubmatch(f)
	if m == nil {
		return nil, ""
	}
	anchor = m[1]
	rest := strings.TrimPrefix(f, anchor)
	projectedWithDownward := volumeHasDownwardAPI(obj, anchor)
	switch {
	case strings.Contains(rest, "downwardAPI") && strings.Contains(rest, ".resourceFieldRef."):
		return resourceFieldRefRule(f), anchor
	case strings.Contains(rest, "downwardAPI") && strings.Contains(rest, ".fieldRef"):
		return fieldRefRule(e), anchor
	case strings.HasSuffix(rest, "downwardAPI") && strings.Contains(e.Detail, "fieldRef and resourceFieldRef"):
		return []string{"DA107"}, anchor
	case strings.HasSuffix(rest, "downwardAPI.path"):
		return []string{"DA108"}, anchor
	case strings.HasSuffix(rest, "downwardAPI.mode"), strings.HasSuffix(rest, "downwardAPI.defaultMode"):
		return []string{"DA109"}, anchor
	case projectedWithDownward && (strings.HasSuffix(rest, ".projected.defaultMode") || strings.HasSuffix(rest, "].mode")):
		return []string{"DA109"}, anchor
	case projectedWithDownward && rest == ".projected" && e.Detail == "conflicting duplicate paths":
		return []string{"DA110"}, anchor
	case e.Detail == "may not specify more than 1 volume type" && volumeHasDownwardAPI(obj, anchor):
		return []string{"DA114"}, anchor
	case e.Detail == "may not specify more than 1 volume type per source" && sourceHasDownwardAPI(obj, f):
		return []string{"DA114"}, anchor
	}
	return nil, ""
}

func fieldRefRule(e oracleError) []string {
	switch {
	case strings.Contains(e.Detail, "unsupported pod version"):
		return []string{"DA103"}
	case strings.HasSuffix(e.Field, ".fieldRef"):
		return []string{"DA102"} // key errors are reported on fieldRef itself
	}
	return []string{"DA101"}
}

func resourceFieldRefRule(f string) []string {
	switch {
	case strings.HasSuffix(f, ".containerName"):
		return []string{"DA105"}
	case strings.HasSuffix(f, ".resource"):
		return []string{"DA104"}
	case strings.HasSuffix(f, ".divisor"):
		return []string{"DA106"}
	}
	return nil
}

// podTemplateAt finds the pod spec a field path belongs to.
func podTemplateAt(obj *loader.Object, path string) *loader.PodTemplate {
	for _, t := range obj.Pods {
		if strings.HasPrefix(path, t.SpecPath.String()+".") {
			return t
		}
	}
	return nil
}

func podDefinesVolume(obj *loader.Object, path, name string) bool {
	if t := podTemplateAt(obj, path); t != nil {
		for _, v := range t.Spec.Volumes {
			if v.Name == name {
				return true
			}
		}
	}
	return false
}

func volumeHasDownwardAPI(obj *loader.Object, volumeAnchor string) bool {
	t := podTemplateAt(obj, volumeAnchor)
	m := volumeAnchorRE.FindStringSubmatch(volumeAnchor)
	if t == nil || m == nil {
		return false
	}
	i, _ := strconv.Atoi(m[2])
	return i < len(t.Spec.Volumes) && loader.HasDownwardAPI(&t.Spec.Volumes[i])
}

var sourceRE = regexp.MustCompile(`\.volumes\[(\d+)\]\.projected\.sources\[(\d+)\]$`)

func sourceHasDownwardAPI(obj *loader.Object, path string) bool {
	t := podTemplateAt(obj, path)
	m := sourceRE.FindStringSubmatch(path)
	if t == nil || m == nil {
		return false
	}
	i, _ := strconv.Atoi(m[1])
	k, _ := strconv.Atoi(m[2])
	if i >= len(t.Spec.Volumes) || t.Spec.Volumes[i].Projected == nil || k >= len(t.Spec.Volumes[i].Projected.Sources) {
		return false
	}
	return t.Spec.Volumes[i].Projected.Sources[k].DownwardAPI != nil
}

func under(path, anchor string) bool {
	return path == anchor || strings.HasPrefix(path, anchor+".") || strings.HasPrefix(path, anchor+"[")
}

func hasFinding(findings []rules.Finding, ids []string, anchor string) bool {
	for _, f := range findings {
		for _, id := range ids {
			if f.Rule.ID == id && under(f.Path, anchor) {
				return true
			}
		}
	}
	return false
}

// backedByOracle reports whether some relevant API server error of the
// document is at the finding's place.
func backedByOracle(f rules.Finding, errs []oracleError, obj *loader.Object) bool {
	for _, e := range errs {
		if ids, anchor := classifyOracleError(e, obj); len(ids) > 0 && under(f.Path, anchor) {
			return true
		}
	}
	return false
}

func describeFindings(fs []rules.Finding) string {
	if len(fs) == 0 {
		return " nothing"
	}
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n\t%s %s: %s", f.Rule.ID, f.Path, f.Message)
	}
	return b.String()
}
