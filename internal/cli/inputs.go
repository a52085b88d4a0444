package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/lint"
)

// manifestExts are the file endings a directory walk picks up.
var manifestExts = []string{".yaml", ".yml", ".json"}

func isManifest(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range manifestExts {
		if ext == e {
			return true
		}
	}
	return false
}

// collectInputs turns the command line's paths into inputs: "-" is
// standard input, a file is linted whatever its name, and a directory is
// walked recursively (in lexical order, skipping hidden directories such as
// .git) for *.yaml, *.yml and *.json. The filter leaves out excluded files
// (counted in excluded). Paths that cannot be read, and directories without
// manifests, are returned as errors; the other paths are still linted.
func (c *Command) collectInputs(paths []string, stdinName string, filter *pathFilter) (inputs []lint.Input, excluded int, errs []error) {
	stdinUsed := false
	for _, p := range paths {
		if p == "-" {
			if stdinUsed {
				errs = append(errs, fmt.Errorf("standard input (-) named more than once"))
				continue
			}
			stdinUsed = true
			data, err := io.ReadAll(c.Stdin)
			if err != nil {
				errs = append(errs, fmt.Errorf("cannot read standard input: %w", err))
				continue
			}
			inputs = append(inputs, lint.Input{Name: stdinName, Path: c.resolve(stdinName), Data: data})
			continue
		}
		root := c.resolve(p)
		info, err := os.Stat(root)
		if err != nil {
			errs = append(errs, &inputError{p, fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))})
			continue
		}
		if !info.IsDir() {
			if filter.skipNamed(absPath(root)) {
				excluded++
				continue
			}
			inputs = append(inputs, lint.Input{Name: p, Path: root})
			continue
		}
		found, skipped := 0, 0
		skip := filter.walk(absPath(root))
		err = filepath.WalkDir(root, func(full string, d fs.DirEntry, err error) error {
			// Findings name files by the path as given plus the part below it.
			rel, _ := filepath.Rel(root, full)
			path := filepath.Join(p, rel)
			if err != nil {
				errs = append(errs, &inputError{path, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if full != root && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				if full != root && skip(absPath(full), true) {
					skipped++
					return fs.SkipDir
				}
				return nil
			}
			if isManifest(d.Name()) && d.Type().IsRegular() {
				if skip(absPath(full), false) {
					skipped++
					return nil
				}
				inputs = append(inputs, lint.Input{Name: path, Path: full})
				found++
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		excluded += skipped
		if found == 0 && skipped == 0 {
			errs = append(errs, &inputError{p, fmt.Errorf("no manifests (*.yaml, *.yml, *.json) found in %s", p)})
		}
	}
	return inputs, excluded, errs
}

// absPath is p made absolute (p itself when that fails).
func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// resolve makes a relative path relative to the command's Dir, when set.
func (c *Command) resolve(p string) string {
	if c.Dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// inputError is an input that cannot be linted, with its path (machine
// formats report it).
type inputError struct {
	path string
	err  error
}

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
