package reporter_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// fakeRule is a test-only rule, so that the golden files show warnings,
// infos and fixes without depending on the real rules (which change):
// it reports env vars named FAKE_*, with a fix for those that use a
// fieldRef (unsafe for FAKE_GUESS*), and FAKE_INFO at info severity.
var fakeRule = &rules.Rule{
	ID:       "DA999",
	Name:     "fake-env",
	Title:    "A test-only rule that reports FAKE_ variables",
	Doc:      "Reports every environment variable whose name starts with `FAKE_`.\n\nIt exists for the reporter tests only.",
	Example:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: x\n    env:\n    - name: FAKE_X\n      value: x\n",
	Severity: rules.Warning,
	Default:  false,
	Fixes:    rules.SafeFixes | rules.UnsafeFixes,
	Run: func(p *rules.Pass) {
		for _, pod := range p.Object.Pods {
			for _, env := range pod.Env() {
				name := env.Var.Name
				switch {
				case name == "FAKE_INFO":
					p.Report(env.Path.Child("name"), `variable "FAKE_INFO" is for tests; 100% harmless`, rules.WithSeverity(rules.Info))
				case strings.HasPrefix(name, "FAKE_") && env.Var.ValueFrom != nil && env.Var.ValueFrom.FieldRef != nil:
					fix := rules.SafeFix
					if strings.HasPrefix(name, "FAKE_GUESS") {
						fix = rules.UnsafeFix
					}
					p.Report(env.Path.Child("valueFrom", "fieldRef", "fieldPath"),
						"fake rule: "+env.Var.ValueFrom.FieldRef.FieldPath+" is not metadata.name, which this test rule wants",
						fix("use metadata.name", rules.String("metadata.name")))
				case strings.HasPrefix(name, "FAKE_"):
					p.Report(env.Path, "fake rule: a FAKE_ variable")
				}
			}
		}
	},
}

// inputRules are the rules the golden runs use: the input rules (whose
// findings come from the loader) and the fake rule.
func inputRules() []*rules.Rule {
	return []*rules.Rule{rules.YAMLSyntax, rules.UnknownField, rules.DuplicateKey, rules.WrongType,
		rules.InvalidQuantity, rules.UnservedAPIVersion, fakeRule}
}

// goldenConfig severity-overrides DA005 to show it in every format.
func goldenConfig() lint.Config {
	return lint.Config{Rules: inputRules(), Severity: map[string]rules.Severity{"DA005": rules.Warning}}
}

func goldenOptions() reporter.Options {
	cfg := goldenConfig()
	return reporter.Options{
		Version:  "v1.2.3",
		Rules:    inputRules(),
		Enabled:  cfg.Rules,
		Severity: cfg.Severity,
		SrcRoot:  "/src",
	}
}

// goldenRuns are the runs: input file names (under testdata/input) and a
// file that does not exist.
var goldenRuns = map[string][]string{
	"clean":    {"clean.yaml"},
	"findings": {"deployment.yaml", "list.yaml", "syntax.yaml", "clean.yaml", "missing.yaml"},
}

// runInputs lints the named files of testdata/input under the names
// "input/<name>" and renders them with format.
func runInputs(t testing.TB, format reporter.Format, names []string, cfg lint.Config, opts reporter.Options) []byte {
	t.Helper()
	var inputs []lint.Input
	for _, n := range names {
		inputs = append(inputs, lint.Input{Name: "input/" + n, Path: filepath.Join("testdata", "input", n)})
	}
	return render(t, format, inputs, cfg, opts)
}

func render(t testing.TB, format reporter.Format, inputs []lint.Input, cfg lint.Config, opts reporter.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep := format.New(&buf, opts)
	var sum reporter.Summary
	lint.Run(inputs, cfg, func(res lint.FileResult) {
		sum.Add(res)
		if res.Err != nil {
			return
		}
		if err := rep.File(res); err != nil {
			t.Fatal(err)
		}
		// Reporters must not keep the file's contents: scribble over them
		// (what they printed or kept must not change).
		for i := range res.Source.Data {
			res.Source.Data[i] = '#'
		}
	})
	if err := rep.Finish(sum); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goldenExt is the golden file extension of each format.
var goldenExt = map[string]string{"text": ".txt", "json": ".json", "sarif": ".sarif", "github": ".github"}

// TestGolden renders fixed inputs in every format and compares them byte
// for byte with testdata/golden (go test ./reporter -update rewrites them).
func TestGolden(t *testing.T) {
	for _, f := range reporter.Formats {
		ext, ok := goldenExt[f.Name]
		if !ok {
			t.Fatalf("format %s has no golden file extension", f.Name)
		}
		for run, names := range goldenRuns {
			t.Run(run+ext, func(t *testing.T) {
				got := runInputs(t, f, names, goldenConfig(), goldenOptions())
				path := filepath.Join("testdata", "golden", run+ext)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test ./reporter -update writes it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the output (go test ./reporter -update rewrites it):\n%s", path, diff(string(want), string(got)))
				}
			})
		}
	}
}

// diff shows the first differing line.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines; different line endings?)"
}

func itoa(n int) string {
	var b []byte
	for n >= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(append([]byte{byte('0' + n)}, b...))
}
