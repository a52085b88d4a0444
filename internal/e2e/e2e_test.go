// Package e2e runs the dapilint command line end to end: in-process through
// cli.Command, and as a real binary in a subprocess, against the cases in
// testdata/cli.
//
// A case is a directory testdata/cli/<case>/ holding:
//
//	args           the command line after the program name, split like a
//	               shell does (blanks separate words, '…' and "…" quote;
//	               lines starting with # are comments)
//	stdin          optional: standard input
//	env            optional: NAME=value lines, the whole environment the
//	               command sees (NO_COLOR, …)
//	tty            optional: when present, standard output is a terminal
//	               (in-process only: the subprocess run skips the case)
//	cwd            optional: the working directory, relative to the case
//	               directory (default: the case directory itself)
//	stdout.golden  expected standard output (absent: empty)
//	stderr.golden  expected standard error (absent: empty)
//	stdout.re      instead of stdout.golden: a regular expression that must
//	stderr.re      match the whole output ((?s) is implied)
//	exitcode       expected exit status
//	out/           expected files written under $OUT (see below): out/NAME
//	               exactly, or out/NAME.re, a regular expression
//	in/            optional: files copied into $OUT before the run, for
//	               commands that rewrite their input (--fix); out/ then
//	               holds what they must contain afterwards
//
// and the input files. In args, $OUT stands for a fresh empty directory
// (for --output FORMAT=FILE); every file the command writes there is
// compared with out/<name>. In all outputs, $OUT, the working directory and
// the repository's root are replaced by "$OUT", "$CWD" and "$REPO" (also
// in file: URIs), SARIF's versionControlProvenance is left out, and the
// version is always e2eVersion, so that goldens do not depend on the
// machine or the checkout.
//
// `go test ./internal/e2e -update` rewrites the golden files, out/ and
// exitcode (never the .re files) from the in-process run; check the diff by
// eye before committing it.
package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/render/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/cli from the in-process run")

// casesDir holds the cases, relative to this package.
const casesDir = "../../testdata/cli"

// moduleRoot is the module root, absolute, read before any test changes
// the working directory.
var moduleRoot, _ = filepath.Abs("../..")

// repoRoot is the module root, absolute.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

type testCase struct {
	name  string
	dir   string // absolute
	args  []string
	stdin []byte // nil: no stdin file
	env   map[string]string
	tty   bool
	cwd   string // absolute
}

type result struct {
	stdout, stderr string
	code           int
	files          map[string]string // written under $OUT, by name
}

// e2eVersion is the version both runs report (cli.Version in-process, and
// -ldflags -X for the binary).
const e2eVersion = "v0.0.0-e2e"

// expandArgs replaces $OUT in the case's args.
func expandArgs(args []string, out string) []string {
	expanded := make([]string, len(args))
	for i, a := range args {
		expanded[i] = strings.ReplaceAll(a, "$OUT", out)
	}
	return expanded
}

// vcsProvenance is SARIF's versionControlProvenance, which depends on the
// checkout the tests run in (its remote, commit and branch): left out of
// the goldens, and tested on a repository of its own (TestSARIFRepository).
var vcsProvenance = regexp.MustCompile(`(?s),\n\s*"versionControlProvenance": \[\n.*?\n      \]`)

// finish reads the files under out and normalizes every output.
func finish(t *testing.T, res result, out, cwd string) result {
	t.Helper()
	repo := moduleRoot
	norm := func(s string) string {
		// The case directory is inside the repository: it goes first.
		for _, r := range []struct{ path, name string }{{out, "$OUT"}, {cwd, "$CWD"}, {repo, "$REPO"}} {
			s = strings.ReplaceAll(s, "file://"+filepath.ToSlash(r.path), "file://"+r.name)
			s = strings.ReplaceAll(s, r.path, r.name)
		}
		return vcsProvenance.ReplaceAllString(s, "")
	}
	res.stdout, res.stderr = norm(res.stdout), norm(res.stderr)
	res.files = map[string]string{}
	for name, data := range readTree(t, out) {
		res.files[name] = norm(data)
	}
	return res
}

// readTree reads the files under dir, by slash-separated path below it.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func loadCases(t *testing.T) []*testCase {
	t.Helper()
	abs, err := filepath.Abs(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*testCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := loadCase(filepath.Join(abs, e.Name()))
		if err != nil {
			t.Fatalf("case %s: %v", e.Name(), err)
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		t.Fatal("no cases in " + abs)
	}
	return cases
}

