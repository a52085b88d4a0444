package fix

import (
	"bytes"
	"fmt"
)

// contextLines is the number of unchanged lines around each hunk.
const contextLines = 3

// Diff returns a unified diff from old to new, both named name ("--- name"
// and "+++ name", for `patch -p0` or `git apply -p0`), or nil when they are
// equal. Lines keep their terminators, so a CRLF file's diff has CRLF
// lines, and a last line without a newline is marked as such.
func Diff(name string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	ops := diffLines(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", name, name)
	// Group the operations into hunks: runs of changes with up to
	// 2*contextLines equal lines between them.
	for i := 0; i < len(ops); {
		if ops[i].kind == equal {
			i++
			continue
		}
		start := max(i-contextLines, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != equal {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == equal {
				run++
			}
			if run == len(ops) || run-end > 2*contextLines {
				end = min(end+contextLines, len(ops))
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end], a, b)
		i = end
	}
	return out.Bytes()
}

func writeHunk(out *bytes.Buffer, ops []op, a, b [][]byte) {
	first := ops[0]
	oldCount, newCount := 0, 0
	for _, o := range ops {
		if o.kind != insert {
			oldCount++
		}
		if o.kind != remove {
			newCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(first.a, oldCount), hunkRange(first.b, newCount))
	for _, o := range ops {
		switch o.kind {
		case equal:
			writeLine(out, ' ', a[o.a])
		case remove:
			writeLine(out, '-', a[o.a])
		case insert:
			writeLine(out, '+', b[o.b])
		}
	}
}

// hunkRange is "start,count" with 1-based start (for an empty range, the
// line before it, as diff does).
func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if count == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

func writeLine(out *bytes.Buffer, prefix byte, line []byte) {
	out.WriteByte(prefix)
	out.Write(line)
	if !bytes.HasSuffix(line, []byte("\n")) {
		out.WriteString("\n\\ No newline at end of file\n")
	}
}

func splitLines(data []byte) [][]byte {
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i+1])
		data = data[i+1:]
	}
	return lines
}

type opKind uint8

const (
	equal opKind = iota
	remove
	insert
)

// op is one line of the edit script: a and b are the line's indexes in the
// old and new text (for an insert, a is where the line goes in the old
// text; for a remove, b likewise).
type op struct {
	kind opKind
	a, b int
}

// diffLines is Myers' O((N+M)·D) shortest edit script over lines, after the
// common head and tail are set aside (fixes change few lines of large
// files).
func diffLines(a, b [][]byte) []op {
	head := 0
	for head < len(a) && head < len(b) && bytes.Equal(a[head], b[head]) {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && bytes.Equal(a[len(a)-1-tail], b[len(b)-1-tail]) {
		tail++
	}
	var ops []op
	for i := range head {
		ops = append(ops, op{equal, i, i})
	}
	for _, o := range myers(a[head:len(a)-tail], b[head:len(b)-tail]) {
		ops = append(ops, op{o.kind, o.a + head, o.b + head})
	}
	for i := range tail {
		ops = append(ops, op{equal, len(a) - tail + i, len(b) - tail + i})
	}
	return ops
}

func myers(a, b [][]byte) []op {
	n, m := len(a), len(b)
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	var d int
search:
	for d = 0; d <= maxD; d++ {
		// Keep only the diagonals the walk back can read: O(D²) memory.
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				break search
			}
		}
	}
	// Walk back through the trace.
	var rev []op
	x, y := n, m
	for ; d > 0; d-- {
		vp := trace[d] // vp[i] is diagonal i-d
		k := x - y
		var pk int
		if k == -d || (k != d && vp[d+k-1] < vp[d+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := vp[d+pk]
		py := px - pk
		for x > px && y > py {
			x--
			y--
			rev = append(rev, op{equal, x, y})
		}
		if x == px {
			y--
			rev = append(rev, op{insert, x, y})
		} else {
			x--
			rev = append(rev, op{remove, x, y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, op{equal, x, y})
	}
	ops := make([]op, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}
