package sourcemap

import (
	"bytes"
	"regexp"
	"strings"
)

// A Helm template is matched to its output line by line: each line of the
// template, once Go template's whitespace trimming ({{- and -}}) has joined
// lines, is either literal text, which must appear as is in the output, or
// a pattern in which every action that writes something stands for any
// text. Actions that may write several lines (include, toYaml, nindent, …)
// account for the output lines that match no template line.

type segKind uint8

const (
	segText    segKind = iota
	segOutput          // an action whose result is written: {{ .Values.x }}
	segControl         // an action that writes nothing: if, range, end, define, comments, assignments
)

// seg is a piece of a template: text, or one action.
type seg struct {
	kind segKind
	// text is the text, or the action's body without delimiters and trim
	// markers ("include \"x\" . | nindent 4").
	text string
	// off and end are the byte offsets of the text, or of the whole
	// action from "{{" to past "}}", in the template.
	off, end int
	// multi: an output action that may write more than one line.
	multi bool
}

// tline is one line of the template's output as the template writes it.
type tline struct {
	segs []seg
	// re matches a rendered line written by this template line; nil when
	// the line cannot be told apart by itself (blank, or nothing but
	// actions).
	re *regexp.Regexp
	// groups are the indexes in segs of the output actions, in the order
	// of re's groups.
	groups []int
	// literal is set when the line is text only; key is then that text
	// without trailing blanks.
	literal bool
	key     string
}

type template struct {
	name  string
	data  []byte
	lines []tline
	// loops are the template lines (first, last index) of each range
	// block: only inside one may the output go back to an earlier line.
	loops [][2]int
	// scopes are the with and range blocks that set "." to values:
	// actions inside one that use "." read that values path.
	scopes []scope
	// mandatory counts, before each template line, the literal lines
	// outside any if, with, range or define block: every rendering writes
	// them, so the output cannot skip one.
	mandatory []int
	// defines are the template lines (first, last index) of each named
	// template the file defines ({{ define "x.labels" }}).
	defines map[string][2]int
}

// scope is a with or range block whose pipeline reads values.
type scope struct {
	from, to int    // byte offsets of the block in the template
	values   string // the pipeline, e.g. "with .Values.extraEnv"
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// tokenize cuts a template into text and actions, applying trim markers to
// the text as text/template does.
func tokenize(src []byte) []seg {
	var segs []seg
	i := 0
	trimNext := false
	for i <= len(src) {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			segs = appendText(segs, src, i, len(src), trimNext, false)
			break
		}
		start := i + j
		leftTrim := start+3 < len(src) && src[start+2] == '-' && isSpace(src[start+3])
		bodyStart := start + 2
		if leftTrim {
			bodyStart += 2
		}
		end := actionEnd(src, bodyStart)
		rightTrim := end-3 >= bodyStart && src[end-3] == '-' && isSpace(src[end-4])
		bodyEnd := end - 2
		if rightTrim {
			bodyEnd -= 2
		}
		segs = appendText(segs, src, i, start, trimNext, leftTrim)
		body := ""
		if bodyEnd > bodyStart {
			body = strings.TrimSpace(string(src[bodyStart:bodyEnd]))
		}
		kind, multi := classify(body)
		segs = append(segs, seg{kind: kind, text: body, off: start, end: end, multi: multi})
		trimNext = rightTrim
		i = end
		if i >= len(src) {
			break
		}
	}
	return segs
}

