package loader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Scalar is a value that a fix writes in place of a scalar. It says what
// the new value is, never how it is spelled: ReplaceScalar spells it for
// the place it goes (YAML or JSON, the quoting already there), so that no
// rule writes raw text.
type Scalar struct {
	kind scalarKind
	text string // the string, or the number as it should be written in YAML
	num  int64  // the number (number and mode scalars)
}

type scalarKind uint8

const (
	stringScalar scalarKind = iota + 1
	numberScalar
	modeScalar
)

// StringScalar is the string s.
func StringScalar(s string) Scalar { return Scalar{kind: stringScalar, text: s} }

// NumberScalar is an integer written as text, the way YAML 1.1 reads it
// (kubectl's YAML): "0644" is octal 420. In JSON, which has no octal, only
// a plain decimal text can be written.
func NumberScalar(text string) Scalar {
	s := resolvePlain(text, false)
	i, err := strconv.ParseInt(s.text, 10, 64)
	if s.kind != jsonNumber || s.err != "" || err != nil {
		return Scalar{} // not an integer: ReplaceScalar refuses it
	}
	return Scalar{kind: numberScalar, text: text, num: i}
}

// ModeScalar is a file mode: written in octal with a leading zero in YAML
// (0644), in decimal in JSON (420), which has no octal numbers.
func ModeScalar(mode int64) Scalar {
	return Scalar{kind: modeScalar, text: "0" + strconv.FormatInt(mode, 8), num: mode}
}

// String describes the value, for messages and tests.
func (v Scalar) String() string {
	switch v.kind {
	case stringScalar:
		return strconv.Quote(v.text)
	case numberScalar, modeScalar:
		return v.text
	}
	return "<invalid scalar>"
}

// ReplaceScalar returns the edit that makes the scalar n of the file read
// as v: the range of n's own text, and the text to write there.
//
// The range leaves out n's anchor (&name), which stays, so every alias
// still finds it. The new text keeps n's quoting where that still reads
// as v (a plain value stays plain, a single-quoted one single-quoted),
// and is quoted otherwise (a string that YAML 1.1 would read as a
// boolean, a number or null). In a JSON document, and in a YAML document
// written as JSON (a flow mapping, as a JSON file with a byte order mark
// is read), strings are JSON strings and numbers decimal, so that the
// file stays JSON.
//
// ok is false when no edit can be trusted: n is a block scalar (| or >),
// has a tag, spans lines as a plain scalar, or the file's text at n does
// not read back as n's value (so the range would be wrong); or v cannot
// be written in n's document (an octal number in JSON).
func (f *File) ReplaceScalar(n *Node, v Scalar) (r Range, text string, ok bool) {
	s := f.Source
	if n == nil || n.Kind != ScalarNode || n.Tag != "" || v.kind == 0 {
		return Range{}, "", false
	}
	if n.Style == Literal || n.Style == Folded {
		return Range{}, "", false
	}
	start, end, ok := s.scalarToken(n)
	if !ok {
		return Range{}, "", false
	}
	text, ok = renderScalar(n, v, n.JSON || f.inFlowDocument(n), func() bool { return f.inFlow(n) })
	if !ok {
		return Range{}, "", false
	}
	if n.Style == Plain && !n.JSON && text != "" && (text[0] == '"' || text[0] == '\'') && tabLineFollows(s.Data, end) {
		// A plain scalar takes in the blank lines after it; a quoted one
		// does not, and the YAML parser then refuses a tab on them
		// ("a: yes\n \t\n" reads, "a: \"yes\"\n \t\n" does not).
		return Range{}, "", false
	}
	return Range{Start: s.PosOfOffset(start), End: s.PosOfOffset(end)}, text, true
}

