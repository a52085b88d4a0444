package loader

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// The YAML parser's errors carry a line but no column, and the line is
// often the start of the enclosing block (its "context"), not where the
// problem is: a mis-indented key 150 lines into a container is reported at
// the container's "spec:". locateYAMLError finds the real place by asking
// the same parser about prefixes of the document: the problem is where the
// shortest prefix that fails with the same message ends.

var yamlErrPrefix = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// SplitYAMLError separates "yaml: line 9: did not find expected key" into
// the line (0 when absent) and the message.
func SplitYAMLError(err error) (line int, msg string) {
	msg = err.Error()
	if m := yamlErrPrefix.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	return line, msg
}

// maxLocateParses bounds the parses spent locating one error.
const maxLocateParses = 64

// locateYAMLError returns the 1-based line and column (in characters,
// within doc) of the problem behind a parse error of doc.
func locateYAMLError(doc []byte, reported int, msg string) (line, col int) {
	if off, ok := badCharacter(doc); ok && isCharacterError(msg) {
		pos := NewSource("", doc).PosOfOffset(off)
		return pos.Line, pos.Col
	}
	lines := bytes.SplitAfter(doc, []byte("\n"))
	fails := func(prefix []byte) bool {
		var n yaml.Node
		err := yaml.Unmarshal(prefix, &n)
		if err == nil {
			return false
		}
		_, m := SplitYAMLError(err)
		return m == msg
	}
	prefixLen := func(n int) int { // bytes in the first n lines
		l := 0
		for _, s := range lines[:n] {
			l += len(s)
		}
		return l
	}
	// The context line is at or before the problem (one line earlier, as
	// the parser counts it), so search forward from there: gallop, then
	// bisect.
	lo := max(reported-1, 1) // prefixes shorter than lo lines are assumed to parse
	if lo > len(lines) {
		lo = len(lines)
	}
	budget := maxLocateParses
	hi, step := lo, 1
	for hi < len(lines) && budget > 0 {
		budget--
		if fails(doc[:prefixLen(hi)]) {
			break
		}
		lo, hi = hi+1, min(hi+step, len(lines))
		step *= 2
	}
	if hi >= len(lines) {
		hi = len(lines)
	}
	for lo < hi && budget > 0 {
		budget--
		mid := (lo + hi) / 2
		if fails(doc[:prefixLen(mid)]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	line = hi
	if line < 1 {
		return max(reported, 1), 1
	}
	// The column: the shortest prefix of that line that fails the same
	// way ends at the problem.
	text := strings.TrimRight(string(lines[line-1]), "\r\n")
	if i := strings.IndexByte(text, '\t'); i >= 0 && strings.Contains(msg, "tab") {
		return line, utf8.RuneCountInString(text[:i]) + 1
	}
	before := prefixLen(line - 1)
	runes := []rune(text)
	clo, chi := 1, len(runes)
	found := false
	for clo < chi && budget > 0 {
		budget--
		mid := (clo + chi) / 2
		if fails(append(doc[:before:before], string(runes[:mid])...)) {
			chi, found = mid, true
		} else {
			clo = mid + 1
		}
	}
	if found || (clo == chi && clo > 0 && budget > 0 && fails(append(doc[:before:before], string(runes[:clo])...))) {
		return line, clo
	}
	// Only the whole line fails: point at its first non-blank character.
	return line, utf8.RuneCountInString(text[:len(text)-len(strings.TrimLeft(text, " "))]) + 1
}

func isCharacterError(msg string) bool {
	return strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-8")
}

// badCharacter finds the first byte the YAML reader refuses: invalid UTF-8,
// or a character outside YAML's printable set (tab, line breaks, 0x20–0x7E,
// U+0085, U+00A0–U+D7FF, U+E000–U+FFFD, U+10000 and up).
func badCharacter(doc []byte) (int, bool) {
	for off := 0; off < len(doc); {
		r, size := utf8.DecodeRune(doc[off:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return off, true
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || r == 0x85 ||
			(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || r >= 0x10000:
		default:
			return off, true
		}
		off += size
	}
	return 0, false
}
