package loader

import (
	"strconv"
	"strings"
	"testing"
)

// scalarsByPath collects the scalar values of a document's mappings and
// sequences by their path of keys and indexes (at most 10,000 of them:
// aliases can make a document huge).
func scalarsByPath(n *Node, path string, out map[string]*Node) {
	if len(out) > 10_000 {
		return
	}
	switch n.Kind {
	case ScalarNode:
		out[path] = n
	case MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == ScalarNode {
				scalarsByPath(n.Content[i+1], path+"\x00"+k.Value, out)
			}
		}
	case SequenceNode:
		for i, c := range n.Content {
			scalarsByPath(c, path+"\x00"+strconv.Itoa(i), out)
		}
	}
}

func TestReplaceScalar(t *testing.T) {
	for _, c := range []struct {
		doc, path string
		v         Scalar
		want      string // the document after the edit; "" when no edit is offered
	}{
		{"a: x  # c\n", "/a", StringScalar("on"), "a: \"on\"  # c\n"},
		{"a: 'x'\n", "/a", StringScalar("it's"), "a: \"it's\"\n"},
		{"a: 'x'\n", "/a", StringScalar("y"), "a: 'y'\n"},
		{"a: \"x\"\n", "/a", StringScalar("tab\there"), "a: \"tab\\there\"\n"},
		{"a: &m 644\nb: *m\n", "/a", ModeScalar(0o644), "a: &m 0644\nb: *m\n"},
		{"a: &m\n  644\n", "/a", ModeScalar(0o644), "a: &m\n  0644\n"},
		{"a: [x, y]\n", "/a/1", StringScalar("p,q"), "a: [x, \"p,q\"]\n"},
		{"a: x\n", "/a", StringScalar("m['k']"), "a: m['k']\n"},
		{"a: [x]\n", "/a/0", StringScalar("m['k']"), "a: [\"m['k']\"]\n"},
		{"a: |\n  x\n", "/a", StringScalar("y"), ""},
		{"a: !!str x\n", "/a", StringScalar("y"), ""},
		{"a: x\n  y\n", "/a", StringScalar("z"), ""},
		{"a: \"x\n  y\"\n", "/a", StringScalar("z"), "a: \"z\"\n"},
		{"{\"a\": 644}\n", "/a", ModeScalar(0o644), "{\"a\": 420}\n"},
		{"{\"a\": \"x\"}\n", "/a", StringScalar("<é\u2028>"), "{\"a\": \"<é\\u2028>\"}\n"},
		{"{\"a\": \"0644\"}\n", "/a", NumberScalar("0644"), ""},
		{"a: \"0644\"\n", "/a", NumberScalar("0644"), "a: 0644\n"},
		{"\ufeff{\"a\": 644}\n", "/a", ModeScalar(0o644), "\ufeff{\"a\": 420}\n"},
		{"\ufeffa: x\r\n", "/a", StringScalar("yes"), "\ufeffa: \"yes\"\r\n"},
		{"a: yes\n \t\nb: 1\n", "/a", StringScalar("yes"), ""}, // quoted, the tab line would not parse
		{"a: [0]\n", "/a/0", StringScalar("0?"), "a: [\"0?\"]\n"},
	} {
		f := Load("t.yaml", []byte(c.doc))
		nodes := map[string]*Node{}
		for _, r := range f.roots {
			scalarsByPath(r, "", nodes)
		}
		n := nodes[strings.ReplaceAll(c.path, "/", "\x00")]
		if n == nil {
			t.Errorf("%q: no scalar at %s", c.doc, c.path)
			continue
		}
		r, text, ok := f.ReplaceScalar(n, c.v)
		got := ""
		if ok {
			got = c.doc[:r.Start.Offset] + text + c.doc[r.End.Offset:]
		}
		if got != c.want {
			t.Errorf("%q with %v: got %q, want %q", c.doc, c.v, got, c.want)
		}
	}
}

// FuzzReplaceScalar checks the renderer's promise on arbitrary documents
// and values: when it offers an edit, applying it leaves the document
// readable and the value at that place reads back as the value asked for,
// with everything outside the edit untouched.
func FuzzReplaceScalar(f *testing.F) {
	for _, s := range []struct{ doc, v string }{
		{"a: x\n", "on"}, {"a: &m 'x'  # c\nb: *m\n", "it's"}, {"{\"a\": \"x\"}\n", "tab\t\"q\""},
		{"- [a, b]\n- {c: d}\n", "p: q"}, {"a: \"x\\ny\"\r\n", "é"}, {"\ufeffk: v\n", "- x"},
	} {
		f.Add(s.doc, s.v)
	}
	f.Fuzz(func(t *testing.T, doc, v string) {
		if len(doc) > 4096 {
			return
		}
		file := Load("f.yaml", []byte(doc))
		if len(file.Problems) > 0 {
			return
		}
		nodes := map[string]*Node{}
		for _, r := range file.roots {
			scalarsByPath(r, "", nodes)
		}
		tried := 0
		for path, n := range nodes {
			if tried++; tried > 64 {
				break // enough for one input: keep the fuzzer fast
			}
			if path == "" {
				// A document that is one scalar is no Kubernetes object,
				// and no rule fixes it (yaml.v3 reads "0\r\t" but not
				// "\"0\"\r\t").
				continue
			}
			r, text, ok := file.ReplaceScalar(n, StringScalar(v))
			if !ok {
				continue
			}
			edited := doc[:r.Start.Offset] + text + doc[r.End.Offset:]
			after := Load("f.yaml", []byte(edited))
			if len(after.Problems) > 0 && strings.HasPrefix(strings.TrimSpace(doc), "{") && strings.Contains(after.Problems[0].Message, "JSON") {
				// kubectl reads a stream that starts with { as JSON only
				// when its first values are strict JSON: a fix that makes
				// them so ({"":00}, → {"":"0"},) changes how the rest is
				// read. That is a property of the whole file, which the
				// fixer checks by linting the result (a fix that adds an
				// input error is dropped).
				continue
			}
			if len(after.Problems) > 0 {
				t.Fatalf("%q at %s with %q gives %q, which does not parse: %v", doc, path, v, edited, after.Problems[0].Message)
			}
			got := map[string]*Node{}
			for _, r := range after.roots {
				scalarsByPath(r, "", got)
			}
			m := got[path]
			if m == nil {
				t.Fatalf("%q at %s with %q gives %q, which has no value there", doc, path, v, edited)
			}
			if s := resolveScalar(m); s.kind != jsonString || s.text != v {
				t.Fatalf("%q at %s with %q gives %q, which reads %v %q", doc, path, v, edited, s.kind, s.text)
			}
			if strings.Count(edited, "\n") < strings.Count(doc[:r.Start.Offset]+doc[r.End.Offset:], "\n") {
				t.Fatalf("lines lost")
			}
		}
	})
}
