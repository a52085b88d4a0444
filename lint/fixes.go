package lint

import (
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/rules"
)

// dropPartialFixes removes the fixes that edit a value several places use
// (an anchored value that aliases repeat) unless each use reports the same
// fix: the edit changes every use, and a use that does not ask for it
// would be broken by it. The anchor itself always stays: the edit replaces
// only the value's text.
//
// It runs before identical findings are merged, when each use of a shared
// value has its own finding.
func dropPartialFixes(fs []rules.Finding) {
	count := map[string]int{}
	for _, f := range fs {
		if f.Fix != nil && f.Fix.Uses > 1 {
			count[fixKey(f)]++
		}
	}
	if len(count) == 0 {
		return
	}
	for i, f := range fs {
		if f.Fix != nil && f.Fix.Uses > 1 && count[fixKey(f)] < f.Fix.Uses {
			fs[i].Fix = nil
		}
	}
}

// fixKey identifies a rule's fix by its edits.
func fixKey(f rules.Finding) string {
	var b strings.Builder
	b.WriteString(f.Rule.ID)
	for _, e := range f.Fix.Edits {
		b.WriteByte(0)
		b.WriteString(strconv.Itoa(e.Range.Start.Offset))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Range.End.Offset))
		b.WriteByte(0)
		b.WriteString(e.New)
	}
	return b.String()
}
