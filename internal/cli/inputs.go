package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/sourcemap"
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
// standard input; a file is linted whatever its name, unless it belongs to
// a chart or a kustomization, which is then linted instead; a directory is
// walked (see walk). The filter leaves out excluded files (counted in
// excluded). Paths that cannot be read, and directories without manifests,
// are returned as errors; the other paths are still linted.
func (c *Command) collectInputs(paths []string, stdinName string, ho helmOptions, filter *pathFilter) (inputs []lint.Input, excluded int, errs []error) {
	stdinUsed := false
	// A chart or kustomization reached through a file named in it and by
	// a walk is one input.
	owners := newOwners()
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
			inputs = append(inputs, c.streamInput(stdinName, data))
			continue
		}
		root := c.resolve(p)
		info, err := os.Stat(root)
		if err != nil && isGlob(p) && errors.Is(err, fs.ErrNotExist) {
			found, skipped, globErrs := c.globInputs(p, ho, filter, owners, &inputs)
			errs = append(errs, globErrs...)
			excluded += skipped
			if found == 0 && skipped == 0 && len(globErrs) == 0 {
				errs = append(errs, &inputError{p, fmt.Errorf("no manifests (*.yaml, *.yml, *.json), charts or kustomizations match %s", p)})
			}
			continue
		}
		if err != nil {
			errs = append(errs, &inputError{p, fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))})
			continue
		}
		if !info.IsDir() {
			if filter.skipNamed(absPath(root)) {
				c.note("%s: excluded by the configuration's exclude globs", p)
				excluded++
				continue
			}
			c.addNamedFile(p, root, ho, owners, &inputs)
			continue
		}
		found, skipped, walkErrs := c.walk(p, root, ho, filter, owners, &inputs)
		errs = append(errs, walkErrs...)
		excluded += skipped
		if found == 0 && skipped == 0 {
			errs = append(errs, &inputError{p, fmt.Errorf("no manifests (*.yaml, *.yml, *.json), charts or kustomizations found in %s", p)})
		}
	}
	return inputs, excluded, errs
}

// globInputs adds the inputs a quoted glob matches: each file as if named
// on the command line, each directory walked. It returns the number found
// and excluded.
func (c *Command) globInputs(glob string, ho helmOptions, filter *pathFilter, owners *ownerSet, inputs *[]lint.Input) (int, int, []error) {
	dir := filepath.Dir(c.resolve(glob))
	for isGlob(dir) {
		dir = filepath.Dir(dir)
	}
	matches, excluded, err := c.expandGlob(glob, filter.walk(absPath(dir)))
	if err != nil {
		return 0, excluded, []error{&inputError{glob, err}}
	}
	var errs []error
	found := 0
	for _, m := range matches {
		if m.isDir {
			n, skipped, walkErrs := c.walk(m.path, c.resolve(m.path), ho, filter, owners, inputs)
			found += n
			excluded += skipped
			errs = append(errs, walkErrs...)
			continue
		}
		found++
		c.addNamedFile(m.path, c.resolve(m.path), ho, owners, inputs)
	}
	return found, excluded, errs
}

// addNamedFile adds a file named on the command line (or matched by a
// glob): linted whatever its name, unless it belongs to a chart or a
// kustomization, which is then linted instead.
func (c *Command) addNamedFile(p, root string, ho helmOptions, owners *ownerSet, inputs *[]lint.Input) {
	if dir, kind, ok := owners.ownerOf(root); ok {
		if owners.add(dir) {
			*inputs = append(*inputs, c.ownerInput(c.relative(dir), displayFor(p, root, dir), kind, ho))
		}
		return
	}
	*inputs = append(*inputs, lint.Input{Name: p, Path: root})
}

func (c *Command) ownerInput(dir, display string, kind lint.InputKind, ho helmOptions) lint.Input {
	if kind == lint.ChartInput {
		return c.chartInput(dir, display, ho)
	}
	return c.kustomizationInput(dir, display)
}

