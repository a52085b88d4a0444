package loader

import (
	"bytes"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// directiveMarker starts a comment addressed to dapilint: "# dapilint:ignore …".
var directiveMarker = []byte("dapilint:")

// Directive is a comment addressed to dapilint ("# dapilint:VERB …") and
// the part of the file it is attached to. The loader only finds and places
// directives; what they mean is up to the caller (package lint).
type Directive struct {
	// Text is what follows "dapilint:", up to the end of the comment or a
	// further comment started with " #": "ignore DA202 -- reason".
	Text string
	// TextOffset is the byte offset of Text in the file.
	TextOffset int
	// Comment spans the directive, from '#' to the end of Text.
	Comment Range
	// OwnLine is true when nothing but blanks precede the comment on its
	// line.
	OwnLine bool
	// Top is true for a comment above the first content of its document;
	// FileTop for one above the file's first content, before any "---".
	Top, FileTop bool
	// Scope is what the directive covers, when Attached: for a trailing
	// comment, its line and the key or list item that starts on it; for a
	// comment on its own line, the key or list item on the next line that is
	// not a comment. Either way with everything under that node.
	Scope    Range
	Attached bool
	// Document spans the directive's document, and Doc is its index (as
	// Object.Doc counts).
	Document Range
	Doc      int
}

// addDirectives finds the directives of one document. comments are the
// comment lines the parser saw (see parseDocument): a "# dapilint:" in the
// text that is not one of them is inside a string, not a comment.
func (f *File) addDirectives(raw rawDoc, root *Node, comments []string, doc int, fileStart bool) {
	real := make(map[string]bool, len(comments))
	for _, c := range comments {
		real[c] = true
	}
	src := f.Source
	docRange := Range{Start: src.PosOfOffset(raw.offset), End: src.PosOfOffset(raw.offset + len(raw.data))}
	var found []Directive
	var targets []int // the line each directive attaches to, 0 for none
	data := raw.data
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		line := bytes.TrimRight(data[off:next], " \t\r\n")
		if bytes.Contains(line, directiveMarker) {
			if d, ok := directiveOnLine(line, real); ok {
				abs := raw.offset + off
				d.TextOffset += abs
				d.Comment = Range{Start: src.PosOfOffset(abs + d.Comment.Start.Offset), End: src.PosOfOffset(abs + d.Comment.End.Offset)}
				d.Document, d.Doc = docRange, doc
				lineNo := d.Comment.Start.Line
				d.Top = root == nil || lineNo < root.Line
				d.FileTop = d.Top && fileStart
				target := lineNo
				if d.OwnLine {
					target = nextContentLine(src, lineNo)
				}
				found = append(found, d)
				targets = append(targets, target)
			}
		}
		off = next
	}
	if len(found) == 0 {
		return
	}
	nodes := nodesStartingOn(root, targets)
	for i := range found {
		d := &found[i]
		if n, ok := nodes[targets[i]]; ok {
			d.Scope, d.Attached = Range{Start: src.PosAt(n.start.Line, n.start.Col), End: src.PosOfOffset(subtreeEnd(src, n.subtree, map[*Node]bool{}))}, true
		}
		if !d.OwnLine {
			// A trailing comment covers its whole line as well.
			ln := d.Comment.Start.Line
			lineRange := Range{Start: src.PosAt(ln, 1), End: d.Comment.Start}
			if !d.Attached {
				d.Scope, d.Attached = lineRange, true
			} else {
				if lineRange.Start.Offset < d.Scope.Start.Offset {
					d.Scope.Start = lineRange.Start
				}
				if lineRange.End.Offset > d.Scope.End.Offset {
					d.Scope.End = lineRange.End
				}
			}
		}
		f.Directives = append(f.Directives, *d)
	}
}

