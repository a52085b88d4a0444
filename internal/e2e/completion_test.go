package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completionEnv runs shells with the built binary first on PATH, as an
// installed dapilint would be, and returns the environment and the
// directory holding the three completion scripts it printed.
func completionEnv(t *testing.T) ([]string, string) {
	t.Helper()
	bin := dapilintBinary(t)
	env := append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, err := exec.Command(bin, "completion", shell).Output()
		if err != nil {
			t.Fatalf("dapilint completion %s: %v", shell, err)
		}
		if err := os.WriteFile(filepath.Join(dir, shell), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return env, dir
}

// completionCases are command lines (the cursor at the end) and what must
// be offered there; nil means nothing (the shell then completes paths).
var completionCases = []struct {
	line string
	want []string
}{
	{"dapilint ", []string{"completion", "explain", "lint", "rules", "version"}},
	{"dapilint li", []string{"lint"}},
	{"dapilint lint --fail", []string{"--fail-level"}},
	{"dapilint lint --no-c", []string{"--no-color"}},
	{"dapilint completion ", []string{"bash", "fish", "zsh"}},
	// After --, urfave/cli would lint a file named --generate-bash-completion.
	{"dapilint lint -- ", nil},
}

func TestCompletionBash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bash := requireTool(t, "BASH", "bash")
	env, dir := completionEnv(t)
	for _, c := range completionCases {
		// COMP_WORDS and COMP_CWORD as bash sets them for the line.
		script := `source "$1"
read -ra COMP_WORDS <<<"$2"
[[ $2 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_dapilint
complete -p dapilint >&2
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, "--noprofile", "--norc", "-c", script, "bash", filepath.Join(dir, "bash"), c.line)
		cmd.Env = env
		checkCompletion(t, "bash", c.line, cmd, c.want)
	}
}

func TestCompletionZsh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	zsh := requireTool(t, "ZSH", "zsh")
	env, dir := completionEnv(t)
	for _, c := range completionCases {
		// compadd and _files belong to the completion system, which needs
		// a terminal: stand-ins print what would be offered. compadd
		// filters by prefix itself, so the stand-in does too.
		script := `compadd() { [[ $1 == -a ]] && print -rl -- ${(M)${(P)2}:#${words[CURRENT]}*} }
_files() { }
source "$1"
words=(${(z)2})
[[ $2 == *" " ]] && words+=("")
CURRENT=${#words}
_dapilint`
		cmd := exec.Command(zsh, "-f", "-c", script, "zsh", filepath.Join(dir, "zsh"), c.line)
		cmd.Env = env
		checkCompletion(t, "zsh", c.line, cmd, c.want)
	}
}

func TestCompletionFish(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	fish := requireTool(t, "FISH", "fish")
	env, dir := completionEnv(t)
	for _, c := range completionCases {
		if strings.Contains(c.line, " -- ") {
			continue // the fish script is static: it runs nothing
		}
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C"$argv[2]"`,
			filepath.Join(dir, "fish"), c.line)
		cmd.Env = env
		// Where it offers paths, there are none to offer.
		cmd.Dir = t.TempDir()
		checkCompletion(t, "fish", c.line, cmd, c.want)
	}
}

func checkCompletion(t *testing.T, shell, line string, cmd *exec.Cmd, want []string) {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("%s %q: %v\n%s", shell, line, err, stderr.String())
		return
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// fish prints a description after a tab.
		if l, _, _ = strings.Cut(l, "\t"); l != "" {
			got = append(got, l)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s completes %q to %q, want %q\n%s", shell, line, got, want, stderr.String())
	}
}
