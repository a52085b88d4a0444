// Package fix applies the fixes that findings carry: `dapilint lint --fix`
// and `--diff`.
//
// Only the bytes of the edits change: everything else in the file
// (comments, key order, indentation, quoting, a byte order mark, CRLF line
// endings, the final newline) stays as it was. Fixes whose edits overlap
// are applied one per pass: the file is linted again after each pass, and
// the passes go on until no fix is left or a bound is reached. A pass that
// would make the file unreadable (a new input error, DA0xx) is undone, and
// its fixes are tried one by one, so a wrong fix is dropped rather than
// written.
package fix

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// DefaultMaxPasses bounds the lint-and-fix passes over one file.
const DefaultMaxPasses = 10

// Options say which fixes to apply.
type Options struct {
	// Unsafe applies unsafe fixes too (--unsafe-fixes).
	Unsafe bool
	// MaxPasses bounds the passes (DefaultMaxPasses when 0).
	MaxPasses int
	// Fixable, when set, says whether a finding may be fixed (the CLI
	// leaves the findings of a baseline alone).
	Fixable func(rules.Finding) bool
}

// Relint lints a new version of a file's contents, with the configuration
// and under the name of the first run.
type Relint func(data []byte) lint.FileResult

// Result is what fixing one file did.
type Result struct {
	// Data is the fixed contents: the original bytes when nothing changed.
	Data []byte
	// Changed is whether any fix was applied.
	Changed bool
	// Fixed counts the findings whose fix was applied.
	Fixed int
	// Final is the lint result of Data: the findings that remain.
	Final lint.FileResult
	// Converged is false when the bound on passes was reached while fixes
	// were still left to apply.
	Converged bool
	// Rejected are findings whose fix made the file unreadable (a new
	// input error) and was not applied: a bug in dapilint, which the CLI
	// reports.
	Rejected []rules.Finding
}

// File fixes one file, starting from its first lint result (whose Source
// holds the contents as read).
func File(first lint.FileResult, relint Relint, opts Options) Result {
	res := Result{Final: first, Converged: true}
	if first.Source == nil {
		return res
	}
	res.Data = first.Source.Data
	passes := opts.MaxPasses
	if passes <= 0 {
		passes = DefaultMaxPasses
	}
	rejected := map[string]bool{}
	seen := map[string]bool{string(res.Data): true}
	cur := first
	for pass := 0; ; pass++ {
		groups := applicable(cur, opts, rejected)
		if len(groups) == 0 {
			break
		}
		if pass == passes {
			res.Converged = false
			break
		}
		chosen := nonOverlapping(groups)
		data, next, fixed := tryAll(cur, chosen, relint)
		if data == nil {
			// The pass as a whole made the file unreadable: apply its
			// fixes one at a time, each checked, and drop the bad ones.
			data, next, fixed = tryEach(cur, chosen, relint, rejected, &res)
			if data == nil {
				continue // every fix of the pass was rejected: look again
			}
		}
		if seen[string(data)] {
			// A cycle: fixes that undo each other. Stop at the first
			// version seen twice.
			res.Converged = false
			break
		}
		seen[string(data)] = true
		res.Data, res.Changed, res.Fixed, cur = data, true, res.Fixed+fixed, next
	}
	res.Final = cur
	return res
}

// group is one fix and the findings that carry it (several findings may
// carry the same fix, e.g. the uses of an anchored value).
type group struct {
	key      string
	fix      *rules.Fix
	findings []rules.Finding
}

// applicable collects the fixes of res that may be applied, grouped by
// their edits, in file order.
func applicable(res lint.FileResult, opts Options, rejected map[string]bool) []*group {
	byKey := map[string]*group{}
	var out []*group
	for _, f := range res.Findings {
		fx := f.Fix
		if fx == nil || len(fx.Edits) == 0 || fx.Source != res.Source {
			continue // no fix, or one made on other text than this file's
		}
		switch {
		case fx.Applicability == rules.Safe:
		case fx.Applicability == rules.Unsafe && opts.Unsafe:
		default:
			continue
		}
		if opts.Fixable != nil && !opts.Fixable(f) {
			continue
		}
		if !validEdits(fx.Edits, len(res.Source.Data)) {
			continue
		}
		key := editsKey(fx.Edits)
		if rejected[key] {
			continue
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key, fix: fx}
			byKey[key] = g
			out = append(out, g)
		}
		g.findings = append(g.findings, f)
	}
	slices.SortStableFunc(out, func(a, b *group) int {
		return cmp.Compare(a.fix.Edits[0].Range.Start.Offset, b.fix.Edits[0].Range.Start.Offset)
	})
	return out
}