// directiveOnLine finds a directive comment on one line: a '#' that starts
// a comment (at the start of the line or after a blank) followed by
// "dapilint:", whose text the parser saw as a comment. Offsets in the result
// are relative to the line.
func directiveOnLine(line []byte, real map[string]bool) (Directive, bool) {
	for p := 0; p < len(line); p++ {
		if line[p] != '#' || (p > 0 && line[p-1] != ' ' && line[p-1] != '\t') {
			continue
		}
		if !real[string(line[p:])] {
			continue
		}
		rest := line[p+1:]
		blanks := len(rest) - len(bytes.TrimLeft(rest, " \t"))
		if !bytes.HasPrefix(rest[blanks:], directiveMarker) {
			return Directive{}, false // a comment that only mentions dapilint:
		}
		start := p + 1 + blanks + len(directiveMarker)
		text := line[start:]
		// A further comment may follow: "# dapilint:ignore DA202 # note".
		if i := indexComment(text); i >= 0 {
			text = text[:i]
		}
		text = bytes.TrimRight(text, " \t")
		return Directive{
			Text:       string(text),
			TextOffset: start,
			Comment:    Range{Start: Pos{Offset: p}, End: Pos{Offset: start + len(text)}},
			OwnLine:    len(bytes.TrimLeft(line[:p], " \t")) == 0,
		}, true
	}
	return Directive{}, false
}

// indexComment returns the index of " #" or "\t#" in b, or -1.
func indexComment(b []byte) int {
	for i := 1; i < len(b); i++ {
		if b[i] == '#' && (b[i-1] == ' ' || b[i-1] == '\t') {
			return i - 1
		}
	}
	return -1
}

// nextContentLine is the first line after line that is not a comment line,
// or 0 when a blank line or the end of the file comes first: a comment on
// its own line belongs to what directly follows it.
func nextContentLine(src *Source, line int) int {
	for n := line + 1; n <= src.LineCount(); n++ {
		t := strings.TrimSpace(src.Line(n))
		switch {
		case t == "":
			return 0
		case strings.HasPrefix(t, "#"):
			continue
		}
		return n
	}
	return 0
}

// placed is a node a directive attaches to: a mapping entry (from its key,
// covering its value) or a list item.
type placed struct {
	start   *Node // where it starts: the key, or the item
	subtree *Node // what it covers
}

// nodesStartingOn finds, for each line, the outermost mapping entry or list
// item that starts on it. The document's root is not a candidate: a
// directive above the first key belongs to that key (ignore-file covers the
// document).
func nodesStartingOn(root *Node, lines []int) map[int]placed {
	want := map[int]bool{}
	for _, l := range lines {
		if l > 0 {
			want[l] = true
		}
	}
	out := map[int]placed{}
	if root == nil || len(want) == 0 {
		return out
	}
	seen := map[*Node]bool{}
	var walk func(n *Node)
	candidate := func(start, subtree *Node) {
		if want[start.Line] {
			if _, ok := out[start.Line]; !ok {
				out[start.Line] = placed{start, subtree}
			}
		}
	}
	walk = func(n *Node) {
		// Aliases share nodes: visit each once (an alias bomb must not
		// expand here either).
		if n.Kind == ScalarNode || seen[n] {
			return
		}
		seen[n] = true
		switch n.Kind {
		case MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				candidate(n.Content[i], n.Content[i+1])
				walk(n.Content[i+1])
			}
		case SequenceNode:
			for _, it := range n.Content {
				candidate(it, it)
				walk(it)
			}
		}
	}
	walk(root)
	return out
}

// subtreeEnd is the offset just past the last token of n and everything
// under it.
func subtreeEnd(src *Source, n *Node, seen map[*Node]bool) int {
	end := src.NodeRange(n).End.Offset
	if n.Kind == ScalarNode || n.Flow || seen[n] {
		return end
	}
	seen[n] = true
	for _, c := range n.Content {
		end = max(end, subtreeEnd(src, c, seen))
	}
	return end
}

// SubtreeRange is the span of n and everything under it: from n's first
// character to the end of its last descendant's token.
func (s *Source) SubtreeRange(n *Node) Range {
	return Range{Start: s.PosAt(n.Line, n.Col), End: s.PosOfOffset(subtreeEnd(s, n, map[*Node]bool{}))}
}

// yaml3Comments returns the comment lines of a yaml.v3 tree that mention
// the directive marker, each trimmed of blanks.
func yaml3Comments(n *yaml.Node, out []string) []string {
	if n == nil {
		return out
	}
	for _, c := range [3]string{n.HeadComment, n.LineComment, n.FootComment} {
		if !strings.Contains(c, string(directiveMarker)) {
			continue
		}
		for _, l := range strings.Split(c, "\n") {
			if l = strings.TrimSpace(l); strings.Contains(l, string(directiveMarker)) {
				out = append(out, l)
			}
		}
	}
	for _, c := range n.Content {
		out = yaml3Comments(c, out)
	}
	return out
}
