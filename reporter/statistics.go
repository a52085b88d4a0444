package reporter

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// statistics counts findings per rule (--statistics), as ruff's and
// golangci-lint's statistics do:
//
//	3  DA101  error    fieldref-unsupported-path  [fixable]
//	1  DA202  warning  limit-not-set
//
// most frequent first, then the summary line.
type statistics struct {
	w      io.Writer
	quiet  bool
	counts map[statKey]int
}

type statKey struct {
	rule     *rules.Rule
	severity rules.Severity
}

// NewStatistics returns the reporter of --statistics.
func NewStatistics(w io.Writer, opts Options) Reporter {
	return &statistics{w: w, quiet: opts.Quiet, counts: map[statKey]int{}}
}

func (s *statistics) File(res lint.FileResult) error {
	for _, f := range res.Findings {
		s.counts[statKey{f.Rule, f.Severity}]++
	}
	return nil
}

func (s *statistics) Finish(sum Summary) error {
	keys := make([]statKey, 0, len(s.counts))
	for k := range s.counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b statKey) int {
		return cmp.Or(cmp.Compare(s.counts[b], s.counts[a]), cmp.Compare(a.rule.ID, b.rule.ID), cmp.Compare(b.severity, a.severity))
	})
	countW, nameW := 1, 1
	for _, k := range keys {
		countW = max(countW, len(fmt.Sprint(s.counts[k])))
		nameW = max(nameW, len(k.rule.Name))
	}
	var b strings.Builder
	for _, k := range keys {
		line := fmt.Sprintf("%*d  %-5s  %-7s  %-*s", countW, s.counts[k], k.rule.ID, k.severity, nameW, k.rule.Name)
		if k.rule.Fixes != 0 {
			line += "  [fixes: " + k.rule.Fixes.String() + "]"
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if !s.quiet {
		b.WriteString(sum.Line() + "\n")
	}
	_, err := io.WriteString(s.w, b.String())
	return err
}