func validEdits(edits []rules.Edit, size int) bool {
	for _, e := range edits {
		s, t := e.Range.Start.Offset, e.Range.End.Offset
		if s < 0 || s > t || t > size {
			return false
		}
	}
	for i := range edits {
		for j := i + 1; j < len(edits); j++ {
			if overlap(edits[i], edits[j]) {
				return false
			}
		}
	}
	return true
}

func editsKey(edits []rules.Edit) string {
	var b strings.Builder
	for _, e := range edits {
		b.WriteString(strconv.Itoa(e.Range.Start.Offset))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Range.End.Offset))
		b.WriteByte(0)
		b.WriteString(e.New)
		b.WriteByte(0)
	}
	return b.String()
}

// overlap reports whether two edits touch the same bytes, or insert at
// the same place (whose order would be arbitrary).
func overlap(a, b rules.Edit) bool {
	as, ae := a.Range.Start.Offset, a.Range.End.Offset
	bs, be := b.Range.Start.Offset, b.Range.End.Offset
	lo, hi := max(as, bs), min(ae, be)
	return lo < hi || (lo == hi && (as == ae || bs == be))
}

// nonOverlapping picks, in file order, the fixes whose edits overlap no
// fix picked before; the others wait for the next pass.
func nonOverlapping(groups []*group) []*group {
	var picked []*group
	var edits []rules.Edit
	for _, g := range groups {
		clash := false
		for _, e := range g.fix.Edits {
			for _, p := range edits {
				if overlap(e, p) {
					clash = true
				}
			}
		}
		if !clash {
			picked = append(picked, g)
			edits = append(edits, g.fix.Edits...)
		}
	}
	return picked
}

// Apply returns data with the edits applied. The edits must not overlap.
func Apply(data []byte, edits []rules.Edit) []byte {
	sorted := slices.Clone(edits)
	slices.SortFunc(sorted, func(a, b rules.Edit) int { return cmp.Compare(a.Range.Start.Offset, b.Range.Start.Offset) })
	var out bytes.Buffer
	out.Grow(len(data))
	at := 0
	for _, e := range sorted {
		out.Write(data[at:e.Range.Start.Offset])
		out.WriteString(e.New)
		at = e.Range.End.Offset
	}
	out.Write(data[at:])
	return out.Bytes()
}

// tryAll applies the groups together. It returns nil data when that makes
// the file unreadable.
func tryAll(cur lint.FileResult, groups []*group, relint Relint) ([]byte, lint.FileResult, int) {
	var edits []rules.Edit
	fixed := 0
	for _, g := range groups {
		edits = append(edits, g.fix.Edits...)
		fixed += len(g.findings)
	}
	data := Apply(cur.Source.Data, edits)
	next := relint(data)
	if next.Err != nil || newInputErrors(cur, next) {
		return nil, cur, 0
	}
	return data, next, fixed
}

// tryEach applies the groups one at a time, linting after each, and
// rejects those that make the file unreadable.
func tryEach(cur lint.FileResult, groups []*group, relint Relint, rejected map[string]bool, res *Result) ([]byte, lint.FileResult, int) {
	var data []byte
	fixed := 0
	// Later edits first, so that the offsets of earlier ones still hold.
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		d, next, n := tryAll(cur, []*group{g}, relint)
		if d == nil {
			rejected[g.key] = true
			res.Rejected = append(res.Rejected, g.findings[0])
			continue
		}
		data, cur, fixed = d, next, fixed+n
	}
	return data, cur, fixed
}

// newInputErrors reports whether next has more input errors (DA0xx) of
// some rule than cur: a fix must never make a file harder to read.
func newInputErrors(cur, next lint.FileResult) bool {
	count := func(res lint.FileResult) map[string]int {
		m := map[string]int{}
		for _, f := range res.Findings {
			if strings.HasPrefix(f.Rule.ID, "DA0") {
				m[f.Rule.ID]++
			}
		}
		return m
	}
	before := count(cur)
	for id, n := range count(next) {
		if n > before[id] {
			return true
		}
	}
	return false
}
