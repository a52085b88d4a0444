package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// completionScript writes dapilint completion SHELL to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	r := run(t, nil, false, "completion", shell)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("completion %s: exit %d: %s", shell, r.code, r.stderr)
	}
	path := filepath.Join(t.TempDir(), "dapilint."+shell)
	if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func shellOrSkip(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed", name)
	}
	return path
}

// TestBashCompletion runs the bash script's completion function as bash
// would on Tab, and checks what it offers.
func TestBashCompletion(t *testing.T) {
	bash := shellOrSkip(t, "bash")
	script := completionScript(t, "bash")
	dir := t.TempDir()
	for _, name := range []string{"web.yaml", "web.json", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		line string // the words typed; the last one is being completed
		want []string
		not  []string
	}{
		{"dapilint l", []string{"lint"}, []string{"rules"}},
		{"dapilint ", []string{"lint", "rules", "explain", "version", "completion", "help"}, nil},
		{"dapilint lint --for", []string{"--format"}, nil},
		{"dapilint lint --format ", []string{"text", "json", "sarif", "github"}, nil},
		{"dapilint lint -f s", []string{"sarif"}, []string{"text"}},
		{"dapilint lint --fail-level w", []string{"warning"}, nil},
		{"dapilint lint --color ", []string{"auto", "always", "never"}, nil},
		{"dapilint lint --enable DA21", []string{"DA210", "DA215"}, []string{"DA101"}},
		{"dapilint lint --disable limit", []string{"limit-not-set"}, nil},
		{"dapilint lint deploy/ --st", []string{"--statistics", "--stdin-filename"}, nil},
		{"dapilint lint we", []string{"web.yaml", "web.json"}, nil},
		{"dapilint explain DA10", []string{"DA101", "DA109"}, []string{"DA201"}},
		{"dapilint completion ", []string{"bash", "zsh", "fish"}, nil},
	} {
		words := strings.Split(c.line, " ")
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+w+"'")
		}
		prog := "source " + script + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\n_dapilint\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", c.line, err, out)
		}
		got := strings.Fields(string(out))
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %v lacks %s", c.line, got, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: %v offers %s", c.line, got, w)
			}
		}
	}
}

// TestFishCompletion asks fish itself what it would complete.
func TestFishCompletion(t *testing.T) {
	fish := shellOrSkip(t, "fish")
	script := completionScript(t, "fish")
	for _, c := range []struct {
		line string
		want []string
	}{
		{"dapilint ", []string{"lint", "explain", "completion"}},
		{"dapilint lint --format ", []string{"text", "json", "sarif", "github"}},
		{"dapilint lint --col", []string{"--color"}},
		{"dapilint lint --color ", []string{"auto", "always", "never"}},
		{"dapilint explain DA20", []string{"DA201", "DA209"}},
	} {
		cmd := exec.Command(fish, "--no-config", "-c", "source "+script+"; complete -C '"+c.line+"'")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", c.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(string(out), "\n") {
			if f := strings.Fields(l); len(f) > 0 {
				got = append(got, f[0])
			}
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %v lacks %s", c.line, got, w)
			}
		}
	}
}

// TestZshCompletionParses: zsh reads the script (its completion system
// cannot run outside an interactive shell).
func TestZshCompletionParses(t *testing.T) {
	zsh := shellOrSkip(t, "zsh")
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	data, _ := os.ReadFile(script)
	for _, want := range []string{"#compdef dapilint", "'(-f --format)'{-f,--format}'[FORMAT of standard output]:format:(text json sarif github)'", "'*:path:_files'"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the zsh script lacks %s", want)
		}
	}
}