// scalarToken finds the bytes of n's text in the file, after its anchor,
// and checks that they read back as n's value.
func (s *Source) scalarToken(n *Node) (start, end int, ok bool) {
	d := s.Data
	off := s.PosAt(n.Line, n.Col).Offset
	// Skip the anchor and the blanks, line breaks and comments after it
	// (an anchor may stand on the line before its value).
	for off < len(d) && d[off] == '&' {
		for off < len(d) && !isBlankOrBreak(d[off]) {
			off++
		}
		off = skipBlanksAndComments(d, off)
	}
	if off >= len(d) {
		return 0, 0, false
	}
	switch n.Style {
	case Plain:
		if n.Value == "" || !bytes.HasPrefix(d[off:], []byte(n.Value)) {
			return 0, 0, false
		}
		end = off + len(n.Value)
		if end < len(d) && !isBlankOrBreak(d[end]) && strings.IndexByte(",]}:", d[end]) < 0 {
			return 0, 0, false
		}
		return off, end, true
	case DoubleQuoted, SingleQuoted:
		q := byte('"')
		if n.Style == SingleQuoted {
			q = '\''
		}
		if d[off] != q {
			return 0, 0, false
		}
		if end = quotedEnd(d, off); end < 0 {
			return 0, 0, false
		}
		got, ok := readScalar(d[off:end], n.JSON)
		if !ok || got.Value != n.Value || got.Style != n.Style {
			return 0, 0, false
		}
		return off, end, true
	}
	return 0, 0, false
}

// tabLineFollows reports whether, after the token ending at off, the lines
// that hold only blanks (before the next line with content) have a tab.
func tabLineFollows(d []byte, off int) bool {
	i := bytes.IndexByte(d[off:], '\n')
	if i < 0 {
		return false
	}
	for off += i + 1; off < len(d); {
		end := bytes.IndexByte(d[off:], '\n')
		if end < 0 {
			end = len(d) - off
		}
		line := d[off : off+end]
		if len(bytes.Trim(line, " \t\r")) > 0 {
			return false
		}
		if bytes.IndexByte(line, '\t') >= 0 {
			return true
		}
		off += end + 1
	}
	return false
}

