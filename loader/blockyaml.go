package loader

import (
	"strings"
	"unicode/utf8"
)

// The block-YAML fast path. Manifests are almost always written in one
// plain style: block mappings and sequences, one-line plain and quoted
// scalars, literal block scalars for embedded files, comments. For such a
// document parseBlockYAML builds the Node tree directly from the lines,
// several times faster than the full parser and without its intermediate
// tree. Anything else (anchors, aliases, tags, flow mappings, multi-line
// or folded scalars, most escapes, tabs, unusual line breaks, anything
// invalid) makes it give up, and the document is parsed by the full
// parser (yaml.v3) instead. Its trees, positions included, are held equal
// to the full parser's by TestBlockYAMLMatchesFullParser and
// FuzzBlockYAML, and the differential test runs on both paths.

// blockLine is one line of a document.
type blockLine struct {
	start, end int // byte offsets of the line, without its newline
	// indent is where the line's content starts (its leading spaces); for
	// the line of a list item whose value is a mapping ("- name: x") it is
	// moved to the mapping's first key once the item is read.
	indent int
	num    int  // 0-based line number in the document
	empty  bool // blank or a comment only
}

type blockParser struct {
	src                  string
	lines                []blockLine
	i                    int // the current line
	lineOffset, colShift int
	ascii                bool
	depth                int
	free                 []Node  // allocated, not yet used
	stack                []*Node // the children of the collections being read
	freeRefs             []*Node // allocated for Content, not yet used
}

// children moves the children a collection put on the stack from base into
// its Content, sized exactly and carved out of a block shared by the
// document's collections.
func (p *blockParser) children(base int) []*Node {
	n := len(p.stack) - base
	if n > len(p.freeRefs) {
		p.freeRefs = make([]*Node, max(n, 2*len(p.lines)))
	}
	c := p.freeRefs[:n:n]
	p.freeRefs = p.freeRefs[n:]
	copy(c, p.stack[base:])
	return c
}

// blockMaxDepth bounds nesting on the fast path (the full parser has its
// own limit, and real manifests stay far below this).
const blockMaxDepth = 100

// blockMaxKey is the longest key the fast path reads: the full parser
// refuses implicit keys longer than 1024 characters.
const blockMaxKey = 1000

// parseBlockYAML parses a document in the block style, shifting lines by
// lineOffset and the columns of the first line by colShift as
// convertYAML3 does. ok is false when the document needs the full parser.
// A document of comments and blank lines only gives a nil root.
func parseBlockYAML(doc []byte, lineOffset, colShift int) (root *Node, ok bool) {
	if len(doc) == 0 {
		return nil, false
	}
	p := blockParser{src: string(doc), lineOffset: lineOffset, colShift: colShift, ascii: true}
	if !p.scanLines() {
		return nil, false
	}
	p.i = p.nextContent(0)
	if p.i == len(p.lines) {
		return nil, true
	}
	root = p.block(-1)
	if root == nil || p.nextContent(p.i) != len(p.lines) {
		return nil, false
	}
	return root, true
}

// scanLines splits the document into lines and refuses characters the
// fast path does not handle: tabs, carriage returns and other controls,
// and, for non-ASCII text, anything but valid printable UTF-8 without
// the Unicode line breaks or a byte order mark.
func (p *blockParser) scanLines() bool {
	s := p.src
	p.lines = make([]blockLine, 0, strings.Count(s, "\n")+1)
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if c >= 0x20 && c < 0x7f {
				continue
			}
			if c >= 0x80 {
				p.ascii = false
				continue
			}
			if c != '\n' {
				return false
			}
		}
		l := blockLine{start: start, end: i, num: len(p.lines)}
		ind := start
		for ind < i && s[ind] == ' ' {
			ind++
		}
		l.indent = ind - start
		l.empty = ind == i || s[ind] == '#'
		if !l.empty && ind == start && (s[ind] == '%' || strings.HasPrefix(s[ind:i], "---") || strings.HasPrefix(s[ind:i], "...")) {
			return false // directives and document markers
		}
		p.lines = append(p.lines, l)
		start = i + 1
	}
	if !p.ascii {
		if _, bad := badCharacter([]byte(s)); bad {
			return false
		}
		if strings.Contains(s, "\u0085") || strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029") || strings.Contains(s, "\ufeff") {
			return false
		}
	}
	return true
}

