package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/internal/pathglob"
)

// errLinkLoop is reported for a symbolic link to a directory that is being
// walked already, or to one above it (it would be walked for ever).
var errLinkLoop = errors.New("symbolic link back to a directory being walked: not followed")

// errBrokenLink wraps the error of a symbolic link whose target cannot be
// read.
var errBrokenLink = errors.New("broken symbolic link")

// walkTree walks the tree at root like filepath.WalkDir, in lexical
// order, but follows symbolic links, as kubectl reads a linked file: a link
// to a file is that file, and a link to a directory is walked, unless it
// leads back to a directory being walked or above one, which fn receives
// with errLinkLoop. The entries fn receives for links describe their targets.
func walkTree(root string, fn fs.WalkDirFunc) error {
	info, err := os.Stat(root)
	if err != nil {
		return fn(root, nil, err)
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fn(root, nil, err)
	}
	if real, err = filepath.Abs(real); err != nil {
		return fn(root, nil, err)
	}
	err = walkEntry(root, real, fs.FileInfoToDirEntry(info), map[string]bool{}, fn)
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

// walkEntry calls fn for path (whose real path, links resolved, is real)
// and, for a directory, for what is inside. active holds the real paths
// of the directories being walked.
func walkEntry(path, real string, d fs.DirEntry, active map[string]bool, fn fs.WalkDirFunc) error {
	if !d.IsDir() {
		return fn(path, d, nil)
	}
	for a := range active {
		if a == real || strings.HasPrefix(a, real+string(filepath.Separator)) || real == string(filepath.Separator) {
			return fn(path, d, errLinkLoop)
		}
	}
	if err := fn(path, d, nil); err != nil {
		return err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		if err := fn(path, d, err); err != nil && err != fs.SkipDir {
			return err
		}
		return nil
	}
	active[real] = true
	defer delete(active, real)
	for _, e := range entries {
		p := filepath.Join(path, e.Name())
		r := filepath.Join(real, e.Name())
		if e.Type()&fs.ModeSymlink != 0 {
			info, err := os.Stat(p)
			if err == nil {
				r, err = filepath.EvalSymlinks(p)
			}
			if err != nil {
				if err := fn(p, e, fmt.Errorf("%w: %w", errBrokenLink, unwrapPathError(err))); err != nil && err != fs.SkipDir {
					return err
				}
				continue
			}
			e = fs.FileInfoToDirEntry(info)
		}
		if err := walkEntry(p, r, e, active, fn); err != nil {
			if err == fs.SkipDir {
				continue
			}
			return err
		}
	}
	return nil
}

// isGlob reports whether a path given on the command line is a glob: it
// has *, ? or [. A shell expands an unquoted one; the Action and scripts
// pass them quoted.
func isGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// globMatch is a file or directory a glob matched.
type globMatch struct {
	path  string // the name to report: the glob's directory joined with the path below it
	isDir bool
}

// expandGlob finds what a glob matches: gitignore-style, so "*" stays in
// one directory and "**" spans any number, relative to the directory its
// leading plain part names ("deploy/**/*.yaml" looks in deploy). Matched
// directories are returned whole; matched files only when they are
// manifests (*.yaml, *.yml, *.json). Hidden directories are not entered,
// unless the glob names them, and skip (the walk's filter) leaves out
// excluded and ignored paths, counted in excluded.
func (c *Command) expandGlob(glob string, skip func(abs string, isDir bool) bool) (matches []globMatch, excluded int, err error) {
	parts := strings.Split(filepath.ToSlash(glob), "/")
	i := 0
	for i < len(parts)-1 && !isGlob(parts[i]) {
		i++
	}
	base := strings.Join(parts[:i], "/")
	if base == "" && strings.HasPrefix(glob, "/") {
		base = "/"
	}
	rest := strings.Join(parts[i:], "/")
	pat, ok, err := pathglob.Compile("/"+rest, false)
	if err != nil || !ok {
		return nil, 0, fmt.Errorf("invalid glob %q", glob)
	}
	dotted := strings.Contains(rest, "/.") || strings.HasPrefix(rest, ".")
	// Without "**", nothing deeper than the glob's own depth can match.
	depth := -1
	if !strings.Contains(rest, "**") {
		depth = strings.Count(rest, "/") + 1
	}
	dir := filepath.FromSlash(base)
	if dir == "" {
		dir = "."
	}
	root := c.resolve(dir)
	err = walkTree(root, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && full == root {
				return fs.SkipAll // no match, said below
			}
			return nil // what cannot be read matches nothing
		}
		if full == root {
			return nil
		}
		rel, _ := filepath.Rel(root, full)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && !dotted || depth >= 0 && strings.Count(rel, "/")+1 > depth) {
			return fs.SkipDir
		}
		if !pat.Match(rel, d.IsDir()) {
			return nil
		}
		if skip(absPath(full), d.IsDir()) {
			excluded++
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			matches = append(matches, globMatch{path: name, isDir: true})
			return fs.SkipDir
		}
		if isManifest(d.Name()) {
			matches = append(matches, globMatch{path: name})
		}
		return nil
	})
	return matches, excluded, err
}
