package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// TestRules runs every rule over its fixtures in testdata/<ID>/. Each
// fixture marks the findings it expects at the end of the offending line:
//
//	fieldPath: matadata.labels   # want DA101 `not supported` DA002@11 "unknown field"
//
// A finding is matched by line, rule ID and a regular expression over its
// message; "@N" also pins the 1-based column. Every finding must be
// expected and every expectation met. Fixtures run with the rule under test
// and the input rules (DA0xx) enabled, so that a fixture that does not
// decode cleanly cannot pass by accident.
func TestRules(t *testing.T) {
	for _, r := range rules.All {
		if r.Rendered {
			continue // its example and cases are charts: internal/e2e tests them
		}
		t.Run(r.ID, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", r.ID, "*.yaml"))
			if len(files) == 0 {
				t.Fatalf("no fixtures in testdata/%s", r.ID)
			}
			var firing, clean int
			for _, file := range files {
				n := checkFixture(t, r, file)
				if n > 0 {
					firing++
				} else {
					clean++
				}
			}
			if firing == 0 {
				t.Errorf("testdata/%s has no fixture where %s fires", r.ID, r.ID)
			}
			if clean == 0 && r.Run != nil {
				t.Errorf("testdata/%s has no clean fixture (one without expectations)", r.ID)
			}
		})
	}
}

// fixtureConfig enables the rule under test plus the input rules. The
// directive rules (DA9xx) are about ignores of other rules, so their
// fixtures run with the default rules as well.
func fixtureConfig(r *rules.Rule) lint.Config {
	cfg := lint.Config{Rules: []*rules.Rule{r}}
	directive := strings.HasPrefix(r.ID, "DA9")
	for _, ir := range rules.All {
		if ir != r && (strings.HasPrefix(ir.ID, "DA0") || directive && ir.Default && !strings.HasPrefix(ir.ID, "DA9")) {
			cfg.Rules = append(cfg.Rules, ir)
		}
	}
	return cfg
}

type expectation struct {
	line int
	id   string
	col  int // 0: any
	re   *regexp.Regexp
	met  bool
}

// checkFixture lints one fixture and checks it against its expectations;
// it returns how many findings of rule r it expected.
func checkFixture(t *testing.T, r *rules.Rule, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	wants, err := parseWants(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	findings := lint.Bytes(file, data, fixtureConfig(r))
	for _, f := range findings {
		if f.Range.Start.Line < 1 || f.Range.Start.Col < 1 {
			t.Errorf("%s: %s finding without a position: %s", file, f.Rule.ID, f.Message)
		}
		matched := false
		for _, w := range wants {
			if !w.met && w.line == f.Range.Start.Line && w.id == f.Rule.ID && (w.col == 0 || w.col == f.Range.Start.Col) && w.re.MatchString(f.Message) {
				w.met, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected %s: %s", file, f.Range.Start.Line, f.Range.Start.Col, f.Rule.ID, f.Message)
		}
	}
	own := 0
	for _, w := range wants {
		if w.id == r.ID {
			own++
		}
		if !w.met {
			col := ""
			if w.col > 0 {
				col = fmt.Sprintf(" at column %d", w.col)
			}
			t.Errorf("%s:%d: no %s%s matching %q was reported", file, w.line, w.id, col, w.re)
		}
	}
	return own
}

var wantRE = regexp.MustCompile(`#\s*want\s+(.*)$`)
var wantItemRE = regexp.MustCompile("^\\s*(DA\\d{3})(?:@(\\d+))?\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")

func parseWants(src string) ([]*expectation, error) {
	var out []*expectation
	for i, line := range strings.Split(src, "\n") {
		m := wantRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rest := m[1]
		for strings.TrimSpace(rest) != "" {
			im := wantItemRE.FindStringSubmatch(rest)
			if im == nil {
				return nil, fmt.Errorf("line %d: bad want syntax at %q", i+1, rest)
			}
			pattern, err := strconv.Unquote(im[3])
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			re, err := regexp.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			col, _ := strconv.Atoi(im[2])
			out = append(out, &expectation{line: i + 1, id: im[1], col: col, re: re})
			rest = rest[len(im[0]):]
		}
	}
	return out, nil
}

// TestRegistry checks the rules' metadata, in the manner of
// golang.org/x/tools/go/analysis.Validate.
func TestRegistry(t *testing.T) {
	idRE := regexp.MustCompile(`^DA\d{3}$`)
	nameRE := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	ids, names := map[string]bool{}, map[string]bool{}
	for i, r := range rules.All {
		if !idRE.MatchString(r.ID) {
			t.Errorf("%s: ID must match %s", r.ID, idRE)
		}
		if !nameRE.MatchString(r.Name) {
			t.Errorf("%s: name %q must be kebab-case", r.ID, r.Name)
		}
		if ids[r.ID] || names[r.Name] {
			t.Errorf("%s: duplicate ID or name %q", r.ID, r.Name)
		}
		ids[r.ID], names[r.Name] = true, true
		if i > 0 && rules.All[i-1].ID >= r.ID {
			t.Errorf("All is not sorted by ID at %s", r.ID)
		}
		if r.Title == "" || strings.HasSuffix(r.Title, ".") || strings.ToUpper(r.Title[:1]) != r.Title[:1] {
			t.Errorf("%s: title %q must be non-empty, start upper-case and have no trailing period", r.ID, r.Title)
		}
		if len(r.Doc) < 80 {
			t.Errorf("%s: doc is missing or too short", r.ID)
		}
		if r.Severity < rules.Info || r.Severity > rules.Error {
			t.Errorf("%s: bad severity", r.ID)
		}
		if r.Example == "" {
			t.Errorf("%s: no example", r.ID)
		}
		if noRun := strings.HasPrefix(r.ID, "DA0") || strings.HasPrefix(r.ID, "DA9"); noRun != (r.Run == nil) {
			t.Errorf("%s: input rules (DA0xx) and directive rules (DA9xx) have no Run, all others must", r.ID)
		}
	}
}

// TestExamples checks that each rule's documented example triggers it.
func TestExamples(t *testing.T) {
	for _, r := range rules.All {
		if r.Rendered {
			continue // internal/e2e's TestRenderedRuleExamples checks it
		}
		found := false
		for _, f := range lint.Bytes("example.yaml", []byte(r.Example), fixtureConfig(r)) {
			if f.Rule == r {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: its example does not trigger it", r.ID)
		}
	}
}

// TestPrecisionFixtures lints testdata/<ID>/precision/*.yaml with the
// default rule set and expects no finding at all. Each of those fixtures
// reproduces, in our own words, a pattern that a rule once reported on a
// real public manifest although nothing was wrong there (docs/precision.md
// lists them); the rule must stay quiet on it by default.
func TestPrecisionFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "precision", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no precision fixtures")
	}
	cfg := lint.Config{Rules: rules.Defaults()}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range lint.Bytes(file, data, cfg) {
			t.Errorf("%s:%d: %s %s: %s", file, f.Range.Start.Line, f.Rule.ID, f.Severity, f.Message)
		}
	}
}