func (p *blockParser) nextContent(i int) int {
	for i < len(p.lines) && p.lines[i].empty {
		i++
	}
	return i
}

// node makes a node at byte offset off of line l. Nodes are allocated in
// blocks, a document's worth at a time: one allocation instead of one per
// node (a block lives as long as any node in it, which is as long as the
// document's tree).
func (p *blockParser) node(kind NodeKind, l *blockLine, off int) *Node {
	col := off - l.start
	if !p.ascii {
		col = utf8.RuneCountInString(p.src[l.start:off])
	}
	if l.num == 0 {
		col += p.colShift
	}
	if len(p.free) == 0 {
		p.free = make([]Node, min(max(2*len(p.lines), 16), 1024))
	}
	n := &p.free[0]
	p.free = p.free[1:]
	n.Kind, n.Line, n.Col = kind, l.num+1+p.lineOffset, col+1
	return n
}

// content is the text of the current line from its indent.
func (p *blockParser) content(l *blockLine) string { return p.src[l.start+l.indent : l.end] }

// block parses the block node on the current line (a mapping or a
// sequence), which must be indented more than parent.
func (p *blockParser) block(parent int) *Node {
	if p.i >= len(p.lines) {
		return nil
	}
	l := &p.lines[p.i]
	if l.indent <= parent {
		return nil
	}
	if p.depth++; p.depth > blockMaxDepth {
		return nil
	}
	defer func() { p.depth-- }()
	if isEntry(p.content(l)) {
		return p.sequence(l.indent)
	}
	return p.mapping(l.indent)
}

// isEntry reports whether text starts a list item: "-" and a blank or
// the end of the line.
func isEntry(text string) bool {
	return len(text) > 0 && text[0] == '-' && (len(text) == 1 || text[1] == ' ')
}

// sequence parses a block sequence whose items start at column ind.
func (p *blockParser) sequence(ind int) *Node {
	var seq *Node
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for p.i < len(p.lines) {
		l := &p.lines[p.i]
		if l.indent < ind {
			break
		}
		text := p.content(l)
		if l.indent > ind || !isEntry(text) {
			if l.indent == ind {
				break // a key of the enclosing mapping (an indentless list)
			}
			return nil
		}
		dash := l.start + l.indent
		if seq == nil {
			seq = p.node(SequenceNode, l, dash)
		}
		rest := dash + 1
		for rest < l.end && p.src[rest] == ' ' {
			rest++
		}
		var item *Node
		switch {
		case rest == l.end || p.src[rest] == '#':
			if rest < l.end && p.src[rest-1] != ' ' {
				return nil
			}
			// The item is on the following lines, or empty.
			p.i = p.nextContent(p.i + 1)
			if p.i < len(p.lines) && p.lines[p.i].indent > ind {
				if item = p.block(ind); item == nil {
					return nil
				}
			} else {
				item = p.null(l, dash+1)
			}
		case p.src[rest] == '-' && (rest+1 == l.end || p.src[rest+1] == ' '):
			return nil // a list in a list item
		default:
			colon, ok := p.keyAt(l, rest)
			switch {
			case !ok:
				return nil
			case colon >= 0:
				// "- name: x": a mapping that starts on the item's line.
				l.indent = rest - l.start
				if p.depth++; p.depth > blockMaxDepth {
					return nil
				}
				item = p.mapping(l.indent)
				p.depth--
			default:
				item = p.inlineValue(l, rest, ind, false)
			}
			if item == nil {
				return nil
			}
		}
		p.stack = append(p.stack, item)
	}
	if seq != nil {
		seq.Content = p.children(base)
	}
	return seq
}