func loadCase(dir string) (*testCase, error) {
	c := &testCase{name: filepath.Base(dir), dir: dir, cwd: dir, env: map[string]string{}}
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		return nil, err
	}
	if c.args, err = splitWords(string(args)); err != nil {
		return nil, fmt.Errorf("args: %w", err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "stdin")); err == nil {
		c.stdin = data
	}
	if data, err := os.ReadFile(filepath.Join(dir, "env")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, fmt.Errorf("env: %q is not NAME=value", line)
			}
			c.env[k] = v
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tty")); err == nil {
		c.tty = true
	}
	if data, err := os.ReadFile(filepath.Join(dir, "cwd")); err == nil {
		c.cwd = filepath.Join(dir, strings.TrimSpace(string(data)))
	}
	return c, nil
}

// splitWords splits s into words like a shell: blanks separate words,
// single and double quotes group (no escapes), lines starting with # are
// comments.
func splitWords(s string) ([]string, error) {
	var words []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		var cur strings.Builder
		inWord := false
		var quote rune
		for _, r := range line {
			switch {
			case quote != 0:
				if r == quote {
					quote = 0
				} else {
					cur.WriteRune(r)
				}
			case r == '\'' || r == '"':
				quote, inWord = r, true
			case r == ' ' || r == '\t' || r == '\r':
				if inWord {
					words = append(words, cur.String())
					cur.Reset()
					inWord = false
				}
			default:
				cur.WriteRune(r)
				inWord = true
			}
		}
		if quote != 0 {
			return nil, fmt.Errorf("unterminated quote in %q", line)
		}
		if inWord {
			words = append(words, cur.String())
		}
	}
	return words, nil
}

// runInProcess runs the case through cli.Command in this process, in the
// case's working directory.
func runInProcess(t *testing.T, c *testCase) result {
	t.Helper()
	t.Chdir(c.cwd)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd := &cli.Command{
		Stdin:            bytes.NewReader(c.stdin),
		Stdout:           &stdout,
		Stderr:           &stderr,
		Getenv:           func(k string) string { return c.env[k] },
		StdoutIsTerminal: c.tty,
		Dir:              ".",
		Renderer:         engine.New(),
	}
	copyInputs(t, c, out)
	code := cmd.Main(append([]string{"dapilint"}, expandArgs(c.args, out)...))
	return finish(t, result{stdout: stdout.String(), stderr: stderr.String(), code: code}, out, c.cwd)
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// TestMain removes the binary built for the subprocess tests and the
// snapshot release.
func TestMain(m *testing.M) {
	cli.Version = e2eVersion
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	if snapDir != "" {
		os.RemoveAll(snapDir)
	}
	os.Exit(code)
}

// dapilintBinary builds cmd/dapilint, and cmd/dapilint-render beside it,
// once per test process and returns dapilint's path.
func dapilintBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "dapilint-e2e-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "dapilint")
		cmd := exec.Command("go", "build", "-o", binPath,
			"-ldflags", "-X github.com/dapilint/dapilint/internal/cli.Version="+e2eVersion, "./cmd/dapilint")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		cmd = exec.Command("go", "build", "-o", filepath.Join(binDir, render.BinaryName), "./cmd/dapilint-render")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// runSubprocess runs the case with the built binary: a real process, real
// stdin and exit status, and only the case's environment.
func runSubprocess(t *testing.T, bin string, c *testCase) result {
	t.Helper()
	out := t.TempDir()
	copyInputs(t, c, out)
	cmd := exec.Command(bin, expandArgs(c.args, out)...)
	cmd.Args[0] = "dapilint"
	cmd.Dir = c.cwd
	cmd.Env = []string{}
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if c.stdin != nil {
		cmd.Stdin = bytes.NewReader(c.stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running %s: %v", bin, err)
		}
		code = ee.ExitCode()
	}
	return finish(t, result{stdout: stdout.String(), stderr: stderr.String(), code: code}, out, c.cwd)
}

// copyInputs copies the case's in/ files into out, keeping their modes.
func copyInputs(t *testing.T, c *testCase, out string) {
	t.Helper()
	dir := filepath.Join(c.dir, "in")
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// check compares res with the case's expectations.
func check(t *testing.T, c *testCase, res result) {
	t.Helper()
	checkStream(t, c, "stdout", res.stdout)
	checkStream(t, c, "stderr", res.stderr)
	checkFiles(t, c, res.files)
	data, err := os.ReadFile(filepath.Join(c.dir, "exitcode"))
	if err != nil {
		t.Errorf("exitcode: %v (run with -update to create it)", err)
		return
	}
	want, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("exitcode: %v", err)
	}
	if res.code != want {
		t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, want, res.stdout, res.stderr)
	}
}

