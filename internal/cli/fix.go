package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/dapilint/dapilint/fix"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
	ucli "github.com/urfave/cli/v2"
)

// fixFlags are lint's flags for fixes.
func fixFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.BoolFlag{Name: "fix", Usage: "apply the safe fixes in place, then report what remains (with - as the PATH, the fixed stream goes to standard output and the report to standard error)"},
		&ucli.BoolFlag{Name: "unsafe-fixes", Usage: "with --fix or --diff, apply the unsafe fixes too: they may change what a manifest means, so review them"},
		&ucli.BoolFlag{Name: "diff", Usage: "print the fixes --fix would make as a unified diff on standard output and write nothing; exit 1 when there is something to fix"},
	}
}

// fixer applies fixes to the results of a lint run before they are
// reported (--fix, --diff).
type fixer struct {
	c      *Command
	mode   reporter.FixMode
	opts   fix.Options
	stdin  bool // --fix -: the fixed stream goes to standard output
	inputs []lint.Input
	cfg    *lint.Config // the run's configuration, for inputs without one
	next   int          // index of the input of the next result
	done   map[string]bool
	// failed is set when a file could not be fixed (an I/O error): the
	// exit status is then 2.
	failed bool
	// changed is set when a fix was applied (or, with --diff, would be).
	changed bool
}

// newFixer reads the fix flags; it returns nil when the run fixes nothing.
func (c *Command) newFixer(ctx *ucli.Context, paths []string) (*fixer, error) {
	fixFlag, diff, unsafe := ctx.Bool("fix"), ctx.Bool("diff"), ctx.Bool("unsafe-fixes")
	switch {
	case !fixFlag && !diff:
		if unsafe {
			return nil, usageError("--unsafe-fixes applies with --fix or --diff")
		}
		return nil, nil
	case fixFlag && diff:
		return nil, usageError("--fix and --diff cannot be used together: --fix writes the fixes, --diff only shows them")
	case ctx.String("write-baseline") != "":
		return nil, usageError("--write-baseline records findings as they are; it cannot be used with --fix or --diff")
	case diff && (ctx.IsSet("format") || len(ctx.Generic("output").(*outputSpecs).values) > 0):
		return nil, usageError("--diff prints only the diff; --format and --output do not apply (run --fix, or lint without --diff, for a report)")
	}
	f := &fixer{c: c, mode: reporter.FixWrite, opts: fix.Options{Unsafe: unsafe}, done: map[string]bool{}}
	if diff {
		f.mode = reporter.FixDiff
	}
	for _, p := range paths {
		if p == "-" && fixFlag {
			if len(paths) > 1 {
				return nil, usageError("--fix with - (standard input) takes no other path: the fixed stream goes to standard output")
			}
			f.stdin = true
		}
	}
	return f, nil
}

// reportWriter is where the report goes instead of standard output, which
// carries the diff or the fixed stream; nil keeps standard output.
func (f *fixer) reportWriter() io.Writer {
	switch {
	case f == nil:
		return nil
	case f.mode == reporter.FixDiff:
		return io.Discard // the summary line goes to standard error
	case f.stdin:
		return f.c.Stderr
	}
	return nil
}