func isBlankOrBreak(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// skipBlanksAndComments skips blanks, line breaks and comments from off.
func skipBlanksAndComments(d []byte, off int) int {
	for off < len(d) {
		switch {
		case isBlankOrBreak(d[off]):
			off++
		case d[off] == '#':
			for off < len(d) && d[off] != '\n' {
				off++
			}
		default:
			return off
		}
	}
	return off
}

// inFlowDocument reports whether n is in a document written as one flow
// collection ({...}): JSON, or YAML that looks like it.
func (f *File) inFlowDocument(n *Node) bool {
	var doc *Node
	for _, r := range f.roots {
		if r.Line < n.Line || (r.Line == n.Line && r.Col <= n.Col) {
			doc = r
		}
	}
	return doc != nil && doc.Flow
}

// inFlow reports whether the scalar n is written inside a flow collection
// ([...] or {...}), where a plain scalar cannot hold , [ ] { }. It is
// worked out once per file, for every scalar by position, the first time
// a fix asks: the first place a walk in document order meets a position
// is where the scalar is written (an anchor comes before its aliases,
// whose copies share its position). When n is not found (too large a
// document), it answers yes, the stricter.
func (f *File) inFlow(n *Node) bool {
	if f.flowAt == nil {
		f.flowAt = map[Pos]bool{}
		visits := 0
		var walk func(c *Node, flow bool)
		walk = func(c *Node, flow bool) {
			if visits++; visits > usesBudget {
				return
			}
			if c.Kind == ScalarNode {
				p := Pos{Line: c.Line, Col: c.Col}
				if _, seen := f.flowAt[p]; !seen {
					f.flowAt[p] = flow
				}
			}
			for _, ch := range c.Content {
				walk(ch, flow || c.Flow)
			}
		}
		for _, r := range f.roots {
			walk(r, false)
		}
	}
	flow, found := f.flowAt[Pos{Line: n.Line, Col: n.Col}]
	return flow || !found
}

// renderScalar spells v for the place of n; jsonLike asks for JSON
// spellings, and flow says whether n is inside a flow collection (asked
// only when it matters).
func renderScalar(n *Node, v Scalar, jsonLike bool, flow func() bool) (string, bool) {
	if n.JSON {
		return renderJSON(v)
	}
	var text string
	switch {
	case jsonLike:
		var ok bool
		if text, ok = renderJSON(v); !ok {
			return "", false
		}
	case v.kind == stringScalar:
		text = yamlString(v.text, n.Style, flow)
	default:
		text = v.text
	}
	// Read the text back as kubectl would: a rendering that does not mean
	// v is never offered.
	got, ok := readScalar([]byte(text), false)
	if !ok {
		return "", false
	}
	r := resolveScalar(got)
	switch v.kind {
	case stringScalar:
		ok = r.kind == jsonString && r.err == "" && r.text == v.text
	default:
		ok = r.kind == jsonNumber && r.err == "" && r.text == strconv.FormatInt(v.num, 10)
	}
	return text, ok
}

var jsonInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

func renderJSON(v Scalar) (string, bool) {
	switch v.kind {
	case stringScalar:
		if !utf8.ValidString(v.text) {
			return "", false
		}
		q := jsonQuote(v.text)
		var back string
		if json.Unmarshal([]byte(q), &back) != nil || back != v.text {
			return "", false
		}
		return q, true
	case numberScalar:
		if !jsonInteger.MatchString(v.text) {
			return "", false // 0644 is octal to YAML, invalid JSON
		}
		return v.text, true
	case modeScalar:
		return strconv.FormatInt(v.num, 10), true
	}
	return "", false
}

// jsonQuote writes s as a JSON string. Beyond what JSON requires, it
// escapes DEL, the C1 controls, the line and paragraph separators and the
// noncharacters, which a YAML parser refuses raw (and which are invisible
// in an editor); it leaves <, > and & alone.
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlString spells s as a YAML scalar in the style the old value had,
// when that style can hold it: plain when s reads back as the same string,
// single-quoted when s is one line of printable text without a quote of
// its own (which would have to be doubled), double-quoted otherwise.
func yamlString(s string, style ScalarStyle, flow func() bool) string {
	switch style {
	case Plain:
		if plainSafe(s, flow) {
			return s
		}
	case SingleQuoted:
		if printableLine(s) && !strings.Contains(s, "'") {
			return "'" + s + "'"
		}
	}
	return yamlDoubleQuote(s)
}

// plainSafe reports whether s can be written as a plain scalar (in a flow
// collection when flow is set) and read back as the string s by YAML 1.1:
// no indicator that starts or ends a plain scalar, no leading or trailing
// blank, and not a word or number YAML 1.1 reads as something else (yes,
// on, 0644, ~).
func plainSafe(s string, flow func() bool) bool {
	if s == "" || strings.TrimSpace(s) != s || !printableLine(s) {
		return false
	}
	if strings.ContainsAny(s, "#\"`\t") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return false
	}
	if strings.IndexFunc(s, notWordChar) >= 0 && flow() {
		// Inside [...] or {...} the parser ends or rejects a plain scalar
		// at more than , [ ] { } (yaml.v3 refuses [0?]): only words stay
		// plain there.
		return false
	}
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '%', '@', '.', '+', '~', '<', '=':
		return false
	}
	r := resolvePlain(s, true)
	return r.kind == jsonString && r.text == s
}

// notWordChar is true for a character other than a letter, a digit, or
// one of . _ / -.
func notWordChar(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._/-", r)
}

func printableLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != ' ' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// yamlDoubleQuote writes s as a YAML double-quoted scalar. Go's escapes
// (\n, \t, \uXXXX, ...) are all YAML escapes too; invalid UTF-8 has no
// YAML spelling, and the read-back check refuses it.
func yamlDoubleQuote(s string) string { return strconv.Quote(s) }

// readScalar parses text as a lone YAML (or JSON) scalar.
func readScalar(text []byte, isJSON bool) (*Node, bool) {
	if isJSON {
		var v string
		if err := json.Unmarshal(text, &v); err != nil {
			return nil, false
		}
		return &Node{Kind: ScalarNode, Style: DoubleQuoted, JSON: true, Value: v}, true
	}
	var y yaml.Node
	if err := yaml.Unmarshal(text, &y); err != nil {
		return nil, false
	}
	n, err := convertYAML3(&y, text, 0, 0)
	if err != nil || n == nil || n.Kind != ScalarNode {
		return nil, false
	}
	return n, true
}
