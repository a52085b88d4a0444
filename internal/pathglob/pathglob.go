// Package pathglob matches paths against gitignore-style patterns: the
// lines of a .gitignore file, and the exclude and overrides.files globs of
// dapilint's configuration, which follow the same rules
// (https://git-scm.com/docs/gitignore#_pattern_format):
//
//   - "*" matches anything but "/", "?" one character but "/", "[a-z]" a class;
//   - a leading "**/" matches in all directories, a trailing "/**" everything
//     inside, and "/**/" zero or more directories;
//   - a pattern with a "/" at its start or in its middle is relative to the
//     directory of the file it is in; one without matches at any depth;
//   - a trailing "/" matches directories only;
//   - a leading "!" re-includes what an earlier pattern excluded (but not
//     inside an excluded directory), and the last matching pattern wins.
package pathglob

import (
	"fmt"
	"regexp"
	"strings"
)

// Pattern is one compiled pattern.
type Pattern struct {
	Text    string // as written
	negate  bool
	dirOnly bool
	re      *regexp.Regexp
}

// Compile compiles one pattern. It returns ok false for a line that holds
// no pattern (blank, or a comment when inFile).
func Compile(text string, inFile bool) (p Pattern, ok bool, err error) {
	p.Text = text
	s := text
	if inFile {
		s = strings.TrimSuffix(s, "\r")
		if strings.HasPrefix(s, "#") {
			return p, false, nil
		}
		// Trailing blanks are ignored unless escaped with a backslash.
		for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\\ ") {
			s = s[:len(s)-1]
		}
	} else {
		s = strings.TrimSpace(s)
	}
	if s == "" {
		return p, false, nil
	}
	if strings.HasPrefix(s, "!") {
		p.negate, s = true, s[1:]
	} else if strings.HasPrefix(s, `\!`) || strings.HasPrefix(s, `\#`) {
		s = s[1:]
	}
	if strings.HasSuffix(s, "/") {
		p.dirOnly, s = true, strings.TrimRight(s, "/")
	}
	if s == "" {
		return p, false, fmt.Errorf("pattern %q matches nothing", text)
	}
	anchored := strings.Contains(s, "/")
	s = strings.TrimPrefix(s, "/")
	var b strings.Builder
	b.WriteString("^")
	if !anchored {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '*' && strings.HasPrefix(s[i:], "**") && (i == 0 || s[i-1] == '/') && (i+2 == len(s) || s[i+2] == '/'):
			// "**" as a whole path segment.
			switch {
			case i+2 == len(s): // "a/**": everything inside
				b.WriteString(".*")
			default: // "**/" or "a/**/b": zero or more directories
				b.WriteString("(?:.*/)?")
				i++ // the "/"
			}
			i++
		case c == '*':
			for i+1 < len(s) && s[i+1] == '*' {
				i++ // other runs of asterisks are one asterisk
			}
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := classEnd(s, i)
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := s[i+1 : end]
			b.WriteByte('[')
			if strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^") {
				b.WriteByte('^')
				class = class[1:]
			}
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(class, `\`, `\\`), "[", `\[`))
			b.WriteByte(']')
			i = end
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return p, false, fmt.Errorf("invalid pattern %q", text)
	}
	p.re = re
	return p, true, nil
}

// Match says whether the pattern matches path (slash-separated, relative
// to the pattern's directory), ignoring negation.
func (p Pattern) Match(path string, isDir bool) bool {
	return (!p.dirOnly || isDir) && p.re.MatchString(path)
}

// classEnd returns the index of the "]" that closes the class opened at
// s[i], or -1.
func classEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && (s[j] == '!' || s[j] == '^') {
		j++
	}
	if j < len(s) && s[j] == ']' {
		j++ // a leading "]" is part of the class
	}
	for ; j < len(s); j++ {
		if s[j] == ']' {
			return j
		}
	}
	return -1
}

// Set is the patterns of one file (or one configuration list), relative to
// the directory Base ("" for the root of what is matched, else a
// slash-separated path without a trailing slash).
type Set struct {
	Base     string
	Patterns []Pattern
}

// ParseFile reads a .gitignore file's contents.
func ParseFile(base, content string) Set {
	s := Set{Base: base}
	for _, line := range strings.Split(content, "\n") {
		// git skips patterns it cannot use; so does this.
		if p, ok, err := Compile(line, true); ok && err == nil {
			s.Patterns = append(s.Patterns, p)
		}
	}
	return s
}

// match says whether the set matches path (slash-separated, relative to
// the same root as Base) and, if so, whether to exclude it. The last
// matching pattern wins.
func (s Set) match(path string, isDir bool) (matched, exclude bool) {
	rel := path
	if s.Base != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(path, s.Base+"/"); !ok {
			return false, false
		}
	}
	for i := len(s.Patterns) - 1; i >= 0; i-- {
		if p := s.Patterns[i]; p.Match(rel, isDir) {
			return true, !p.negate
		}
	}
	return false, false
}

// Matcher is the sets that apply to a tree, outermost first: patterns of
// a deeper .gitignore take precedence over those above it.
type Matcher []Set

// Excluded says whether path (slash-separated, relative to the matcher's
// root) is excluded, on its own: callers that walk a tree skip excluded
// directories and so never ask about what is inside; callers that do not
// use ExcludedWithParents.
func (m Matcher) Excluded(path string, isDir bool) bool {
	for i := len(m) - 1; i >= 0; i-- {
		if matched, exclude := m[i].match(path, isDir); matched {
			return exclude
		}
	}
	return false
}

// ExcludedWithParents says whether path or any directory above it is
// excluded (a file inside an excluded directory cannot be re-included).
func (m Matcher) ExcludedWithParents(path string, isDir bool) bool {
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		if m.Excluded(strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return m.Excluded(path, isDir)
}

// GitIgnore answers whether paths in a git work tree are ignored by its
// .gitignore files (each applying to its directory and below) and
// .git/info/exclude, loading each file once, when first needed. Global
// excludes (core.excludesFile) are not read. As in git, a tracked file is
// never ignored, nor a directory that holds one (see gitindex.go); when the
// index cannot be read, the patterns alone decide.
type GitIgnore struct {
	root     string
	info     Set
	dirs     map[string]Set
	read     func(string) ([]byte, error)
	tracked  map[string]bool // files and the directories above them
	dirCache map[string]bool
}

// NewGitIgnore returns the ignore rules of the work tree at root (a
// slash-separated path), reading files with read (os.ReadFile).
func NewGitIgnore(root string, read func(string) ([]byte, error)) *GitIgnore {
	g := &GitIgnore{root: root, dirs: map[string]Set{}, read: read, dirCache: map[string]bool{}}
	if data, err := read(root + "/.git/info/exclude"); err == nil {
		g.info = ParseFile("", string(data))
	}
	if files, dirs, err := readIndex(root); err == nil {
		g.tracked = files
		for d := range dirs {
			g.tracked[d] = true
		}
	}
	return g
}

func (g *GitIgnore) dir(rel string) Set {
	if s, ok := g.dirs[rel]; ok {
		return s
	}
	path := g.root + "/.gitignore"
	if rel != "" {
		path = g.root + "/" + rel + "/.gitignore"
	}
	var s Set
	if data, err := g.read(path); err == nil {
		s = ParseFile(rel, string(data))
	}
	g.dirs[rel] = s
	return s
}

// Ignored says whether rel (slash-separated, relative to the root) is
// ignored: not tracked, and matched by the patterns, itself or through a
// directory above it.
func (g *GitIgnore) Ignored(rel string, isDir bool) bool {
	if g.tracked[rel] {
		return false
	}
	for i := strings.IndexByte(rel, '/'); i > 0; i = next(rel, i) {
		if g.dirIgnored(rel[:i]) {
			return true
		}
	}
	if isDir {
		return g.dirIgnored(rel)
	}
	return g.matcher(rel).Excluded(rel, false)
}

func next(s string, i int) int {
	if j := strings.IndexByte(s[i+1:], '/'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// dirIgnored says whether the patterns match directory rel itself.
func (g *GitIgnore) dirIgnored(rel string) bool {
	if v, ok := g.dirCache[rel]; ok {
		return v
	}
	v := g.matcher(rel).Excluded(rel, true)
	g.dirCache[rel] = v
	return v
}

// matcher is the pattern sets that apply to rel: info/exclude (lowest
// precedence), then the .gitignore files from the root down.
func (g *GitIgnore) matcher(rel string) Matcher {
	m := Matcher{g.info, g.dir("")}
	for i := strings.IndexByte(rel, '/'); i > 0; i = next(rel, i) {
		m = append(m, g.dir(rel[:i]))
	}
	return m
}