// wrap returns an emit function that fixes each result, writes the fixed
// file (or prints the diff, or the fixed stream), and hands what remains
// to emit. Results arrive in input order.
func (f *fixer) wrap(inputs []lint.Input, cfg *lint.Config, sum *reporter.Summary, keep func(lint.FileResult) func(rules.Finding) bool, emit func(lint.FileResult)) func(lint.FileResult) {
	f.inputs, f.cfg = inputs, cfg
	sum.Fixing = f.mode
	return func(res lint.FileResult) {
		in, conf := f.inputFor(res)
		if res.Err != nil || res.Source == nil || in == nil {
			emit(res)
			return
		}
		stdin := in.Data != nil
		abs := absPath(in.Path)
		if !stdin && f.mode == reporter.FixWrite && f.done[abs] {
			// Named twice: lint what the first fix wrote.
			res = lint.One(lint.Input{Name: in.Name, Path: in.Path}, *conf)
			if res.Err != nil {
				emit(res)
				return
			}
		}
		opts := f.opts
		opts.Fixable = keep(res)
		relint := func(data []byte) lint.FileResult {
			if stdin {
				// The same stream again: findings traced to a template
				// stay traced (and their fixes display-only).
				return lint.One(f.c.streamInput(in.Name, data), *conf)
			}
			return lint.One(lint.Input{Name: in.Name, Path: in.Path, Data: data}, *conf)
		}
		r := fix.File(res, relint, opts)
		for _, bad := range r.Rejected {
			fmt.Fprintf(f.c.Stderr, "dapilint: %s:%d:%d: the %s fix (%s) would make the file unreadable, so it was not applied; this is a bug in dapilint, please report it\n",
				res.Name, bad.Range.Start.Line, bad.Range.Start.Col, bad.Rule.ID, bad.Fix.Message)
		}
		if !r.Converged {
			fmt.Fprintf(f.c.Stderr, "dapilint: %s: fixes still conflicted after %d passes; the remaining ones are reported as findings\n", res.Name, fix.DefaultMaxPasses)
		}
		switch {
		case f.stdin && stdin:
			if _, err := f.c.Stdout.Write(r.Data); err != nil {
				fmt.Fprintf(f.c.Stderr, "dapilint: writing standard output: %v\n", err)
				f.failed = true
			}
		case !r.Changed:
		case f.mode == reporter.FixDiff:
			f.writeDiff(res.Name, res.Source.Data, r.Data)
		default:
			if err := fix.WriteFile(in.Path, res.Source.Data, r.Data); err != nil {
				fmt.Fprintf(f.c.Stderr, "dapilint: cannot write the fixes to %s: %v\n", res.Name, unwrapPathError(err))
				f.failed = true
				emit(res) // nothing was written: report the findings as they are
				return
			}
			f.done[abs] = true
		}
		if r.Changed {
			f.changed = true
			sum.Fixed += r.Fixed
			sum.FilesFixed++
		}
		emit(r.Final)
	}
}

// inputFor returns the input of a result and its configuration, or nil
// for a result that is not a file dapilint read itself.
func (f *fixer) inputFor(res lint.FileResult) (*lint.Input, *lint.Config) {
	if f.next >= len(f.inputs) {
		return nil, nil
	}
	in := &f.inputs[f.next]
	f.next++
	if in.Name != res.Name || !fixableInput(*in) {
		return nil, nil
	}
	conf := in.Config
	if conf == nil {
		conf = f.cfg
	}
	return in, conf
}

// fixableInput reports whether an input's findings may be fixed: a file
// read as it is on disk, or standard input (a stream, whose findings traced
// to a Helm template have display-only fixes), never text produced from
// other files (a rendered chart, a built kustomization), whose findings
// point into templates and patches that the fixes were not made for.
func fixableInput(in lint.Input) bool {
	if in.Kind != lint.FileInput {
		return false
	}
	return in.Data != nil || (in.Produce == nil && in.Path != "")
}

// writeDiff prints the diff of one file. On a terminal, control
// characters from the file (a CR of a CRLF line) are shown as ^M and the
// like; a diff for `patch` keeps the bytes.
func (f *fixer) writeDiff(name string, old, fixed []byte) {
	d := fix.Diff(name, old, fixed)
	if f.c.StdoutIsTerminal {
		d = []byte(caretControls(string(d)))
	}
	if _, err := f.c.Stdout.Write(d); err != nil {
		fmt.Fprintf(f.c.Stderr, "dapilint: writing standard output: %v\n", err)
		f.failed = true
	}
}

// caretControls shows control characters other than tab and newline in
// caret notation (^M), as cat -v does.
func caretControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte('^')
			b.WriteRune(r + '@')
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
