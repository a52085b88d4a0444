package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// rawDoc is one document of a file, as kubectl splits it.
type rawDoc struct {
	data      []byte // the document's text; for JSON, padded to its column
	startLine int    // 1-based line of the document's first byte
	offset    int    // byte offset of the document's first byte in the file
	json      bool
	err       *Problem // set when the document could not be split out
}

// splitDocuments splits a file the way kubectl's resource builder does: a
// stream whose first non-blank byte is '{' is a sequence of JSON values;
// anything else is YAML split at lines that start with "---" (only blanks or
// a comment may follow on that line; anything else is an error).
func splitDocuments(data []byte) []rawDoc {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return splitJSON(data)
	}
	return splitYAML(data)
}

func splitYAML(data []byte) []rawDoc {
	var docs []rawDoc
	start, startLine := 0, 1
	line := 1
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		l := data[off:next]
		if bytes.HasPrefix(l, []byte("---")) {
			if off > start {
				docs = append(docs, rawDoc{data: data[start:off], startLine: startLine, offset: start})
			}
			rest := bytes.TrimSpace(l[3:])
			if len(rest) > 0 && rest[0] != '#' {
				docs = append(docs, rawDoc{startLine: line, err: &Problem{
					Kind: SyntaxError, Line: line, Col: 4 + (len(l[3:]) - len(bytes.TrimLeft(l[3:], " \t"))),
					Message: fmt.Sprintf("invalid YAML document separator: %q (kubectl allows only a comment after ---, so it refuses the whole file)", rest),
				}})
			}
			start, startLine = next, line+1
		}
		off = next
		line++
	}
	if start < len(data) {
		docs = append(docs, rawDoc{data: data[start:], startLine: startLine, offset: start})
	}
	return docs
}

func splitJSON(data []byte) []rawDoc {
	var docs []rawDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		off := int(dec.InputOffset())
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return docs
		}
		// Skip the blanks before the value to find where it starts.
		for off < len(data) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n') {
			off++
		}
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		if err != nil {
			p := &Problem{Kind: SyntaxError, Line: line, Col: 1, Message: "invalid JSON: " + err.Error()}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				pos := int(se.Offset)
				if pos > len(data) {
					pos = len(data)
				}
				p.Line = 1 + bytes.Count(data[:pos], []byte("\n"))
				p.Col = pos - bytes.LastIndexByte(data[:pos], '\n')
			}
			return append(docs, rawDoc{startLine: line, err: p})
		}
		end := int(dec.InputOffset())
		// Pad the value with blanks to its column so that the parser's
		// columns on its first line are the file's columns.
		lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
		buf := make([]byte, 0, end-lineStart)
		for range utf8.RuneCount(data[lineStart:off]) {
			buf = append(buf, ' ')
		}
		buf = append(buf, data[off:end]...)
		docs = append(docs, rawDoc{data: buf, startLine: line, json: true})
	}
}