// walk walks the directory root (named p) recursively, in lexical order,
// skipping hidden directories such as .git. A directory with Chart.yaml is
// a chart: it is rendered, and nothing in it is linted as a plain file. A
// directory with a kustomization file is built (unless it is a Component,
// built only by the kustomizations that use it); the files kustomizations
// name are linted through the build, and patches are never linted as
// objects of their own. The other *.yaml, *.yml and *.json files are
// plain manifests. The filter's excluded paths are left out. It returns the
// number of inputs found and of paths excluded.
func (c *Command) walk(p, root string, ho helmOptions, filter *pathFilter, owners *ownerSet, inputs *[]lint.Input) (int, int, []error) {
	var errs []error
	skipped := 0
	absRoot := absPath(root)
	skip := filter.walk(absRoot)
	type entry struct {
		input lint.Input
		path  string // plain files: the file, to be checked against kustomizations
	}
	var found []entry
	named := map[string]string{} // files kustomizations name → skip reason ("" = linted through the build)
	// addOwner adds a chart or kustomization once; one added already
	// (walked twice, or reached through a file named in it) still counts
	// as found.
	again := 0
	addOwner := func(dir string, input func() lint.Input) {
		if owners.add(dir) {
			found = append(found, entry{input: input()})
		} else {
			again++
		}
	}
	err := walkTree(root, func(full string, d fs.DirEntry, err error) error {
		// Findings name files by the path as given plus the part below it.
		rel, _ := filepath.Rel(root, full)
		path := filepath.Join(p, rel)
		abs := filepath.Join(absRoot, rel) // absPath(full), without a Getwd per entry
		if err == errLinkLoop {
			found = append(found, entry{input: skippedInput{path, skipLinkLoop}.input()})
			return nil
		}
		if err != nil {
			if errors.Is(err, errBrokenLink) && !isManifest(full) {
				return nil // only a manifest's name makes a broken link an error
			}
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
			if full != root && skip(abs, true) {
				c.note("%s: excluded (exclude globs or .gitignore)", path)
				skipped++
				return fs.SkipDir
			}
			switch classifyDir(full) {
			case chartDir:
				addOwner(full, func() lint.Input { return c.chartInput(full, path, ho) })
				return fs.SkipDir
			case kustomizationDir:
				k, err := sourcemap.ReadKustomization(full)
				if err != nil {
					errs = append(errs, &inputError{path, err})
					return nil
				}
				for _, r := range k.Resources {
					named[r] = ""
				}
				for _, r := range k.Inputs {
					named[r] = skipInput
				}
				for _, pt := range k.Patches {
					if pt.Path != "" {
						named[pt.Path] = skipPatch
					}
				}
				for _, p := range k.DisabledPatches {
					if _, ok := named[p]; !ok {
						named[p] = skipDisabledPatch
					}
				}
				named[k.File] = "" // the kustomization itself
				if !k.Component {
					addOwner(full, func() lint.Input { return c.kustomizationInput(full, path) })
				}
			}
			return nil
		}
		if isManifest(d.Name()) && d.Type().IsRegular() {
			if skip(abs, false) {
				c.note("%s: excluded (exclude globs or .gitignore)", path)
				skipped++
				return nil
			}
			found = append(found, entry{input: lint.Input{Name: path, Path: full}, path: full})
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	for _, e := range found {
		if e.path != "" {
			if reason, ok := named[e.path]; ok {
				if reason != "" {
					*inputs = append(*inputs, skippedInput{e.input.Name, reason}.input())
				}
				continue
			}
		}
		*inputs = append(*inputs, e.input)
	}
	return len(found) + again, skipped, errs
}

type dirKind uint8

const (
	plainDir dirKind = iota
	chartDir
	kustomizationDir
)

// classifyDir says what a directory of a walk is.
func classifyDir(dir string) dirKind {
	if isChartDir(dir) {
		return chartDir
	}
	if render.FindKustomization(dir) != "" {
		return kustomizationDir
	}
	return plainDir
}

// relative turns an absolute path back into one relative to the
// command's Dir when that is how paths are being resolved.
func (c *Command) relative(abs string) string {
	base := c.Dir
	if base == "" {
		base = "."
	}
	baseAbs, err := filepath.Abs(base)
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(baseAbs, abs)
	if err != nil {
		return abs
	}
	return filepath.Join(base, rel)
}

// absPath is p made absolute (p itself when that fails).
func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// relInside is abs relative to dir, with slashes, when abs is dir (".")
// or inside it.
func relInside(dir, abs string) (string, bool) {
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
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