// mapping parses a block mapping whose keys start at column ind.
func (p *blockParser) mapping(ind int) *Node {
	var m *Node
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for p.i < len(p.lines) {
		l := &p.lines[p.i]
		if l.indent < ind {
			break
		}
		if l.indent > ind {
			return nil
		}
		start := l.start + l.indent
		colon, ok := p.keyAt(l, start)
		if !ok || colon < 0 {
			return nil
		}
		key := p.key(l, start, colon)
		if key == nil {
			return nil
		}
		if m == nil {
			m = p.node(MappingNode, l, start)
		}
		rest := colon + 1
		for rest < l.end && p.src[rest] == ' ' {
			rest++
		}
		var value *Node
		if rest == l.end || p.src[rest] == '#' {
			if rest < l.end && p.src[rest-1] != ' ' {
				return nil
			}
			p.i = p.nextContent(p.i + 1)
			next := -1
			if p.i < len(p.lines) {
				next = p.lines[p.i].indent
			}
			switch {
			case next > ind:
				value = p.block(ind)
			case next == ind && isEntry(p.content(&p.lines[p.i])):
				// A list at the key's own indent.
				if p.depth++; p.depth > blockMaxDepth {
					return nil
				}
				value = p.sequence(ind)
				p.depth--
			default:
				value = p.null(l, colon+1)
			}
		} else {
			value = p.inlineValue(l, rest, ind, true)
		}
		if value == nil {
			return nil
		}
		p.stack = append(p.stack, key, value)
	}
	if m != nil {
		m.Content = p.children(base)
	}
	return m
}

func (p *blockParser) null(l *blockLine, off int) *Node {
	return p.node(ScalarNode, l, off)
}

// keyAt finds the mapping key that starts at off on line l: it returns
// the offset of its ':' (-1 when the line is not a key), and false when
// the line is something the fast path does not read.
func (p *blockParser) keyAt(l *blockLine, off int) (colon int, ok bool) {
	s := p.src[:l.end]
	switch c := s[off]; c {
	case '"', '\'':
		end := quotedEnd(s, off)
		if end < 0 || end-off > blockMaxKey {
			return -1, false
		}
		if end < len(s) && s[end] == ':' && (end+1 == len(s) || s[end+1] == ' ') {
			return end, true
		}
		return -1, true
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		if c == '-' && off+1 < len(s) && s[off+1] != ' ' {
			break // "-x" is a plain scalar
		}
		return -1, true
	}
	for i := off; i < len(s); i++ {
		switch s[i] {
		case ':':
			if i+1 == len(s) || s[i+1] == ' ' {
				if i-off > blockMaxKey {
					return -1, false
				}
				return i, true
			}
		case '#':
			if s[i-1] == ' ' {
				return -1, true // a comment: no key on this line
			}
			return -1, false // a '#' inside a plain scalar: the full parser's
		}
	}
	return -1, true
}

// key makes the key node of the text from start to the colon.
func (p *blockParser) key(l *blockLine, start, colon int) *Node {
	s := p.src
	if s[start] == '"' || s[start] == '\'' {
		n := p.quoted(l, start)
		if n == nil || quotedEnd(s[:l.end], start) != colon {
			return nil
		}
		return n
	}
	end := colon
	for end > start && s[end-1] == ' ' {
		end--
	}
	n := p.node(ScalarNode, l, start)
	n.Value = s[start:end]
	return n
}

// quotedEnd returns the offset just past the quoted scalar that starts at
// off, or -1 when it does not end in s (the fast path passes one line).
func quotedEnd[T string | []byte](s T, off int) int {
	q := s[off]
	for i := off + 1; i < len(s); i++ {
		switch {
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i + 1
		case s[i] == '\\' && q == '"':
			i++
		}
	}
	return -1
}

