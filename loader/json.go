package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// JSON input is read as JSON, never through the YAML parser: kubectl hands
// a JSON stream to encoding/json, which accepts what YAML refuses (DEL, C1
// controls and U+FFFE inside strings, the escape \/) and refuses what YAML
// accepts (0644, trailing commas; for those kubectl falls back to YAML, see
// splitDocuments).
//
// encoding/json decides where each value ends and whether it is valid, so
// acceptance is kubectl's by construction; buildJSON then turns a value
// known to be valid into Nodes with positions.

// jsonValues decodes the JSON values of data from offset start, as
// YAMLOrJSONDecoder does. It returns the values read, the offset just past
// the last good one, and the decoder's error for the next one (nil at the
// end of the input).
func jsonValues(data []byte, start int) (vals []jsonValue, consumed int, err *jsonSyntaxError) {
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	consumed = start
	for {
		var raw json.RawMessage
		derr := dec.Decode(&raw)
		if errors.Is(derr, io.EOF) {
			return vals, consumed, nil
		}
		if derr != nil {
			off := len(data)
			var se *json.SyntaxError
			if errors.As(derr, &se) {
				// Offset counts the bytes read, the offending one included.
				off = start + max(int(se.Offset)-1, 0)
			}
			msg := derr.Error()
			if errors.Is(derr, io.ErrUnexpectedEOF) {
				msg = "unexpected end of JSON input"
			}
			return vals, consumed, &jsonSyntaxError{offset: min(off, len(data)), msg: msg}
		}
		end := start + int(dec.InputOffset())
		vals = append(vals, jsonValue{start: end - len(raw), end: end})
		consumed = end
	}
}

type jsonValue struct{ start, end int }

type jsonSyntaxError struct {
	offset int
	msg    string
}

// buildJSON turns the valid JSON value data[v.start:v.end] into a Node
// tree whose positions are the file's.
func buildJSON(src *Source, v jsonValue) (*Node, error) {
	start := src.PosOfOffset(v.start)
	p := jsonBuilder{data: src.Data, pos: v.start, end: v.end, line: start.Line, colOff: v.start, col: start.Col}
	n, err := p.value()
	if err == nil && p.skipSpace() != v.end {
		err = fmt.Errorf("JSON value ends at offset %d, expected %d", p.pos, v.end)
	}
	return n, err
}

// jsonBuilder walks a valid JSON value, tracking line and column (counted
// in runes, incrementally, so that a long one-line document stays linear).
type jsonBuilder struct {
	data     []byte
	pos, end int
	line     int
	colOff   int // an offset on the current line whose column is col
	col      int
}

func (p *jsonBuilder) skipSpace() int {
	for p.pos < p.end {
		switch p.data[p.pos] {
		case '\n':
			p.line++
			p.pos++
			p.colOff, p.col = p.pos, 1
		case ' ', '\t', '\r':
			p.pos++
		default:
			return p.pos
		}
	}
	return p.pos
}

// column returns the column of offset off on the current line (off must
// not be before the anchor).
func (p *jsonBuilder) column(off int) int {
	p.col += utf8.RuneCount(p.data[p.colOff:off])
	p.colOff = off
	return p.col
}

func (p *jsonBuilder) value() (*Node, error) {
	p.skipSpace()
	if p.pos >= p.end {
		return nil, errors.New("unexpected end of JSON value")
	}
	n := &Node{Line: p.line, Col: p.column(p.pos)}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		n.Kind, n.Flow = MappingNode, true
		closer := byte('}')
		if c == '[' {
			n.Kind, closer = SequenceNode, ']'
		}
		p.pos++
		for first := true; ; first = false {
			if p.skipSpace() < p.end && p.data[p.pos] == closer {
				p.pos++
				return n, nil
			}
			if !first {
				if p.data[p.pos] != ',' {
					return nil, fmt.Errorf("expected ',' at offset %d", p.pos)
				}
				p.pos++
			}
			if n.Kind == MappingNode {
				k, err := p.value()
				if err != nil {
					return nil, err
				}
				if p.skipSpace() >= p.end || p.data[p.pos] != ':' {
					return nil, fmt.Errorf("expected ':' at offset %d", p.pos)
				}
				p.pos++
				n.Content = append(n.Content, k)
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
	case c == '"':
		start := p.pos
		escaped := false
		for p.pos++; p.pos < p.end && p.data[p.pos] != '"'; p.pos++ {
			if p.data[p.pos] == '\\' {
				escaped = true
				p.pos++
			}
		}
		p.pos++
		tok := p.data[start:p.pos]
		n.Kind, n.Style, n.JSON = ScalarNode, DoubleQuoted, true
		if !escaped && utf8.Valid(tok) {
			n.Value = string(tok[1 : len(tok)-1])
		} else if err := json.Unmarshal(tok, &n.Value); err != nil {
			// encoding/json's own unquoting: escapes, surrogate pairs,
			// invalid UTF-8 replaced by U+FFFD.
			return nil, err
		}
	default:
		start := p.pos
		for p.pos < p.end && strings.IndexByte(" \t\r\n,]}:", p.data[p.pos]) < 0 {
			p.pos++
		}
		n.Kind, n.Style, n.JSON = ScalarNode, Plain, true
		n.Value = string(p.data[start:p.pos])
	}
	return n, nil
}
