package reporter

import (
	"strings"
	"testing"

	"github.com/dapilint/dapilint/loader"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain, ünï 漢字":               "plain, ünï 漢字",
		"\x1b]0;pwned\x07\x1b[2J":     `\x1b]0;pwned\x07\x1b[2J`,
		"tab\tnew\nline\rcr":          `tab\tnew\nline\rcr`,
		"del\x7f c1\u0085\u009b":      `del\x7f c1\x85\x9b`,
		"bidi \u202e\u2066\u200f end": `bidi \u202e\u2066\u200f end`,
		"bad \xff\xfe utf8":           `bad \xff\xfe utf8`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("x", 5000)
	got := PrintableMessage("v" + long)
	if n := len([]rune(got)); n > maxMessageChars+40 || !strings.Contains(got, "characters left out") {
		t.Errorf("a 5000-character message is shown as %d characters", n)
	}
}

// TestSnippet: the caret is under the span, whatever the line holds, and
// a long line is cut around it.
func TestSnippet(t *testing.T) {
	at := func(col, end int) loader.Range {
		return loader.Range{Start: loader.Pos{Line: 1, Col: col}, End: loader.Pos{Line: 1, Col: end}}
	}
	for _, c := range []struct {
		line        string
		r           loader.Range
		shown, care string
	}{
		{"  key: value", at(8, 13), "  key: value", "       ^~~~~"},
		{"\tkey: wert", at(7, 11), "\tkey: wert", "\t     ^~~~"},
		{"a: 漢字 x", at(7, 8), "a: 漢字 x", "        ^"},
		{"a: \x1b[2J x", at(9, 10), `a: \x1b[2J x`, "           ^"},
		{"a: b", at(9, 9), "a: b", "    ^"}, // past the end: at the end
	} {
		shown, caret := snippet(c.line, c.r, 160)
		if shown != c.shown || caret != c.care {
			t.Errorf("snippet(%q, %v) =\n%q\n%q\nwant\n%q\n%q", c.line, c.r, shown, caret, c.shown, c.care)
		}
	}
	line := strings.Repeat("a", 3000) + "FIND" + strings.Repeat("b", 3000)
	shown, caret := snippet(line, at(3001, 3005), 160)
	if w := len([]rune(shown)); w > 160 {
		t.Errorf("a 6000-character line is shown %d characters wide", w)
	}
	i := strings.Index(shown, "FIND")
	if !strings.HasPrefix(shown, "…") || !strings.HasSuffix(shown, "…") || i < 0 ||
		len([]rune(shown[:i])) != len([]rune(caret))-4 || !strings.HasSuffix(caret, "^~~~") {
		t.Errorf("the window does not hold the span under its caret:\n%s\n%s", shown, caret)
	}
}
