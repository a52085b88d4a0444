// Package oraclegolden keeps the recorded API server verdicts on the rule
// fixtures (rules/testdata/oracle*/): how a fixture is fingerprinted, and
// (in record/) the program that records them with the apiserver-oracle.
package oraclegolden

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Hash fingerprints a fixture for its golden: the sha256 of its text with
// every YAML comment removed, so that editing a "# want" expectation or an
// explanatory comment does not make a recording stale, while any change
// the API server could see does.
func Hash(data []byte) string {
	sum := sha256.Sum256(StripComments(data))
	return hex.EncodeToString(sum[:])
}

// StripComments removes YAML comments line by line: a '#' at the start of
// a line or after a blank, outside a quoted string and outside the content
// of a block scalar (| or >), ends the line's content. Trailing blanks go
// too. It errs on the side of keeping text: a '#' it cannot place is kept.
func StripComments(data []byte) []byte {
	var out bytes.Buffer
	blockIndent := -1 // indentation of the key that opened a block scalar
	for _, line := range strings.SplitAfter(string(data), "\n") {
		body, nl := strings.CutSuffix(line, "\n")
		indent := len(body) - len(strings.TrimLeft(body, " "))
		if blockIndent >= 0 {
			if strings.TrimSpace(body) == "" || indent > blockIndent {
				out.WriteString(line)
				continue
			}
			blockIndent = -1
		}
		body = strings.TrimRight(stripLineComment(body), " \t\r")
		out.WriteString(body)
		if nl {
			out.WriteByte('\n')
		}
		if opensBlockScalar(body) {
			blockIndent = indent
		}
	}
	return out.Bytes()
}

func stripLineComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				quote = 0
			}
		case c == '"' || c == '\'':
			// A quote opens a string only where a scalar can start.
			if i == 0 || strings.IndexByte(" \t[{,:-", s[i-1]) >= 0 {
				quote = c
			}
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

// opensBlockScalar reports whether a line (comment removed) ends with a
// block scalar header: "key: |", "- >-", "key: |2+".
func opensBlockScalar(s string) bool {
	s = strings.TrimRight(s, " \t")
	i := len(s)
	for i > 0 && strings.IndexByte("+-0123456789", s[i-1]) >= 0 {
		i--
	}
	if i == 0 || (s[i-1] != '|' && s[i-1] != '>') {
		return false
	}
	return i == 1 || s[i-2] == ' ' || s[i-2] == '\t'
}
