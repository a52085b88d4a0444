package fix_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/fix"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// rewriteRule is a test rule that reports every env value equal to from,
// with a safe fix to to.
func rewriteRule(id, from, to string) *rules.Rule {
	return &rules.Rule{ID: id, Name: "rewrite-" + id, Severity: rules.Warning, Fixes: rules.SafeFixes,
		Run: func(p *rules.Pass) {
			for _, pod := range p.Object.Pods {
				for _, e := range pod.Env() {
					if e.Var.Value == from {
						p.Report(e.Path.Child("value"), from+" should be "+to, rules.SafeFix("use "+to, rules.String(to)))
					}
				}
			}
		}}
}

const envPod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: busybox
    ports:
    - containerPort: 80   # a port
    env:
    - name: A
      value: a
`

func fixWith(t *testing.T, data string, rs ...*rules.Rule) (lint.FileResult, fix.Result) {
	t.Helper()
	cfg := lint.Config{Rules: append([]*rules.Rule{rules.WrongType, rules.UnknownField}, rs...)}
	return fixBytes("pod.yaml", []byte(data), cfg, false)
}

// Two fixes of the same value: the first (in rule order) is applied, the
// file linted again, and what the new value calls for applied in the next
// pass, until nothing is left.
func TestOverlappingFixesConverge(t *testing.T) {
	_, r := fixWith(t, envPod, rewriteRule("DA991", "a", "b"), rewriteRule("DA992", "b", "c"), rewriteRule("DA993", "a", "z"))
	if !r.Converged || r.Fixed != 2 {
		t.Errorf("converged %v, fixed %d; want true, 2", r.Converged, r.Fixed)
	}
	if want := strings.Replace(envPod, "value: a", "value: c", 1); string(r.Data) != want {
		t.Errorf("got\n%s", r.Data)
	}
	if len(r.Final.Findings) != 0 {
		t.Errorf("findings remain: %v", r.Final.Findings)
	}
}

// Fixes that undo each other stop at the first repetition.
func TestCyclingFixesStop(t *testing.T) {
	_, r := fixWith(t, envPod, rewriteRule("DA991", "a", "b"), rewriteRule("DA992", "b", "a"))
	if r.Converged {
		t.Error("a cycle reported as converged")
	}
	if want := strings.Replace(envPod, "value: a", "value: b", 1); string(r.Data) != want {
		t.Errorf("got\n%s", r.Data)
	}
}

// A fix that would make the file unreadable (here: a string where the API
// expects an integer) is rejected and reported; the others still apply.
func TestFixMakingAnInputErrorIsRejected(t *testing.T) {
	portRule := &rules.Rule{ID: "DA994", Name: "bad-port-fix", Severity: rules.Warning, Fixes: rules.SafeFixes,
		Run: func(p *rules.Pass) {
			for _, pod := range p.Object.Pods {
				for _, c := range pod.Containers() {
					if len(c.Container.Ports) > 0 {
						p.Report(c.Path.Child("ports").Index(0).Child("containerPort"), "wrong fix on purpose",
							rules.SafeFix("use eighty", rules.String("eighty")))
					}
				}
			}
		}}
	_, r := fixWith(t, envPod, portRule, rewriteRule("DA991", "a", "b"))
	if len(r.Rejected) != 1 || r.Rejected[0].Rule != portRule {
		t.Fatalf("rejected %v, want the DA994 fix", r.Rejected)
	}
	if want := strings.Replace(envPod, "value: a", "value: b", 1); string(r.Data) != want {
		t.Errorf("got\n%s", r.Data)
	}
}

// Only safe fixes made on the file's own text are applied: not a
// display-only fix, not a fix whose edits address other text (a rendered
// chart's output), not a finding the caller keeps (a baseline's).
func TestOnlyApplicableFixesApply(t *testing.T) {
	cfg := lint.Config{Rules: []*rules.Rule{rewriteRule("DA991", "a", "b")}}
	relint := func(d []byte) lint.FileResult { return lint.One(lint.Input{Name: "pod.yaml", Data: d}, cfg) }
	first := relint([]byte(envPod))
	if len(first.Findings) != 1 || first.Findings[0].Fix == nil {
		t.Fatalf("setup: %v", first.Findings)
	}
	other := loader.NewSource("rendered.yaml", []byte(envPod))
	for name, change := range map[string]func(*rules.Fix){
		"display-only":  func(f *rules.Fix) { f.Applicability = rules.DisplayOnly },
		"unsafe":        func(f *rules.Fix) { f.Applicability = rules.Unsafe },
		"other source":  func(f *rules.Fix) { f.Source = other },
		"no source":     func(f *rules.Fix) { f.Source = nil },
		"edit past end": func(f *rules.Fix) { f.Edits[0].Range.End.Offset = len(envPod) + 1 },
	} {
		res := first
		res.Findings = []rules.Finding{first.Findings[0]}
		fx := *first.Findings[0].Fix
		fx.Edits = append([]rules.Edit(nil), fx.Edits...)
		change(&fx)
		res.Findings[0].Fix = &fx
		if r := fix.File(res, relint, fix.Options{}); r.Changed {
			t.Errorf("%s: applied", name)
		}
	}
	keepNone := fix.Options{Fixable: func(rules.Finding) bool { return false }}
	if r := fix.File(first, relint, keepNone); r.Changed {
		t.Error("a finding the caller keeps was fixed")
	}
	if r := fix.File(first, relint, fix.Options{}); !r.Changed || r.Fixed != 1 {
		t.Errorf("the plain case: changed %v, fixed %d", r.Changed, r.Fixed)
	}
}

func TestApply(t *testing.T) {
	data := []byte("0123456789")
	e := func(s, end int, text string) rules.Edit {
		return rules.Edit{Range: loader.Range{Start: loader.Pos{Offset: s}, End: loader.Pos{Offset: end}}, New: text}
	}
	got := fix.Apply(data, []rules.Edit{e(8, 9, "X"), e(0, 0, "<"), e(2, 5, ""), e(10, 10, ">")})
	if string(got) != "<01567X9>" {
		t.Errorf("got %q", got)
	}
}

func TestDiff(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
	new := strings.Replace(strings.Replace(old, "b\n", "B\n", 1), "l\n", "L\nL2\n", 1)
	want := `--- f.yaml