// quoted makes the node of the one-line quoted scalar at off.
func (p *blockParser) quoted(l *blockLine, off int) *Node {
	s := p.src[:l.end]
	end := quotedEnd(s, off)
	if end < 0 {
		return nil
	}
	n := p.node(ScalarNode, l, off)
	body := s[off+1 : end-1]
	if s[off] == '\'' {
		n.Style = SingleQuoted
		n.Value = strings.ReplaceAll(body, "''", "'")
		return n
	}
	n.Style = DoubleQuoted
	if strings.IndexByte(body, '\\') < 0 {
		n.Value = body
		return n
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case '\\', '"':
			// Not '/': YAML 1.2 has "\/", but the parsers kubectl and
			// dapilint use refuse it ("found unknown escape character").
			b.WriteByte(body[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		default:
			return nil // the rarer escapes are the full parser's
		}
	}
	n.Value = b.String()
	return n
}

// inlineValue parses the value that starts at off on line l, after "key: "
// (inMapping) or "- ", in a collection at column ind; afterwards the
// current line is the next line with content.
func (p *blockParser) inlineValue(l *blockLine, off, ind int, inMapping bool) *Node {
	s := p.src[:l.end]
	var n *Node
	end := off
	switch c := s[off]; c {
	case '"', '\'':
		if n = p.quoted(l, off); n == nil {
			return nil
		}
		end = quotedEnd(s, off)
	case '[', '{':
		if n, end = p.flowCollection(l, off); n == nil {
			return nil
		}
	case '|':
		if !inMapping {
			return nil
		}
		return p.literal(l, off, ind)
	case '-', '?', ':', ',', ']', '}', '#', '&', '*', '!', '>', '%', '@', '`':
		if c != '-' || off+1 == len(s) || s[off+1] == ' ' {
			return nil
		}
		fallthrough
	default:
		// A plain scalar: up to a comment or the end of the line.
		e := off
		for e < len(s) {
			if s[e] == '#' && s[e-1] == ' ' {
				break
			}
			if s[e] == ':' && (e+1 == len(s) || s[e+1] == ' ') {
				return nil // "a: b: c" is an error
			}
			e++
		}
		end = e
		for end > off && s[end-1] == ' ' {
			end--
		}
		n = p.node(ScalarNode, l, off)
		n.Value = s[off:end]
		end = e
	}
	// Only blanks and a comment may follow on the line.
	for end < len(s) && s[end] == ' ' {
		end++
	}
	if end < len(s) && (s[end] != '#' || s[end-1] != ' ') {
		return nil
	}
	// A more indented line next would continue a plain scalar (or be an
	// error): the full parser's business.
	p.i = p.nextContent(p.i + 1)
	if p.i < len(p.lines) && p.lines[p.i].indent > ind {
		return nil
	}
	return n
}

// flowCollection parses a one-line flow sequence or mapping of simple
// scalars and nested flow collections ([ALL], [a, "b"], {app: web},
// {matchLabels: {app: web}}, [], {}) at off; it returns the node and the
// offset past its closing bracket, or nil.
func (p *blockParser) flowCollection(l *blockLine, off int) (*Node, int) {
	if p.depth++; p.depth > blockMaxDepth {
		return nil, 0
	}
	defer func() { p.depth-- }()
	s := p.src[:l.end]
	n := p.node(SequenceNode, l, off)
	n.Flow = true
	closer := byte(']')
	if s[off] == '{' {
		n.Kind, closer = MappingNode, '}'
	}
	i := off + 1
	skip := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	skip()
	if i < len(s) && s[i] == closer {
		return n, i + 1
	}
	for i < len(s) {
		if n.Kind == MappingNode {
			var k *Node
			if k, i = p.flowScalar(l, i); k == nil || !strings.HasPrefix(s[i:], ": ") {
				return nil, 0
			}
			i += 2
			skip()
			n.Content = append(n.Content, k)
		}
		var item *Node
		if i < len(s) && (s[i] == '[' || s[i] == '{') {
			item, i = p.flowCollection(l, i)
		} else {
			item, i = p.flowScalar(l, i)
		}
		if item == nil {
			return nil, 0
		}
		n.Content = append(n.Content, item)
		skip()
		if i >= len(s) {
			return nil, 0
		}
		switch s[i] {
		case closer:
			return n, i + 1
		case ',':
			i++
			skip()
			if i < len(s) && (s[i] == closer || s[i] == ',') {
				return nil, 0 // a trailing comma, or an empty entry
			}
		default:
			return nil, 0
		}
	}
	return nil, 0
}

// flowScalar parses a quoted scalar, or a plain one of the simplest
// characters, inside a flow collection.
func (p *blockParser) flowScalar(l *blockLine, i int) (*Node, int) {
	s := p.src[:l.end]
	if i >= len(s) {
		return nil, 0
	}
	if s[i] == '"' || s[i] == '\'' {
		n := p.quoted(l, i)
		if n == nil {
			return nil, 0
		}
		return n, quotedEnd(s, i)
	}
	j := i
	for j < len(s) && flowPlainChar(s[j]) {
		j++
	}
	if j == i || !flowPlainStart(s[i]) {
		return nil, 0
	}
	n := p.node(ScalarNode, l, i)
	n.Value = s[i:j]
	return n, j
}

func flowPlainStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '.'
}

