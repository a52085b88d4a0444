package cli

import (
	"os"
	"path/filepath"

	"github.com/dapilint/dapilint/internal/pathglob"
)

// pathFilter decides which files a run lints, beyond what was named: the
// configuration's exclude globs (for every file, named or found by a
// walk), and the .gitignore files of the repository a walked directory is
// in (for what the walk finds, unless turned off).
type pathFilter struct {
	cfg       *fileConfig
	gitignore bool
	repos     map[string]*pathglob.GitIgnore // by repository root
}

func newPathFilter(cfg *fileConfig, respectGitignore bool) *pathFilter {
	return &pathFilter{cfg: cfg, gitignore: respectGitignore, repos: map[string]*pathglob.GitIgnore{}}
}

// skipNamed says whether a file named on the command line is left out.
func (f *pathFilter) skipNamed(abs string) bool {
	return f.cfg.excluded(abs, false)
}

// walk returns the filter for a walk of the directory root (absolute):
// skip says whether a file or directory the walk found is left out. The
// walk skips what is inside a directory left out, so only the entry
// itself is matched.
func (f *pathFilter) walk(root string) (skip func(abs string, isDir bool) bool) {
	var git *pathglob.GitIgnore
	var repo string
	if f.gitignore {
		if repo = repoRootOf(root); repo != "" {
			if git = f.repos[repo]; git == nil {
				git = pathglob.NewGitIgnore(filepath.ToSlash(repo), os.ReadFile)
				f.repos[repo] = git
			}
		}
	}
	return func(abs string, isDir bool) bool {
		if f.cfg.excluded(abs, isDir) {
			return true
		}
		if git == nil {
			return false
		}
		rel, ok := relInside(repo, abs)
		if !ok || rel == "." {
			return false
		}
		return git.Ignored(rel, isDir)
	}
}
