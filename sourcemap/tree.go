package sourcemap

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/dapilint/dapilint/loader"
)

// step is one step of a path through a YAML tree: a mapping key, or a
// sequence index (key "" and index >= 0).
type step struct {
	key   string
	index int
}

func (s step) String() string {
	if s.index >= 0 {
		return "[" + strconv.Itoa(s.index) + "]"
	}
	return s.key
}

func keyStep(k string) step { return step{key: k, index: -1} }

// pathString renders a path as a dotted key ("podInfo.fieldPath",
// "env[2].name").
func pathString(p []step) string {
	var b strings.Builder
	for i, s := range p {
		if s.index < 0 && i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// nodeAt finds the node that starts at line:col under root, with its path
// from root. atKey is set when the node is a mapping key.
func nodeAt(root *loader.Node, line, col int) (path []step, n *loader.Node, atKey bool) {
	var walk func(cur *loader.Node, p []step) bool
	walk = func(cur *loader.Node, p []step) bool {
		if cur == nil {
			return false
		}
		if cur.Line == line && cur.Col == col && cur.Kind == loader.ScalarNode {
			path, n = p, cur
			return true
		}
		switch cur.Kind {
		case loader.MappingNode:
			for i := 0; i+1 < len(cur.Content); i += 2 {
				k, v := cur.Content[i], cur.Content[i+1]
				kp := append(p[:len(p):len(p)], keyStep(k.Value))
				if k.Line == line && k.Col == col {
					path, n, atKey = kp, k, true
					return true
				}
				if walk(v, kp) {
					return true
				}
			}
		case loader.SequenceNode:
			for i, c := range cur.Content {
				if walk(c, append(p[:len(p):len(p)], step{index: i})) {
					return true
				}
			}
		}
		if cur.Line == line && cur.Col == col {
			path, n = p, cur
			return true
		}
		return false
	}
	walk(root, nil)
	return path, n, atKey
}

// get follows a path from n; nil when it does not exist.
func get(n *loader.Node, path []step) *loader.Node {
	for _, s := range path {
		switch {
		case n == nil:
			return nil
		case s.index >= 0 && n.Kind == loader.SequenceNode && s.index < len(n.Content):
			n = n.Content[s.index]
		case s.index < 0 && n.Kind == loader.MappingNode:
			n = n.Get(s.key)
		default:
			return nil
		}
	}
	return n
}

// commonSuffix counts the equal trailing steps of a and b.
func commonSuffix(a, b []step) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// findValue looks under root (whose path is base) for the scalar equal to
// want (a key named want, when atKey) whose path ends most like wantPath.
// It returns nil when there is none.
func findValue(root *loader.Node, base []step, want string, wantPath []step, atKey bool) *loader.Node {
	var best *loader.Node
	bestScore := -1
	var walk func(n *loader.Node, p []step)
	walk = func(n *loader.Node, p []step) {
		if n == nil {
			return
		}
		switch n.Kind {
		case loader.ScalarNode:
			if !atKey && n.Value == want {
				if s := commonSuffix(p, wantPath); s > bestScore {
					best, bestScore = n, s
				}
			}
		case loader.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				kp := append(p[:len(p):len(p)], keyStep(k.Value))
				if atKey && k.Value == want {
					if s := commonSuffix(kp, wantPath); s > bestScore {
						best, bestScore = k, s
					}
				}
				walk(n.Content[i+1], kp)
			}
		case loader.SequenceNode:
			for i, c := range n.Content {
				walk(c, append(p[:len(p):len(p)], step{index: i}))
			}
		}
	}
	walk(root, base)
	return best
}

// lineRange is the range of line n of src without its line terminator,
// for pointing at the line as a whole.
func lineRange(src *loader.Source, n int) loader.Range {
	start := src.PosAt(n, 1)
	return loader.Range{Start: start, End: src.PosOfOffset(start.Offset + len(src.Line(n)))}
}

// Files reads the files findings are traced to, once each.
type Files struct {
	m map[string]*file
}

type file struct {
	src  *loader.Source
	docs []*loader.Node
}

// NewFiles returns an empty cache.
func NewFiles() *Files { return &Files{m: map[string]*file{}} }

// get reads path, naming it display in findings; nil when it cannot be
// read.
func (fs *Files) get(path, display string) *file {
	if f, ok := fs.m[path]; ok {
		return f
	}
	var f *file
	if data, err := os.ReadFile(path); err == nil {
		f = &file{src: loader.NewSource(display, data)}
		f.docs = loader.Documents(data)
	}
	fs.m[path] = f
	return f
}

// root returns the first document of a file.
func (f *file) root() *loader.Node {
	if f == nil {
		return nil
	}
	for _, d := range f.docs {
		if d != nil {
			return d
		}
	}
	return nil
}

// lazyRegexp compiles a regular expression on first use: most runs of
// dapilint render nothing, and start-up time matters to them.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