func checkStream(t *testing.T, c *testCase, stream, got string) {
	t.Helper()
	if re, err := os.ReadFile(filepath.Join(c.dir, stream+".re")); err == nil {
		rx, err := regexp.Compile(`(?s)\A(?:` + strings.TrimSuffix(string(re), "\n") + `)\z`)
		if err != nil {
			t.Fatalf("%s.re: %v", stream, err)
		}
		if !rx.MatchString(got) {
			t.Errorf("%s does not match %s.re:\n%s", stream, stream, got)
		}
		return
	}
	want, err := os.ReadFile(filepath.Join(c.dir, stream+".golden"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s.golden (go test ./internal/e2e -update rewrites it):\n%s",
			stream, stream, diff(string(want), got))
	}
}

// checkFiles compares the files written under $OUT with out/.
func checkFiles(t *testing.T, c *testCase, got map[string]string) {
	t.Helper()
	want := map[string]bool{}
	for file, data := range readTree(t, filepath.Join(c.dir, "out")) {
		name, isRE := strings.CutSuffix(file, ".re")
		want[name] = true
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("$OUT/%s was not written", name)
		case isRE:
			rx, err := regexp.Compile(`(?s)\A(?:` + strings.TrimSuffix(string(data), "\n") + `)\z`)
			if err != nil {
				t.Fatalf("out/%s: %v", file, err)
			}
			if !rx.MatchString(g) {
				t.Errorf("$OUT/%s does not match out/%s:\n%s", name, file, g)
			}
		case g != string(data):
			t.Errorf("$OUT/%s differs from out/%s (-update rewrites it):\n%s", name, name, diff(string(data), g))
		}
	}
	for name := range got {
		if !want[name] {
			t.Errorf("$OUT/%s written but not expected (no out/%s)", name, name)
		}
	}
}

// writeGoldens rewrites the case's golden files from res.
func writeGoldens(t *testing.T, c *testCase, res result) {
	t.Helper()
	for _, s := range []struct{ stream, got string }{{"stdout", res.stdout}, {"stderr", res.stderr}} {
		if _, err := os.Stat(filepath.Join(c.dir, s.stream+".re")); err == nil {
			continue
		}
		path := filepath.Join(c.dir, s.stream+".golden")
		if s.got == "" {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(path, []byte(s.got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(c.dir, "exitcode"), []byte(strconv.Itoa(res.code)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(c.dir, "out")
	for name, data := range res.files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if _, err := os.Stat(path + ".re"); err == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// diff is a small line diff: "-" lines are wanted, "+" lines are got.
func diff(want, got string) string {
	w, g := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	// Longest common subsequence, fine for golden-sized outputs.
	n, m := len(w), len(g)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	emit := func(prefix, s string) {
		if s == "" {
			return
		}
		if !strings.HasSuffix(s, "\n") {
			s += "⏎ (no newline at end)\n"
		}
		b.WriteString(prefix + s)
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && w[i] == g[j]:
			emit("  ", w[i])
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			emit("+ ", g[j])
			j++
		default:
			emit("- ", w[i])
			i++
		}
	}
	return b.String()
}

// TestCLI runs every case in-process.
func TestCLI(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			res := runInProcess(t, c)
			if *update {
				writeGoldens(t, c, res)
			}
			check(t, c, res)
		})
	}
}

// TestBinary runs the cases again with the real binary in a subprocess
// (except the ones that need a terminal), against the same expectations.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := dapilintBinary(t)
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if c.tty {
				t.Skip("needs a terminal")
			}
			t.Parallel()
			check(t, c, runSubprocess(t, bin, c))
		})
	}
}

func TestSplitWords(t *testing.T) {
	got, err := splitWords("# comment\nlint --stdin-filename 'deploy/a b.yaml' \"-\"\n  --no-color\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"lint", "--stdin-filename", "deploy/a b.yaml", "-", "--no-color"}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(got) != len(want) {
		t.Errorf("splitWords = %q, want %q", got, want)
	}
	if _, err := splitWords("lint 'x"); err == nil {
		t.Error("unterminated quote accepted")
	}
}