func flowPlainChar(c byte) bool {
	return flowPlainStart(c) || c == '-' || c == '=' || c == '+' || c == '@' || c == '~'
}

// literal parses a literal block scalar ("|" or "|-", without an
// indentation indicator) whose indicator is at off on line l, the value of
// a key at column ind.
func (p *blockParser) literal(l *blockLine, off, ind int) *Node {
	s := p.src
	n := p.node(ScalarNode, l, off)
	n.Style = Literal
	strip := false
	h := off + 1
	if h < l.end && s[h] == '-' {
		strip = true
		h++
	}
	for h < l.end && s[h] == ' ' {
		h++
	}
	if h < l.end && (s[h] != '#' || s[h-1] != ' ') {
		return nil // "|+", indentation indicators, or text after the indicator
	}
	// The content's indentation is that of its first non-blank line; blank
	// lines before it may not be longer.
	first := p.i + 1
	j := first
	maxBlank := 0
	for j < len(p.lines) && p.lines[j].indent == p.lines[j].end-p.lines[j].start {
		maxBlank = max(maxBlank, p.lines[j].indent)
		j++
	}
	if j == len(p.lines) {
		return nil
	}
	n0 := p.lines[j].indent
	if n0 <= ind || maxBlank > n0 {
		return nil // an empty scalar, or an error
	}
	var b strings.Builder
	pendingBreaks := 0
	last := first - 1
	for j = first; j < len(p.lines); j++ {
		cl := &p.lines[j]
		text := s[cl.start:cl.end]
		blank := cl.indent == len(text)
		if !blank && cl.indent < n0 {
			break
		}
		if blank && len(text) <= n0 {
			pendingBreaks++
			continue
		}
		if b.Len() > 0 || last >= first {
			b.WriteString(strings.Repeat("\n", pendingBreaks+1))
		} else {
			b.WriteString(strings.Repeat("\n", pendingBreaks))
		}
		pendingBreaks = 0
		b.WriteString(text[n0:])
		last = j
	}
	if !strip && last+1 < len(p.lines) {
		// The last line's break, when it has one (not at the end of the
		// input).
		b.WriteByte('\n')
	}
	n.Value = b.String()
	p.i = p.nextContent(last + 1)
	if p.i < len(p.lines) && p.lines[p.i].indent > ind {
		return nil
	}
	return n
}
