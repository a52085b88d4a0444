package loader

import (
	"bytes"
	"unicode/utf8"
)

// Pos is a position in a file. Line and Col are 1-based and Col counts
// characters (Unicode code points), as editors and SARIF's
// unicodeCodePoints column kind do; Offset is the 0-based byte offset that
// edits use.
type Pos struct {
	Line   int
	Col    int
	Offset int
}

// Range is a half-open span of a file: End points just past the last
// character.
type Range struct {
	Start Pos
	End   Pos
}

// Source is a file's bytes with a lazily built line table.
type Source struct {
	Name string
	Data []byte
	// Binary is true for data that is not text (a NUL byte): it is never
	// shown.
	Binary bool
	// Encoding is the encoding the file was read from when it was not
	// UTF-8 ("UTF-16LE"): Data is then its UTF-8 form, which positions and
	// offsets refer to.
	Encoding   string
	lineStarts []int
}

// NewSource wraps data read from name.
func NewSource(name string, data []byte) *Source {
	return &Source{Name: name, Data: data}
}

func (s *Source) lines() []int {
	if s.lineStarts == nil {
		starts := make([]int, 1, 64)
		for i, b := range s.Data {
			if b == '\n' {
				starts = append(starts, i+1)
			}
		}
		s.lineStarts = starts
	}
	return s.lineStarts
}

// LineCount is the number of lines in the file.
func (s *Source) LineCount() int { return len(s.lines()) }

// bom is the UTF-8 byte order mark. A file may start with one; it is not
// a character of the first line: columns do not count it (as the YAML
// parser and editors do not), and Line leaves it out.
var bom = []byte("\ufeff")

// lineStart is the offset of line n's first character: past the byte
// order mark on line 1.
func (s *Source) lineStart(n int) int {
	start := s.lines()[n-1]
	if n == 1 && bytes.HasPrefix(s.Data, bom) {
		start = len(bom)
	}
	return start
}

// Line returns line n (1-based) without its line terminator.
func (s *Source) Line(n int) string {
	ls := s.lines()
	if n < 1 || n > len(ls) {
		return ""
	}
	start := s.lineStart(n)
	end := len(s.Data)
	if n < len(ls) {
		end = ls[n] - 1
	}
	line := s.Data[start:end]
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return string(line)
}

// PosAt returns the position of the character at line, col.
func (s *Source) PosAt(line, col int) Pos {
	ls := s.lines()
	if line < 1 {
		line = 1
	}
	if line > len(ls) {
		return s.PosOfOffset(len(s.Data))
	}
	off := s.lineStart(line)
	for c := 1; c < col && off < len(s.Data) && s.Data[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(s.Data[off:])
		off += size
	}
	return Pos{Line: line, Col: col, Offset: off}
}

// PosOfOffset returns the position of a byte offset.
func (s *Source) PosOfOffset(off int) Pos {
	ls := s.lines()
	if off > len(s.Data) {
		off = len(s.Data)
	}
	lo, hi := 0, len(ls)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ls[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := s.lineStart(lo + 1)
	if off < start {
		start = off // inside the byte order mark
	}
	return Pos{Line: lo + 1, Col: utf8.RuneCount(s.Data[start:off]) + 1, Offset: off}
}

// NodeRange returns the span of a node's token: the whole quoted string for
// a quoted scalar, the value for a plain one, the bracketed text for a flow
// collection, and the rest of the first line for anything else.
//
// A node copied for an alias has the range of the alias token (*name):
// the place where the value is used.
func (s *Source) NodeRange(n *Node) Range {
	if n.Via != nil {
		n = n.Via
	}
	start := s.PosAt(n.Line, n.Col)
	end := s.tokenEnd(n, start.Offset)
	if end <= start.Offset {
		end = start.Offset
		if end < len(s.Data) && s.Data[end] != '\n' && s.Data[end] != '\r' {
			_, size := utf8.DecodeRune(s.Data[end:])
			end += size
		}
	}
	return Range{Start: start, End: s.PosOfOffset(end)}
}

func (s *Source) tokenEnd(n *Node, off int) int {
	d := s.Data
	if off >= len(d) {
		return off
	}
	switch {
	case n.Kind == ScalarNode && n.Style == DoubleQuoted && d[off] == '"':
		for i := off + 1; i < len(d); i++ {
			switch d[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
	case n.Kind == ScalarNode && n.Style == SingleQuoted && d[off] == '\'':
		for i := off + 1; i < len(d); i++ {
			if d[i] == '\'' {
				if i+1 < len(d) && d[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	case n.Kind == ScalarNode && n.Style == Plain && n.Value != "" && bytes.HasPrefix(d[off:], []byte(n.Value)):
		return off + len(n.Value)
	case n.Kind != ScalarNode && n.Flow && (d[off] == '{' || d[off] == '['):
		depth := 0
		for i := off; i < len(d); i++ {
			switch d[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			case '"', '\'':
				// Skip quoted strings so brackets inside them do not count.
				q := d[i]
				for i++; i < len(d) && d[i] != q; i++ {
					if q == '"' && d[i] == '\\' {
						i++
					}
				}
			}
		}
	}
	return s.lineContentEnd(off)
}

// lineContentEnd returns the offset of the end of the content that starts
// at off on its line: before a trailing comment and trailing blanks.
func (s *Source) lineContentEnd(off int) int {
	d := s.Data
	end := off
	for end < len(d) && d[end] != '\n' {
		if d[end] == '#' && end > off && (d[end-1] == ' ' || d[end-1] == '\t') {
			break
		}
		end++
	}
	for end > off && (d[end-1] == ' ' || d[end-1] == '\t' || d[end-1] == '\r') {
		end--
	}
	return end
}
