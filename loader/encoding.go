package loader

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// fromUTF16 turns UTF-16 text that starts with a byte order mark into
// UTF-8, as kubectl does when it reads a file (cli-runtime's FileVisitor
// decodes with unicode.BOMOverride). It returns the encoding it read
// ("UTF-16LE", "UTF-16BE"), or "" and data unchanged for anything else.
func fromUTF16(data []byte) ([]byte, string) {
	var order func([]byte) uint16
	var name string
	switch {
	case len(data) >= 2 && data[0] == 0xff && data[1] == 0xfe:
		order, name = func(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }, "UTF-16LE"
	case len(data) >= 2 && data[0] == 0xfe && data[1] == 0xff:
		order, name = func(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }, "UTF-16BE"
	default:
		return data, ""
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order(data[i:]))
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(data)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError) // a truncated last unit
	}
	return out, name
}

// binaryProblem says why data is not text a manifest can be read from: it
// has a NUL byte, which neither YAML nor JSON allows and which kubectl
// refuses. UTF-16 without a byte order mark (which kubectl does not
// recognize) is named as such. The message never quotes the data.
func binaryProblem(src *Source) *Problem {
	data := src.Data
	i := bytes.IndexByte(data, 0)
	if i < 0 {
		return nil
	}
	pos := src.PosOfOffset(i)
	msg := fmt.Sprintf("binary data (a NUL byte at line %d, column %d), not a YAML or JSON manifest; kubectl cannot read it", pos.Line, pos.Col)
	if looksUTF16(data) {
		msg = "UTF-16 text without a byte order mark: kubectl reads UTF-8, and UTF-16 only after a byte order mark; convert the file to UTF-8"
	}
	return &Problem{Kind: SyntaxError, Line: 1, Col: 1, Message: msg}
}

// looksUTF16 reports whether data looks like UTF-16 text in ASCII: every
// other byte of its start is NUL.
func looksUTF16(data []byte) bool {
	n := min(len(data), 512) &^ 1
	if n < 4 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return (odd >= half*9/10 && even == 0) || (even >= half*9/10 && odd == 0)
}
