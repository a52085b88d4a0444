package pathglob

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCompile(t *testing.T) {
	for _, c := range []struct {
		pattern string
		path    string
		isDir   bool
		want    bool
	}{
		{"*.json", "a.json", false, true},
		{"*.json", "x/y/a.json", false, true},
		{"*.json", "a.yaml", false, false},
		{"/a.json", "a.json", false, true},
		{"/a.json", "x/a.json", false, false},
		{"charts/*/templates/", "charts/web/templates", true, true},
		{"charts/*/templates/", "charts/web/templates", false, false},
		{"charts/*/templates/", "x/charts/web/templates", true, false},
		{"**/templates/**", "a/b/templates/x.yaml", false, true},
		{"**/templates/**", "templates/x.yaml", false, true},
		{"**/templates/**", "templates", true, false},
		{"a/**/b.yaml", "a/b.yaml", false, true},
		{"a/**/b.yaml", "a/x/y/b.yaml", false, true},
		{"generated", "x/generated", true, true},
		{"gen?rated", "x/generated", true, true},
		{"[a-c]*.yaml", "b1.yaml", false, true},
		{"[!a-c]*.yaml", "b1.yaml", false, false},
		{`\#x`, "#x", false, true},
		{"a**b", "axxb", false, true},
		{"a**b", "ax/xb", false, false},
	} {
		p, ok, err := Compile(c.pattern, false)
		if !ok || err != nil {
			t.Errorf("Compile(%q): %v %v", c.pattern, ok, err)
			continue
		}
		if got := (Matcher{{Patterns: []Pattern{p}}}).Excluded(c.path, c.isDir); got != c.want {
			t.Errorf("%q on %q (dir %v): %v, want %v", c.pattern, c.path, c.isDir, got, c.want)
		}
	}
}

// TestAgainstGit compares GitIgnore with git itself on a tree of files
// and nested .gitignore files: what `git ls-files --others --ignored
// --exclude-standard` lists must be exactly what GitIgnore ignores.
func TestAgainstGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
			t.Fatal("git not found")
		}
		t.Skip("git not found")
	}
	root := t.TempDir()
	files := map[string]string{
		".gitignore": strings.Join([]string{
			"# generated output", "*.tmp.yaml", "/build/", "dist", "!dist/keep.yaml",
			"**/rendered/**", "charts/*/templates/", "secret?.yaml", "[Bb]ackup*", `\#hash.yaml`,
			"trailing.yaml   ", "docs/**/out.json", "!important.tmp.yaml",
		}, "\n"),
		"app/.gitignore":          "local.yaml\n/only-here.yaml\n!../x\nsub/\n",
		".git/info/exclude":       "excluded-by-info.yaml\n",
		"a.yaml":                  "",
		"a.tmp.yaml":              "",
		"important.tmp.yaml":      "",
		"build/x.yaml":            "",
		"app/build/x.yaml":        "",
		"dist/keep.yaml":          "",
		"dist/other.yaml":         "",
		"app/dist":                "",
		"x/rendered/y/z.yaml":     "",
		"x/rendered.yaml":         "",
		"charts/web/templates/a":  "",
		"charts/web/values.yaml":  "",
		"charts/templates/a":      "",
		"secret1.yaml":            "",
		"secret12.yaml":           "",
		"Backup.yaml":             "",
		"app/backup-1.yaml":       "",
		"#hash.yaml":              "",
		"trailing.yaml":           "",
		"docs/out.json":           "",
		"docs/a/b/out.json":       "",
		"app/local.yaml":          "",
		"local.yaml":              "",
		"app/only-here.yaml":      "",
		"app/deep/only-here.yaml": "",
		"app/sub/a.yaml":          "",
		"app/sub":                 "",
		"sub/a.yaml":              "",
		"excluded-by-info.yaml":   "",
	}
	// app/sub is both a file and a directory above: keep the directory.
	delete(files, "app/sub")
	for name, data := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(git, "init", "-q", ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	// git init does not overwrite an existing info/exclude; check it is ours.
	if data, _ := os.ReadFile(filepath.Join(root, ".git/info/exclude")); !strings.Contains(string(data), "excluded-by-info") {
		t.Fatalf("info/exclude: %q", data)
	}
	cmd = exec.Command(git, "-c", "core.excludesFile=/dev/null", "ls-files", "--others", "--ignored", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))
	slices.Sort(want)

	if got := ignoredByWalk(t, root); !slices.Equal(got, want) {
		t.Errorf("ignored files differ from git's\n got: %q\nwant: %q", got, want)
	}
	if len(want) < 15 {
		t.Errorf("git ignores only %d files: the tree does not exercise much", len(want))
	}

	// Tracked files are never ignored, even in an ignored directory; the
	// untracked files beside them still are. Checked with each index
	// version.
	for _, name := range []string{"build/y.yaml", "dist/z.yaml"} {
		if err := os.WriteFile(filepath.Join(root, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-c", "core.excludesFile=/dev/null"}, args...)...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return string(out)
	}
	gitRun("add", "-f", "build/x.yaml", "dist/other.yaml", "a.tmp.yaml", "app/sub/a.yaml")
	for _, version := range []string{"2", "3", "4"} {
		gitRun("update-index", "--index-version", version)
		want := strings.Fields(gitRun("ls-files", "--others", "--ignored", "--exclude-standard"))
		slices.Sort(want)
		if got := ignoredByWalk(t, root); !slices.Equal(got, want) {
			t.Errorf("index version %s: ignored files differ from git's\n got: %q\nwant: %q", version, got, want)
		}
		tracked := strings.Fields(gitRun("ls-files"))
		data, err := os.ReadFile(filepath.Join(root, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		paths, err := parseIndex(data)
		if err != nil || !slices.Equal(paths, tracked) {
			t.Errorf("index version %s: parseIndex = %q, %v; git ls-files: %q", version, paths, err, tracked)
		}
	}
}

// ignoredByWalk walks root as dapilint does (skipping ignored directories)
// and returns the files GitIgnore ignores, counting those inside an
// ignored directory as git does.
func ignoredByWalk(t *testing.T, root string) []string {
	t.Helper()
	g := NewGitIgnore(filepath.ToSlash(root), os.ReadFile)
	var got []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if rel == ".git" {
			return fs.SkipDir
		}
		if d.IsDir() {
			if g.Ignored(rel, true) {
				filepath.WalkDir(path, func(p string, d fs.DirEntry, _ error) error {
					if !d.IsDir() {
						r, _ := filepath.Rel(root, p)
						got = append(got, filepath.ToSlash(r))
					}
					return nil
				})
				return fs.SkipDir
			}
			return nil
		}
		if g.Ignored(rel, false) {
			got = append(got, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}
