package reporter_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dapilint/dapilint/internal/sarifcheck"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

func format(t *testing.T, name string) reporter.Format {
	t.Helper()
	f, ok := reporter.Lookup(name)
	if !ok {
		t.Fatalf("no format %q", name)
	}
	return f
}

func TestFormatsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range reporter.Formats {
		if f.Name == "" || f.Description == "" || f.New == nil || seen[f.Name] {
			t.Errorf("bad or duplicate format entry %+v", f)
		}
		seen[f.Name] = true
	}
	for _, name := range []string{"text", "json", "sarif", "github"} {
		if !seen[name] {
			t.Errorf("format %s is missing", name)
		}
	}
	if f, _ := reporter.Lookup("text"); !f.Human {
		t.Error("text must be the human format (it prints the summary)")
	}
	for _, name := range []string{"json", "sarif", "github"} {
		if f, _ := reporter.Lookup(name); f.Human {
			t.Errorf("%s must not be marked human: its output must stay pure", name)
		}
	}
}

// TestSARIFChecks runs the Go-side SARIF checks (enums, types, indexes)
// over the golden runs; they need no external tool.
func TestSARIFChecks(t *testing.T) {
	for run, names := range goldenRuns {
		t.Run(run, func(t *testing.T) {
			sarifcheck.Check(t, runInputs(t, format(t, "sarif"), names, goldenConfig(), goldenOptions()))
		})
	}
}

// recorder is a testing.TB that records errors instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}

