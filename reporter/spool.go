package reporter

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
)

// The JSON and SARIF documents put their totals (and SARIF its rule table
// and invocation) before the findings, but the totals are known only at
// the end. Rather than hold every finding until then, the reporters encode
// each finding as it comes into a spool, which stays in memory while small
// and moves to a temporary file when it grows, and splice it into the
// document at the end: memory stays flat however many findings a run has,
// and the bytes are those the whole document encoded at once would have.

// spoolMemory is how much encoded output a spool keeps in memory before it
// moves to a temporary file.
const spoolMemory = 1 << 20

// itemSpool collects the encoded items of one JSON array.
type itemSpool struct {
	// prefix is the indentation of the array's items: the encoding is that
	// of json.Encoder with SetIndent("", "  ") on the whole document.
	prefix string
	buf    bytes.Buffer
	file   *os.File
	n      int
	err    error
	enc    *json.Encoder
	item   bytes.Buffer
}

func newItemSpool(depth int) *itemSpool {
	s := &itemSpool{prefix: "\n" + indentOf(depth)}
	s.enc = json.NewEncoder(&s.item)
	s.enc.SetEscapeHTML(false)
	s.enc.SetIndent(indentOf(depth), "  ")
	return s
}

func indentOf(depth int) string { return strings.Repeat("  ", depth) }

// add encodes one item.
func (s *itemSpool) add(v any) {
	if s.err != nil {
		return
	}
	s.item.Reset()
	if s.err = s.enc.Encode(v); s.err != nil {
		return
	}
	if s.n > 0 {
		s.buf.WriteByte(',')
	}
	s.n++
	s.buf.WriteString(s.prefix)
	s.buf.Write(bytes.TrimSuffix(s.item.Bytes(), []byte("\n")))
	if s.buf.Len() >= spoolMemory {
		s.spill()
	}
}

func (s *itemSpool) spill() {
	if s.file == nil {
		if s.file, s.err = os.CreateTemp("", "dapilint-spool-"); s.err != nil {
			return
		}
		// Removed at once where the system allows it (the open file is
		// all that is needed, and nothing is left behind if the process
		// dies); elsewhere when the spool is closed.
		os.Remove(s.file.Name())
	}
	_, s.err = s.buf.WriteTo(s.file)
	s.buf.Reset()
}

// writeDocument writes doc, encoded with SetIndent("", "  ") and an empty
// array at marker, with the spooled items in that array instead. marker
// must occur in the encoding before anything a string could put there,
// e.g. `\n  "findings": []` for a key of the top-level object.
func (s *itemSpool) writeDocument(w io.Writer, doc any, marker string) error {
	if s.err != nil {
		return s.close(s.err)
	}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return s.close(err)
	}
	text := head.Bytes()
	at := bytes.Index(text, []byte(marker))
	if at < 0 {
		return s.close(errors.New("internal error: no place for the findings in the document"))
	}
	at += len(marker) - 1 // just before the array's ']'
	if s.n == 0 {
		_, err := w.Write(text)
		return s.close(err)
	}
	if _, err := w.Write(text[:at]); err != nil {
		return s.close(err)
	}
	if s.file != nil {
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return s.close(err)
		}
		if _, err := io.Copy(w, s.file); err != nil {
			return s.close(err)
		}
	}
	if _, err := w.Write(s.buf.Bytes()); err != nil {
		return s.close(err)
	}
	// The array's closing bracket goes on its own line, one level out.
	closing := s.prefix[:len(s.prefix)-2]
	if _, err := io.WriteString(w, closing); err != nil {
		return s.close(err)
	}
	_, err := w.Write(text[at:])
	return s.close(err)
}

func (s *itemSpool) close(err error) error {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
	s.buf = bytes.Buffer{}
	return err
}
