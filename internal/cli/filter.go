package cli

import (
	"os"
	"path/filepath"

	"github.com/dapilint/dapilint/internal/pathglob"
)

// pathFilter decides which files a run lints, beyond what was named: the
// configuration's exclude globs (for every file, named or found by a
// walk), and the repository's .gitignore files (for what a directory walk
// finds, unless turned off).
type pathFilter struct {
	cfg *fileConfig
	git *pathglob.GitIgnore // nil: .gitignore is not read
}

// newPathFilter sets up the filter for a run in the working directory wd.
func newPathFilter(cfg *fileConfig, wd string, respectGitignore bool) *pathFilter {
	f := &pathFilter{cfg: cfg}
	if respectGitignore {
		if root := repoRootOf(wd); root != "" {
			f.git = pathglob.NewGitIgnore(filepath.ToSlash(root), os.ReadFile)
		}
	}
	return f
}

// skipNamed says whether a file named on the command line is left out.
func (f *pathFilter) skipNamed(abs string) bool {
	return f.cfg.excluded(abs, false)
}

// skipFound says whether a file or directory that a walk found is left
// out. The walk skips what is inside a directory left out, so only the
// entry itself is matched.
func (f *pathFilter) skipFound(abs string, isDir bool) bool {
	if f.cfg.excluded(abs, isDir) {
		return true
	}
	if f.git == nil {
		return false
	}
	rel, err := filepath.Rel(filepath.FromSlash(f.git.Root()), abs)
	if err != nil || rel == "." || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return false
	}
	return f.git.Ignored(filepath.ToSlash(rel), isDir)
}
