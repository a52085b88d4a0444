package reporter

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dapilint/dapilint/loader"
	"github.com/mattn/go-runewidth"
)

// Output for people never passes a manifest's bytes to the terminal raw:
// an escape sequence in a manifest could clear the screen or retitle the
// window, and bidirectional overrides could make the line shown differ from
// the line read. Such characters are written escaped, as Go writes them in
// a string literal (\x1b, \u202e), and bytes that are not UTF-8 as \xNN.

// escapeRune is how a character is shown, and whether it is escaped.
func escapeRune(r rune, size int, s string) (string, bool) {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, s[0]), true
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		switch r {
		case '\t':
			return `\t`, true
		case '\n':
			return `\n`, true
		case '\r':
			return `\r`, true
		}
		return fmt.Sprintf(`\x%02x`, r), true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c,
		r == 0x2028, r == 0x2029, r == 0xfeff:
		// Bidirectional controls, line and paragraph separators, and the
		// byte order mark.
		return fmt.Sprintf(`\u%04x`, r), true
	}
	return "", false
}

// Printable is s with control characters, bidirectional controls and
// invalid UTF-8 escaped, for a terminal or a log.
func Printable(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, esc := escapeRune(r, size, s[i:]); esc {
			clean = false
			break
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if e, esc := escapeRune(r, size, s[i:]); esc {
			b.WriteString(e)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// maxMessageChars bounds a message shown to people: a value quoted from a
// one-megabyte line must not fill the screen.
const maxMessageChars = 1000

// PrintableMessage is a message made Printable, with its middle left out
// when it is longer than maxMessageChars characters.
func PrintableMessage(s string) string {
	s = Printable(s)
	n := utf8.RuneCountInString(s)
	if n <= maxMessageChars {
		return s
	}
	runes := []rune(s)
	head, tail := maxMessageChars*2/3, maxMessageChars/4
	return fmt.Sprintf("%s…(%d characters left out)…%s", string(runes[:head]), n-head-tail, string(runes[n-tail:]))
}

// maxSnippetWidth is the widest source line shown whole, in terminal
// columns; a longer one is cut around the finding.
const maxSnippetWidth = 160

// snippetCell is one character of a source line as shown.
type snippetCell struct {
	text  string
	width int
	tab   bool
}

// snippet returns the source line as shown, and the caret line under it
// ("    ^~~~") for the span r starting on that line. Escaped characters
// are as wide as their escape, wide characters count two columns, and a
// tab stays a tab in both lines so that the caret lines up. A line wider
// than maxWidth is cut to a window around the span's start, with "…" for
// what was left out, as rustc and ruff do.
func snippet(line string, r loader.Range, maxWidth int) (shown, under string) {
	var cells []snippetCell
	total := 0
	for i := 0; i < len(line); {
		ch, size := utf8.DecodeRuneInString(line[i:])
		c := snippetCell{text: line[i : i+size], width: runewidth.RuneWidth(ch)}
		switch e, esc := escapeRune(ch, size, line[i:]); {
		case ch == '\t':
			c.tab, c.width = true, 4
		case esc:
			c.text, c.width = e, len(e)
		}
		cells = append(cells, c)
		total += c.width
		i += size
	}
	start := min(max(r.Start.Col-1, 0), len(cells))
	end := len(cells)
	if r.End.Line == r.Start.Line {
		end = min(max(r.End.Col-1, start), len(cells))
	}
	lo, hi := 0, len(cells)
	if total > maxWidth {
		// Up to a third of the width before the span, the rest after.
		budget := maxWidth - 2 // the two ellipses
		lo = start
		for left := 0; lo > 0 && left+cells[lo-1].width <= budget/3; lo-- {
			left += cells[lo-1].width
		}
		hi = lo
		for used := 0; hi < len(cells) && used+cells[hi].width <= budget; hi++ {
			used += cells[hi].width
		}
		hi = max(hi, min(start+1, len(cells)))
	}
	var sb, ub strings.Builder
	if lo > 0 {
		sb.WriteString("…")
		ub.WriteByte(' ')
	}
	for i := lo; i < hi; i++ {
		sb.WriteString(cells[i].text)
	}
	if hi < len(cells) {
		sb.WriteString("…")
	}
	for i := lo; i < start && i < hi; i++ {
		if cells[i].tab {
			ub.WriteByte('\t')
		} else {
			ub.WriteString(strings.Repeat(" ", cells[i].width))
		}
	}
	width := 0
	for i := start; i < min(end, hi); i++ {
		width += cells[i].width
	}
	ub.WriteString("^")
	ub.WriteString(strings.Repeat("~", max(width, 1)-1))
	return sb.String(), ub.String()
}
