package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	ucli "github.com/urfave/cli/v2"
)

// colorModes are the values of --color.
var colorModes = []string{"auto", "always", "never"}

// view is how a lint run talks to the person running it, beyond the
// findings: colour, --quiet, --statistics and --verbose.
type view struct {
	color      bool
	quiet      bool
	statistics bool
	// verbose writes --verbose notes (standard error), nil without it.
	verbose io.Writer
	// inputCount is the number of inputs collected, for the closing note.
	inputCount int
}

// viewOptions reads the flags that shape what a lint run prints.
func (c *Command) viewOptions(ctx *ucli.Context) (*view, error) {
	v := &view{quiet: ctx.Bool("quiet"), statistics: ctx.Bool("statistics")}
	if ctx.Bool("verbose") {
		if v.quiet {
			return nil, usageError("--quiet and --verbose cannot be used together")
		}
		v.verbose = c.Stderr
	}
	mode := strings.ToLower(ctx.String("color"))
	if ctx.Bool("no-color") {
		if mode != "" && mode != "never" {
			return nil, usageError("--no-color and --color %s contradict each other", ctx.String("color"))
		}
		mode = "never"
	}
	if mode != "" && !slices.Contains(colorModes, mode) {
		return nil, usageError("--color %q is not one of auto, always or never%s", ctx.String("color"), didYouMean(mode, colorModes))
	}
	v.color = c.colorOn(mode)
	c.notef = v.notef
	return v, nil
}

// colorOn decides whether text on standard output is coloured: --color
// always or never decides; otherwise NO_COLOR (https://no-color.org) turns
// it off, FORCE_COLOR (https://force-color.org) turns it on, for CI logs
// that render colour, and else it is on for a terminal whose TERM is not
// dumb.
func (c *Command) colorOn(mode string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if c.Getenv("NO_COLOR") != "" {
		return false
	}
	if force := c.Getenv("FORCE_COLOR"); force != "" {
		// FORCE_COLOR=0 and =false mean no colour, as for Node.js tools.
		return force != "0" && !strings.EqualFold(force, "false")
	}
	return c.StdoutIsTerminal && c.Getenv("TERM") != "dumb"
}

// notef writes a --verbose note.
func (v *view) notef(format string, args ...any) {
	if v.verbose != nil {
		fmt.Fprintf(v.verbose, "dapilint: %s\n", reporter.PrintableLines(fmt.Sprintf(format, args...)))
	}
}

// note is a --verbose note from code that has only the Command.
func (c *Command) note(format string, args ...any) {
	if c.notef != nil {
		c.notef(format, args...)
	}
}

// config says which configuration file the run uses.
func (v *view) config(cfg *fileConfig) {
	if cfg.path == "" {
		v.notef("no configuration file (.dapilint.yaml or .dapilint.yml from the working directory up to the repository's root)")
		return
	}
	v.notef("configuration: %s", cfg.path)
}

// inputs says what the run is about to lint.
func (v *view) inputs(inputs []lint.Input) {
	v.inputCount = len(inputs)
	v.notef("linting %s", reporter.Plural(len(inputs), "input"))
}

// result says what one input gave: what was checked, every document
// skipped and why, and how long it took.
func (v *view) result(res lint.FileResult) {
	if v.verbose == nil {
		return
	}
	switch {
	case res.Err != nil:
		return // the error itself is printed
	case res.SkipReason != "":
		v.notef("%s: not linted: %s", res.Name, res.SkipReason)
		return
	}
	what := map[lint.InputKind]string{lint.ChartInput: "chart ", lint.KustomizationInput: "kustomization "}[res.Kind]
	v.notef("%s%s: %s, %s checked, %s skipped, %s (%s)", what, res.Name,
		reporter.Plural(res.Documents, "document"), reporter.Plural(res.Objects, "object"), reporter.Plural(res.Skipped, "document"),
		reporter.Plural(len(res.Findings), "finding"), res.Elapsed.Round(time.Microsecond))
	for _, d := range res.SkippedDocs {
		v.notef("%s:%d:%d: skipped %s: %s", d.File, d.Line, d.Col, d.What(), d.Reason)
	}
}

// finish closes --verbose with the run's time.
func (v *view) finish(elapsed time.Duration) {
	v.notef("done in %s", elapsed.Round(time.Millisecond))
}

// stdoutReporter is the reporter of standard output: the format's, or
// with --statistics and text, the statistics table.
func (v *view) stdoutReporter(format reporter.Format, stdout io.Writer, opts reporter.Options) reporter.Reporter {
	if v.statistics && format.Human {
		return reporter.NewStatistics(stdout, opts)
	}
	return format.New(stdout, opts)
}

// statisticsOnStderr is the statistics table for standard error, when
// standard output carries a machine format.
func (v *view) statisticsOnStderr(format reporter.Format, stderr io.Writer, opts reporter.Options) reporter.Reporter {
	if !v.statistics || format.Human {
		return nil
	}
	opts.Quiet = true // the summary goes to standard error anyway
	return reporter.NewStatistics(stderr, opts)
}

// checkStdinFilename refuses --stdin-filename without "-" among the paths:
// the name would name nothing, and the paths would be linted instead.
func checkStdinFilename(ctx *ucli.Context, paths []string) error {
	if ctx.IsSet("stdin-filename") && !slices.Contains(paths, "-") {
		return usageError("--stdin-filename names standard input, which is read only when - is a path: dapilint lint --stdin-filename %s -", ctx.String("stdin-filename"))
	}
	return nil
}

// createOutput creates an --output file, and the directories it is in.
func createOutput(path string) (*os.File, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	return os.Create(path)
}