// actionEnd returns the offset just past the "}}" closing the action whose
// body starts at from, skipping comments and quoted strings.
func actionEnd(src []byte, from int) int {
	i := from
	for i < len(src) {
		switch {
		case bytes.HasPrefix(src[i:], []byte("/*")):
			k := bytes.Index(src[i+2:], []byte("*/"))
			if k < 0 {
				return len(src)
			}
			i += k + 4
		case src[i] == '"':
			i++
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				if src[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case src[i] == '`':
			k := bytes.IndexByte(src[i+1:], '`')
			if k < 0 {
				return len(src)
			}
			i += k + 2
		case bytes.HasPrefix(src[i:], []byte("}}")):
			return i + 2
		default:
			i++
		}
	}
	return len(src)
}

func appendText(segs []seg, src []byte, from, to int, trimLeft, trimRight bool) []seg {
	if trimLeft {
		for from < to && isSpace(src[from]) {
			from++
		}
	}
	if trimRight {
		for to > from && isSpace(src[to-1]) {
			to--
		}
	}
	if to > from {
		segs = append(segs, seg{kind: segText, text: string(src[from:to]), off: from, end: to})
	}
	return segs
}

var controlWords = map[string]bool{"if": true, "else": true, "end": true, "range": true, "with": true,
	"define": true, "break": true, "continue": true}

// quotedName is the name a define, include or template action names.
var quotedName = lazyRegexp(`^(?:define|include|template)\s+"([^"]+)"`)

// includedNames are the named templates an action includes.
var includedNames = lazyRegexp(`\b(?:include|template)\s+"([^"]+)"`)

var assignment = lazyRegexp(`^\$[\w]*\s*:?=`)

// multiWords are functions and objects whose result often spans lines.
var multiWords = lazyRegexp(`\b(include|template|toYaml|toPrettyJson|toToml|tpl|nindent|indent|Files|block)\b`)

func classify(body string) (segKind, bool) {
	if strings.HasPrefix(body, "/*") || body == "" {
		return segControl, false
	}
	word := body
	if k := strings.IndexAny(body, " \t\n("); k >= 0 {
		word = body[:k]
	}
	if controlWords[word] || assignment().MatchString(body) {
		return segControl, false
	}
	return segOutput, multiWords().MatchString(body)
}

// parseTemplate cuts a template into the lines it writes.
func parseTemplate(name string, src []byte) *template {
	t := &template{name: name, data: src}
	var cur []seg
	flush := func() {
		t.lines = append(t.lines, newLine(cur))
		cur = nil
	}
	for _, s := range tokenize(src) {
		if s.kind != segText {
			cur = append(cur, s)
			continue
		}
		off := s.off
		for {
			k := bytes.IndexByte(src[off:s.end], '\n')
			if k < 0 {
				if s.end > off {
					cur = append(cur, seg{kind: segText, text: string(src[off:s.end]), off: off, end: s.end})
				}
				break
			}
			if k > 0 {
				cur = append(cur, seg{kind: segText, text: string(src[off : off+k]), off: off, end: off + k})
			}
			flush()
			off += k + 1
		}
	}
	if len(cur) > 0 {
		flush()
	}
	t.blocks()
	return t
}

// blocks finds the range loops and the with/range scopes.
func (t *template) blocks() {
	type open struct {
		word string
		line int
		off  int
		body string
	}
	var stack []open
	t.mandatory = make([]int, len(t.lines)+1)
	for i, l := range t.lines {
		t.mandatory[i+1] = t.mandatory[i]
		if l.literal && len(stack) == 0 {
			t.mandatory[i+1]++
		}
		for _, s := range l.segs {
			if s.kind != segControl {
				continue
			}
			word, _, _ := strings.Cut(s.text, " ")
			switch word {
			case "if", "with", "range", "define", "block":
				stack = append(stack, open{word, i, s.off, s.text})
			case "end":
				if len(stack) == 0 {
					continue
				}
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if o.word == "range" {
					t.loops = append(t.loops, [2]int{o.line, i})
				}
				if o.word == "define" {
					if m := quotedName().FindStringSubmatch(o.body); m != nil {
						if t.defines == nil {
							t.defines = map[string][2]int{}
						}
						t.defines[m[1]] = [2]int{o.line, i}
					}
				}
				if o.word == "range" || o.word == "with" {
					t.scopes = append(t.scopes, scope{from: o.off, to: s.end, values: o.body})
				}
			}
		}
	}
}

// canLoop reports whether the output may go back from template line from
// to the earlier line to: both are in one range block.
func (t *template) canLoop(from, to int) bool {
	for _, l := range t.loops {
		if l[0] <= to && from <= l[1] {
			return true
		}
	}
	return false
}

// scopeOf returns the innermost with or range pipeline around offset off.
func (t *template) scopeOf(off int) string {
	best := -1
	for i, s := range t.scopes {
		if s.from < off && off < s.to && (best < 0 || s.from > t.scopes[best].from) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return t.scopes[best].values
}

func newLine(segs []seg) tline {
	l := tline{segs: segs, literal: true}
	var pat strings.Builder
	hasText := false
	for i, s := range segs {
		switch s.kind {
		case segText:
			text := strings.TrimRight(s.text, " \t\r")
			if strings.TrimSpace(text) != "" {
				hasText = true
			}
			pat.WriteString(regexp.QuoteMeta(text))
			if len(text) < len(s.text) {
				pat.WriteString(`[ \t]*`)
			}
		case segOutput:
			l.literal = false
			l.groups = append(l.groups, i)
			pat.WriteString(`(.*?)`)
		}
	}
	if l.literal {
		var b strings.Builder
		for _, s := range segs {
			if s.kind == segText {
				b.WriteString(s.text)
			}
		}
		l.key = strings.TrimRight(b.String(), " \t\r")
		if strings.TrimSpace(l.key) == "" {
			l.literal = false
		}
		return l
	}
	// A pattern with hardly any text ("- {{ x }}", "{{ k }}: {{ v }}")
	// would match lines other actions wrote: leave it out.
	if hasText && letters(segs) >= 3 {
		l.re = regexp.MustCompile(`^` + pat.String() + `[ \t\r]*$`)
	}
	return l
}

// letters counts the letters and digits of a line's text.
func letters(segs []seg) int {
	n := 0
	for _, s := range segs {
		if s.kind != segText {
			continue
		}
		for _, r := range s.text {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				n++
			}
		}
	}
	return n
}

// match maps each line of a template's output (1-based; 0 is unused) to
// the index of the template line that wrote it, or -1.
func (t *template) match(lines []string) []int {
	literal := map[string][]int{}
	for i, l := range t.lines {
		if l.literal {
			literal[l.key] = append(literal[l.key], i)
		}
	}
	out := make([]int, len(lines))
	pos := 0
	for i, line := range lines {
		out[i] = -1
		text := strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		cands := literal[text]
		for j, l := range t.lines {
			if l.re != nil && l.re.MatchString(text) {
				cands = append(cands, j)
			}
		}
		best := -1
		for _, c := range cands {
			switch {
			case c >= pos && (best < pos || c < best) && t.mandatory[c] == t.mandatory[pos]:
				// Forward, without skipping a line every rendering writes.
				best = c
			case c < pos && best < pos && c > best && t.canLoop(pos-1, c):
				best = c
			}
		}
		if best >= 0 {
			out[i] = best
			pos = best + 1
		}
	}
	return out
}

// firstText returns the offset of a template line's first non-blank
// character (for pointing at the line as a whole).
func (t *template) firstText(l tline) int {
	if len(l.segs) == 0 {
		return 0
	}
	s := l.segs[0]
	if s.kind == segText {
		return s.off + len(s.text) - len(strings.TrimLeft(s.text, " \t"))
	}
	return s.off
}