+++ f.yaml
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -9,5 +9,6 @@
 i
 j
 k
-l
+L
+L2
 m
`
	if got := string(fix.Diff("f.yaml", []byte(old), []byte(new))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if d := fix.Diff("f", []byte(old), []byte(old)); d != nil {
		t.Errorf("diff of equal texts: %q", d)
	}
	// CRLF lines keep their CR, and a missing final newline is marked.
	got := string(fix.Diff("f", []byte("x: 1\r\ny: 2"), []byte("x: 1\r\ny: 3")))
	want = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n x: 1\r\n-y: 2\n\\ No newline at end of file\n+y: 3\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestDiffAppliesWithPatch checks fix.Diff against GNU patch on the
// goldens: the diff of each golden, applied to its input, gives the fixed
// file byte for byte.
func TestDiffAppliesWithPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
			t.Fatal("patch not found; DAPILINT_REQUIRE_TOOLS=1")
		}
		t.Skip("patch not found")
	}
	outs, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.fixed.*"))
	outs = append(outs, filepath.Join("testdata", "golden", "DA006.unsafe.yaml"))
	for _, out := range outs {
		in := strings.Replace(out, ".fixed.", ".in.", 1)
		in = strings.Replace(in, ".unsafe.", ".in.", 1)
		before, _ := os.ReadFile(in)
		after, _ := os.ReadFile(out)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "m.yaml"), before, 0o644); err != nil {
			t.Fatal(err)
		}
		d := fix.Diff("m.yaml", before, after)
		cmd := exec.Command(patch, "-p0", "--quiet", "--binary")
		cmd.Dir, cmd.Stdin = dir, bytes.NewReader(d)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: patch: %v\n%s\n%s", out, err, msg, d)
			continue
		}
		got, _ := os.ReadFile(filepath.Join(dir, "m.yaml"))
		if !bytes.Equal(got, after) {
			t.Errorf("%s: patched file differs", out)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pod.yaml")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink("pod.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := fix.WriteFile(link, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("target holds %q", data)
	}
	if info, _ := os.Lstat(link); info.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	// Changed on disk since it was read: refused, and left alone.
	err := fix.WriteFile(path, []byte("old"), []byte("newer"))
	if !errors.Is(err, fix.ErrChanged) {
		t.Errorf("got %v, want ErrChanged", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("a changed file was overwritten: %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}
}