// TestSARIFCheckCatchesBadEnums makes sure that the Go-side checks catch
// what the validator does not: enum values and types.
func TestSARIFCheckCatchesBadEnums(t *testing.T) {
	good := runInputs(t, format(t, "sarif"), goldenRuns["findings"], goldenConfig(), goldenOptions())
	for _, c := range []struct{ from, to string }{
		{`"level": "error"`, `"level": "bogus"`},
		{`"level": "warning"`, `"level": "info"`},
		{`"columnKind": "unicodeCodePoints"`, `"columnKind": "characters"`},
		{`"startLine": 9`, `"startLine": "9"`},
		{`"ruleIndex": 1`, `"ruleIndex": 0`},
		{`"executionSuccessful": false`, `"executionSuccessful": "no"`},
		{`"uri": "input/deployment.yaml"`, `"uri": "input\\deployment.yaml"`},
	} {
		bad := bytes.Replace(good, []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(bad, good) {
			t.Fatalf("%s is not in the output", c.from)
		}
		r := &recorder{TB: t}
		sarifcheck.Check(r, bad)
		if len(r.errors) == 0 {
			t.Errorf("replacing %s with %s went unnoticed", c.from, c.to)
		}
	}
	r := &recorder{TB: t}
	sarifcheck.Check(r, good)
	if len(r.errors) > 0 {
		t.Errorf("the good log fails the checks: %v", r.errors)
	}
}

func decodeSARIF(t *testing.T, data []byte) reporter.SARIFLog {
	t.Helper()
	var log reporter.SARIFLog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestSARIFRegions checks every region against the file: columns and
// charOffset count code points, and the snippet is the region's text.
func TestSARIFRegions(t *testing.T) {
	log := decodeSARIF(t, runInputs(t, format(t, "sarif"), goldenRuns["findings"], goldenConfig(), goldenOptions()))
	run := log.Runs[0]
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	nonASCII := false
	for _, r := range run.Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		data, err := os.ReadFile(filepath.Join("testdata", strings.TrimPrefix(uri, "")))
		if err != nil {
			t.Fatal(err)
		}
		runes := []rune(string(data))
		regions := []reporter.SARIFRegion{*r.Locations[0].PhysicalLocation.Region}
		if c := r.Locations[0].PhysicalLocation.ContextRegion; c != nil {
			regions = append(regions, *c)
		}
		for _, f := range r.Fixes {
			for _, rep := range f.ArtifactChanges[0].Replacements {
				regions = append(regions, rep.DeletedRegion)
			}
		}
		for _, reg := range regions {
			start := charOffsetOf(runes, reg.StartLine, reg.StartColumn)
			end := charOffsetOf(runes, reg.EndLine, reg.EndColumn)
			if reg.CharOffset != start || reg.CharLength != end-start {
				t.Errorf("%s %s: region %+v: charOffset/charLength should be %d/%d", uri, r.RuleID, reg, start, end-start)
			}
			if reg.Snippet != nil && reg.Snippet.Text != string(runes[start:end]) {
				t.Errorf("%s %s: snippet %q, want %q", uri, r.RuleID, reg.Snippet.Text, string(runes[start:end]))
			}
			if len(string(runes[:start])) != utf8.RuneCount(data[:len(string(runes[:start]))]) && !nonASCII {
				nonASCII = true
			}
		}
	}
	if !nonASCII {
		t.Error("the fixtures have no finding after a non-ASCII character, so code points are not tested")
	}
}

func charOffsetOf(runes []rune, line, col int) int {
	l, off := 1, 0
	for off < len(runes) && l < line {
		if runes[off] == '\n' {
			l++
		}
		off++
	}
	return off + col - 1
}

// TestFingerprintsIgnorePositions edits a file above and between its
// findings; the findings move, their fingerprints must not. (Inserting a
// list item before a finding does change them: the field path holds the
// item's index.)
func TestFingerprintsIgnorePositions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "input", "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Comments above, a label in between, an env var after the last.
	edited := "# a new comment\n# and another\n" + strings.Replace(
		strings.Replace(string(data), "    metadata:\n", "    metadata:\n      annotations:\n        new: annotation\n", 1),
		"        resources:\n", "        - name: UNRELATED\n          value: x\n        resources:\n", 1)
	fingerprints := func(content string) (map[string]int, []reporter.SARIFResult) {
		out := render(t, format(t, "sarif"), []lint.Input{{Name: "deploy.yaml", Data: []byte(content)}}, goldenConfig(), goldenOptions())
		results := decodeSARIF(t, out).Runs[0].Results
		m := map[string]int{}
		for _, r := range results {
			m[r.PartialFingerprints[reporter.SARIFFingerprintKey]] = r.Locations[0].PhysicalLocation.Region.StartLine
		}
		return m, results
	}
	before, results := fingerprints(string(data))
	after, _ := fingerprints(edited)
	if len(before) != len(results) || len(before) < 3 {
		t.Fatalf("want ≥3 distinct fingerprints, got %v", before)
	}
	for fp, line := range before {
		newLine, ok := after[fp]
		if !ok {
			t.Errorf("fingerprint %s (line %d) changed after an unrelated edit", fp, line)
		} else if newLine == line {
			t.Errorf("finding at line %d did not move; the test edit is wrong", line)
		}
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}:1$`).MatchString(results[0].PartialFingerprints[reporter.SARIFFingerprintKey]) {
		t.Errorf("fingerprint %q is not hex:occurrence", results[0].PartialFingerprints[reporter.SARIFFingerprintKey])
	}
	// Identical findings (the same document twice) get distinct occurrences.
	twice, _ := fingerprints(string(data) + "---\n" + string(data))
	if len(twice) != 2*len(before) {
		t.Errorf("duplicated document: %d distinct fingerprints, want %d", len(twice), 2*len(before))
	}
}

func TestSARIFArtifactFor(t *testing.T) {
	for _, c := range []struct {
		name, wd, root, uri, base string
	}{
		{"deploy/web.yaml", "", "/src", "deploy/web.yaml", "%SRCROOT%"},
		{"./deploy//web.yaml", "", "/src", "deploy/web.yaml", "%SRCROOT%"},
		{"dir with space/ünï.yaml", "", "/src", "dir%20with%20space/%C3%BCn%C3%AF.yaml", "%SRCROOT%"},
		{"a:b #1 50%?.yaml", "", "/src", "a%3Ab%20%231%2050%25%3F.yaml", "%SRCROOT%"},
		{"<stdin>", "", "/src", "%3Cstdin%3E", "%SRCROOT%"},
		{"/src/deploy/web.yaml", "", "/src", "deploy/web.yaml", "%SRCROOT%"},
		{"/other/web.yaml", "", "/src", "file:///other/web.yaml", ""},
		{"/other/a b:c.yaml", "", "", "file:///other/a%20b:c.yaml", ""},
		{"../up.yaml", "", "/src/sub", "file:///src/up.yaml", ""},
		// Run from a subdirectory of the repository: relative to its root.
		{"web.yaml", "/src/deploy", "/src", "deploy/web.yaml", "%SRCROOT%"},
		{"../charts/x.yaml", "/src/deploy", "/src", "charts/x.yaml", "%SRCROOT%"},
		{"../../up.yaml", "/src/deploy", "/src", "file:///up.yaml", ""},
	} {
		got := reporter.SARIFArtifactFor(c.name, c.wd, c.root)
		if got.URI != c.uri || got.URIBaseID != c.base {
			t.Errorf("SARIFArtifactFor(%q, %q, %q) = %+v, want uri %q base %q", c.name, c.wd, c.root, got, c.uri, c.base)
		}
	}
}

func TestSARIFVersions(t *testing.T) {
	for _, c := range []struct{ in, version, semantic string }{
		{"v1.2.3", "1.2.3", "1.2.3"},
		{"1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"},
		{"v0.0.0-20260101120000-abcdef123456+dirty", "0.0.0-20260101120000-abcdef123456+dirty", "0.0.0-20260101120000-abcdef123456+dirty"},
		{"(devel)", "0.0.0-devel", ""},
		{"", "0.0.0-unknown", ""},
		{"1.2", "1.2", ""},
	} {
		v, s := reporter.SARIFVersions(c.in)
		if v != c.version || s != c.semantic {
			t.Errorf("SARIFVersions(%q) = %q, %q; want %q, %q", c.in, v, s, c.version, c.semantic)
		}
	}
}

func TestRuleHelpURIFor(t *testing.T) {
	r := rules.FieldRefUnsupportedPath
	for _, c := range []struct {
		version string
		release bool
	}{
		{"v1.2.3", true},
		{"v1.2.3-rc.1", true},
		{"v0.0.0-20260101120000-abcdef123456", false},
		{"v1.2.4-0.20260101120000-abcdef123456", false},
		{"v1.2.3+dirty", false},
		{"(devel)", false},
		{"", false},
	} {
		want := "https://github.com/dapilint/dapilint/blob/main/docs/rules.md#da101"
		if c.release {
			want = "https://github.com/dapilint/dapilint/blob/" + c.version + "/docs/rules.md#da101"
		}
		if got := reporter.RuleHelpURIFor(r, c.version); got != want {
			t.Errorf("RuleHelpURIFor(%q) = %s, want %s", c.version, got, want)
		}
	}
}

// TestSARIFRulesFromOptions: tool.driver.rules is the catalogue passed in
// Options, in order, with defaultConfiguration from each rule.
func TestSARIFRulesFromOptions(t *testing.T) {
	opts := goldenOptions()
	opts.Rules = []*rules.Rule{fakeRule, rules.YAMLSyntax}
	log := decodeSARIF(t, runInputs(t, format(t, "sarif"), goldenRuns["clean"], goldenConfig(), opts))
	got := log.Runs[0].Tool.Driver.Rules
	if len(got) != 2 || got[0].ID != "DA999" || got[1].ID != "DA001" {
		t.Fatalf("rules = %+v", got)
	}
	if e := got[0].DefaultConfiguration.Enabled; e == nil || *e {
		t.Error("a rule off by default must have defaultConfiguration.enabled false")
	}
	if got[0].DefaultConfiguration.Level != "warning" || got[1].DefaultConfiguration.Level != "error" {
		t.Errorf("levels: %+v", got)
	}
	if got[1].HelpURI != "https://github.com/dapilint/dapilint/blob/"+opts.Version+"/docs/rules.md#da001" { // a release: its own docs
		t.Errorf("helpUri %q", got[1].HelpURI)
	}
	// A finding of a rule not in the catalogue adds it.
	opts.Rules = nil
	log = decodeSARIF(t, runInputs(t, format(t, "sarif"), []string{"syntax.yaml"}, goldenConfig(), opts))
	if rs := log.Runs[0].Tool.Driver.Rules; len(rs) != 1 || rs[0].ID != "DA001" || log.Runs[0].Results[0].RuleIndex != 0 {
		t.Errorf("rules %+v", rs)
	}
}

func TestGitHubEscaping(t *testing.T) {
	for _, c := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"key: a, b", "key: a, b", "key%3A a%2C b"},
		{"%0A", "%250A", "%250A"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{"ünï", "ünï", "ünï"},
	} {
		if got := reporter.EscapeGitHubData(c.in); got != c.data {
			t.Errorf("EscapeGitHubData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := reporter.EscapeGitHubProperty(c.in); got != c.prop {
			t.Errorf("EscapeGitHubProperty(%q) = %q, want %q", c.in, got, c.prop)
		}
	}
}

func TestGitHubAnnotation(t *testing.T) {
	f := rules.Finding{
		Rule: fakeRule, Severity: rules.Info, Message: "50% of\nlines", File: `dir, a:b/x.yaml`,
		Range: loader.Range{Start: loader.Pos{Line: 3, Col: 5}, End: loader.Pos{Line: 4, Col: 1}},
		Fix:   &rules.Fix{Message: "use y", Applicability: rules.Safe},
	}
	want := "::notice file=dir%2C a%3Ab/x.yaml,line=3,col=5,endLine=4,endColumn=1,title=DA999 fake-env::50%25 of%0Alines%0Afix: use y"
	if got := reporter.GitHubAnnotation(f); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for sev, cmd := range map[rules.Severity]string{rules.Error: "::error ", rules.Warning: "::warning ", rules.Info: "::notice "} {
		f.Severity = sev
		if got := reporter.GitHubAnnotation(f); !strings.HasPrefix(got, cmd) {
			t.Errorf("severity %s: %s", sev, got)
		}
	}
}

// TestGitHubInputErrorsPrintable checks that an unreadable input's name
// and message reach the log as they do in findings: control characters
// escaped, never raw.
func TestGitHubInputErrorsPrintable(t *testing.T) {
	var out strings.Builder
	rep := format(t, "github").New(&out, reporter.Options{})
	var s reporter.Summary
	s.AddInputError("bad\x1b]0;title\x07.yaml", "cannot read bad\x1b]0;title\x07.yaml: \x1b[2Jgone")
	if err := rep.Finish(s); err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSuffix(out.String(), "\n")
	if strings.ContainsAny(got, "\x1b\x07\n") || !strings.HasPrefix(got, "::error file=") {
		t.Errorf("raw control characters in %q", got)
	}
}

// TestJSONDocumented checks that docs/json-format.md names every field of
// the JSON format, and that the golden document decodes strictly.
func TestJSONDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "json-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, where string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct {
			return
		}
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !bytes.Contains(doc, []byte("`"+name+"`")) {
				t.Errorf("docs/json-format.md does not document %s.%s", where, name)
			}
			walk(f.Type, where+"."+name)
		}
	}
	walk(reflect.TypeFor[reporter.JSONDocument](), "")
	data := runInputs(t, format(t, "json"), goldenRuns["findings"], goldenConfig(), goldenOptions())
	var d reporter.JSONDocument
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.Version != reporter.JSONVersion || len(d.Findings) == 0 || len(d.InputErrors) != 1 {
		t.Errorf("version %d, %d findings, %d input errors", d.Version, len(d.Findings), len(d.InputErrors))
	}
	for _, f := range d.Findings {
		switch f.Severity {
		case "error", "warning", "info":
		default:
			t.Errorf("severity %q", f.Severity)
		}
	}
}

// TestJSONEmpty: a run without findings still has every key, with empty
// arrays rather than null.
func TestJSONEmpty(t *testing.T) {
	data := runInputs(t, format(t, "json"), goldenRuns["clean"], goldenConfig(), goldenOptions())
	for _, key := range []string{`"findings": []`, `"inputErrors": []`, `"version": 1`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("clean JSON lacks %s:\n%s", key, data)
		}
	}
}
