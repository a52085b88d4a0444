package loader

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// rawDoc is one document of a file, as kubectl splits it.
type rawDoc struct {
	data      []byte // a YAML document's text
	startLine int    // 1-based line of the document's first byte
	offset    int    // byte offset of the document's first byte in the file
	// colShift is added to the columns of the document's first line: a
	// YAML document that kubectl starts reading in the middle of a line
	// (after a JSON value) is parsed on its own.
	colShift int
	root     *Node    // a JSON document, already built
	err      *Problem // set when the document could not be split out
	// jsonErr, on the first YAML document after kubectl gave up on a JSON
	// stream, is the JSON error kubectl reports if that document is not
	// YAML either.
	jsonErr *Problem
}

// jsonSniffLen is how far kubectl (YAMLOrJSONDecoder, with the buffer size
// its StreamVisitor gives it) looks for the '{' that makes a stream JSON.
const jsonSniffLen = 4096

// splitDocuments splits a file the way kubectl's YAMLOrJSONDecoder does.
// A stream whose first 4096 bytes are blank up to a '{' is a sequence of
// JSON values, read by encoding/json; when the first or second value does
// not parse, kubectl falls back to YAML from the end of the last value it
// read (a .json file with "defaultMode": 0644 or a trailing comma is YAML
// to kubectl). Anything else is YAML split at lines that start with "---"
// (only blanks or a comment may follow on that line; anything else is an
// error).
func splitDocuments(src *Source) []rawDoc {
	data := src.Data
	sniff := data[:min(len(data), jsonSniffLen)]
	if !bytes.HasPrefix(bytes.TrimLeftFunc(sniff, unicode.IsSpace), []byte("{")) {
		return splitYAML(src, 0)
	}
	vals, consumed, jerr := jsonValues(data, 0)
	docs := make([]rawDoc, 0, len(vals)+1)
	for _, v := range vals {
		start := src.PosOfOffset(v.start)
		root, err := buildJSON(src, v)
		if err != nil {
			// Cannot happen for a value encoding/json accepted; say so
			// rather than lose the document.
			docs = append(docs, rawDoc{startLine: start.Line, err: &Problem{Kind: SyntaxError,
				Line: start.Line, Col: start.Col, Message: "internal error reading JSON: " + err.Error()}})
			continue
		}
		docs = append(docs, rawDoc{root: root, startLine: start.Line})
	}
	if jerr == nil {
		return docs
	}
	pos := src.PosOfOffset(jerr.offset)
	p := &Problem{Kind: SyntaxError, Line: pos.Line, Col: pos.Col, Message: "invalid JSON: " + jerr.msg}
	if len(vals) > 1 {
		// An unambiguous JSON stream: kubectl reports the error and reads
		// no further.
		return append(docs, rawDoc{startLine: pos.Line, err: p})
	}
	ydocs := splitYAML(src, consumeWhitespace(data, consumed))
	if len(ydocs) > 0 {
		if ydocs[0].err != nil {
			ydocs[0].err = p
		} else {
			ydocs[0].jsonErr = p
		}
	}
	return append(docs, ydocs...)
}

// consumeWhitespace mirrors YAMLOrJSONDecoder.consumeWhitespace: after a
// JSON value, the YAML fallback starts past the blanks that follow it, up
// to and including the first newline.
func consumeWhitespace(data []byte, off int) int {
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError || !unicode.IsSpace(r) {
			return off
		}
		off += size
		if r == '\n' {
			return off
		}
	}
	return off
}

// splitYAML splits data[from:] into YAML documents as kubectl's YAMLReader
// does.
func splitYAML(src *Source, from int) []rawDoc {
	data := src.Data
	var docs []rawDoc
	startPos := src.PosOfOffset(from)
	start, startLine, colShift := from, startPos.Line, startPos.Col-1
	line := startPos.Line
	for off := from; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		l := data[off:next]
		if bytes.HasPrefix(l, []byte("---")) {
			if off > start {
				docs = append(docs, rawDoc{data: data[start:off], startLine: startLine, offset: start, colShift: colShift})
			}
			rest := bytes.TrimSpace(l[3:])
			if len(rest) > 0 && rest[0] != '#' {
				docs = append(docs, rawDoc{startLine: line, err: &Problem{
					Kind: SyntaxError, Line: line, Col: 4 + (len(l[3:]) - len(bytes.TrimLeft(l[3:], " \t"))),
					Message: fmt.Sprintf("invalid YAML document separator: %q (kubectl allows only a comment after ---, so it refuses the whole file)", rest),
				}})
			}
			start, startLine, colShift = next, line+1, 0
		}
		off = next
		line++
	}
	if start < len(data) {
		docs = append(docs, rawDoc{data: data[start:], startLine: startLine, offset: start, colShift: colShift})
	}
	return docs
}
