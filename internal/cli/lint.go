package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
	ucli "github.com/urfave/cli/v2"
)

func (c *Command) lintCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "lint",
		Usage:     "lint manifests: files, directories (walked for *.yaml, *.yml, *.json, Helm charts and kustomizations) or - for stdin",
		ArgsUsage: "[PATH...]",
		Description: "With no PATH, the current directory is linted.\n\n" +
			formatsHelp() + "\n\n" +
			"Examples:\n" +
			"  dapilint lint deploy/\n" +
			"  dapilint lint --output sarif=dapilint.sarif .   # text in the log, SARIF for code scanning\n" +
			"  dapilint lint charts/web/                  # a Helm chart: rendered with values.yaml and ci/*-values.yaml\n" +
			"  dapilint lint --values prod.yaml charts/web/\n" +
			"  dapilint lint overlays/prod/               # a kustomization: built, findings on the resource or patch file\n" +
			"  helm template chart/ | dapilint lint -\n" +
			"  dapilint lint --diff deploy/               # show the safe fixes\n" +
			"  dapilint lint --fix deploy/                # apply them (never to charts or kustomizations)\n\n" +
			"Charts and kustomizations are rendered by dapilint-render, which must be installed beside dapilint.\n" +
			"See docs/charts-and-kustomizations.md and, for fixes, docs/fixes.md.\n\n" +
			"Exit status: 0 when nothing at or above the fail level was found, 1 when something was,\n" +
			"2 on a usage, configuration or I/O error. With --fix, what remains after fixing counts;\n" +
			"with --diff, the status is 1 when there is something to fix.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "`FORMAT` of standard output: " + reporter.FormatNames()},
			&ucli.GenericFlag{Name: "output", Aliases: []string{"o"}, Value: &outputSpecs{}, TakesFile: true,
				Usage: "write one more format to a file, as `FORMAT=FILE` (e.g. sarif=dapilint.sarif); repeatable"},
			&ucli.StringFlag{Name: "fail-level", Usage: "lowest severity that makes the exit status 1: `LEVEL` is error, warning, info or none (default: error)"},
			&ucli.StringSliceFlag{Name: "enable", Usage: "enable rules: `RULE` is an ID, name or glob (DA214, DA2*, all); repeatable"},
			&ucli.StringSliceFlag{Name: "disable", Usage: "disable rules: `RULE` is an ID, name or glob; repeatable"},
			&ucli.StringFlag{Name: "config", Aliases: []string{"c"}, TakesFile: true, Usage: "configuration `FILE` (default: the first .dapilint.yaml or .dapilint.yml from the current directory up to the repository's root)"},
			&ucli.BoolFlag{Name: "no-ignore", Usage: "show every finding: ignore comments and annotations are neither applied nor checked (for audits)"},
			&ucli.BoolFlag{Name: "no-gitignore", Usage: "walk directories without leaving out what .gitignore files ignore"},
			&ucli.StringFlag{Name: "baseline", TakesFile: true, Usage: "report and fail only on findings that are not in the baseline `FILE` (see --write-baseline)"},
			&ucli.StringFlag{Name: "write-baseline", TakesFile: true, Usage: "record today's findings in the baseline `FILE`, so that later runs with --baseline report only new ones; exits 0"},
			&ucli.StringFlag{Name: "stdin-filename", Value: "<stdin>", Usage: "file `NAME` to report for input read from -"},
			&ucli.StringFlag{Name: "color", Usage: "colour text output: `WHEN` is auto (default: on a terminal whose TERM is not dumb, unless NO_COLOR is set or FORCE_COLOR forces it), always or never"},
			&ucli.BoolFlag{Name: "no-color", Usage: "the same as --color never"},
			&ucli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print the findings only, without the summary line"},
			&ucli.BoolFlag{Name: "statistics", Usage: "print the number of findings of each rule instead of the findings (standard error when standard output carries another format)"},
			&ucli.BoolFlag{Name: "verbose", Usage: "say on standard error which configuration file is used, what each input gave, each document skipped and why, and how long it took"},
			&ucli.StringSliceFlag{Name: "values", Category: "Helm charts", TakesFile: true,
				Usage: "render charts with this values `FILE` on top of values.yaml instead of values.yaml and ci/*-values.yaml; repeatable (helm's -f: here -f is --format)"},
			&ucli.StringSliceFlag{Name: "set", Category: "Helm charts", Usage: "render charts with `KEY=VALUE` set, as helm --set; repeatable"},
			&ucli.StringFlag{Name: "release-name", Category: "Helm charts", Value: "release-name", Usage: "`NAME` of the release charts are rendered for (.Release.Name)"},
			&ucli.StringFlag{Name: "namespace", Category: "Helm charts", Value: "default", Usage: "`NAMESPACE` charts are rendered for (.Release.Namespace)"},
			&ucli.StringFlag{Name: "kube-version", Category: "Helm charts", Value: "1.36.0", Usage: "Kubernetes `VERSION` charts see in .Capabilities.KubeVersion"},
		}, fixFlags()...),
		Action: c.runLint,
	}
}

// formatsHelp lists the output formats for lint's help.
func formatsHelp() string {
	var b strings.Builder
	b.WriteString("Output: --format chooses what goes to standard output (default text); each --output FORMAT=FILE\n" +
		"writes one more format to a file in the same run. Formats:\n")
	width := 0
	for _, f := range reporter.Formats {
		width = max(width, len(f.Name))
	}
	for _, f := range reporter.Formats {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, f.Name, f.Description)
	}
	b.WriteString("The summary line ends text output; when standard output carries another format, the summary\n" +
		"goes to standard error so that standard output stays machine-readable.")
	return b.String()
}

// outputSpecs collects --output values, one per use of the flag (no
// splitting at commas: file names may have them).
type outputSpecs struct{ values []string }

// serializedPrefix marks the whole list, as Serialize writes it: the flag
// library re-sets a flag that has an alias (-o) with its serialized value,
// which must replace the list, not add to it.
const serializedPrefix = "\x00outputs:"

func (o *outputSpecs) Set(v string) error {
	if rest, ok := strings.CutPrefix(v, serializedPrefix); ok {
		return json.Unmarshal([]byte(rest), &o.values)
	}
	o.values = append(o.values, v)
	return nil
}

func (o *outputSpecs) String() string { return "" }

// Serialize implements urfave/cli's Serializer.
func (o *outputSpecs) Serialize() string {
	data, _ := json.Marshal(o.values)
	return serializedPrefix + string(data)
}

// output is one format written to one destination.
type output struct {
	format reporter.Format
	path   string // "" for standard output
	file   *os.File
	buf    *bufio.Writer
	rep    reporter.Reporter
	err    error
}

// parseOutputs checks --output values: FORMAT=FILE, a known format, a file
// named once.
func (c *Command) parseOutputs(values []string) ([]*output, error) {
	var outs []*output
	seen := map[string]bool{}
	for _, v := range values {
		name, path, ok := strings.Cut(v, "=")
		if !ok || name == "" || path == "" {
			return nil, fmt.Errorf("invalid --output %q: want FORMAT=FILE, e.g. sarif=dapilint.sarif", v)
		}
		format, found := reporter.Lookup(name)
		if !found {
			return nil, fmt.Errorf("invalid --output %q: unknown format %q (want one of %s)", v, name, reporter.FormatNames())
		}
		if path == "-" {
			return nil, fmt.Errorf("invalid --output %q: use --format %s for standard output", v, name)
		}
		key := filepath.Clean(path)
		if seen[key] {
			return nil, fmt.Errorf("invalid --output %q: %s is already an output", v, path)
		}
		seen[key] = true
		outs = append(outs, &output{format: format, path: c.resolve(path)})
	}
	return outs, nil
}

func (c *Command) runLint(ctx *ucli.Context) error {
	start := time.Now()
	view, err := c.viewOptions(ctx)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig(ctx.String("config"))
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	view.config(cfg)
	set, err := resolveSettings(cfg, flagSettings{
		enable:    ctx.StringSlice("enable"),
		disable:   ctx.StringSlice("disable"),
		failLevel: ctx.String("fail-level"),
		noIgnore:  ctx.Bool("no-ignore"),
	})
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	format, ok := reporter.Lookup(ctx.String("format"))
	if !ok {
		return usageError("unknown format %q (want one of %s)", ctx.String("format"), reporter.FormatNames())
	}
	var specs []string
	if o, ok := ctx.Generic("output").(*outputSpecs); ok && o != nil {
		specs = o.values
	}
	files, err := c.parseOutputs(specs)
	if err != nil {
		return usageError("%v", err)
	}
	paths := ctx.Args().Slice()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if err := checkStdinFilename(ctx, paths); err != nil {
		return err
	}
	fixing, err := c.newFixer(ctx, paths)
	if err != nil {
		return err
	}

	// The baseline: --write-baseline records one; --baseline (or the
	// configuration's baseline, relative to the configuration file) applies
	// one.
	var base *baseline
	var writer *baselineWriter
	writePath := ctx.String("write-baseline")
	if writePath != "" && ctx.String("baseline") != "" {
		return usageError("--write-baseline and --baseline cannot be used together: --write-baseline records every finding")
	}
	if writePath != "" {
		writer = newBaselineWriter(absPath(c.resolve(writePath)))
	} else if p := ctx.String("baseline"); p != "" {
		if base, err = readBaseline(absPath(c.resolve(p)), p); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	} else if cfg.Baseline != "" {
		if base, err = readBaseline(cfg.Baseline, c.displayPath(cfg.Baseline)); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}

	opts := reporter.Options{
		Version:  VersionString(),
		Rules:    rules.All,
		Enabled:  set.lint.Rules,
		Severity: set.lint.Severity,
		Baseline: base != nil || writer != nil,
	}
	opts.WorkDir, opts.SrcRoot, opts.VCS = c.srcRoot()
	stdoutOpts := opts
	stdoutOpts.Color = view.color
	stdoutOpts.Quiet = view.quiet
	report := io.Writer(c.Stdout)
	if w := fixing.reportWriter(); w != nil {
		report, stdoutOpts.Color = w, false // standard output carries the fixes
	}
	outs := []*output{{format: format, rep: view.stdoutReporter(format, report, stdoutOpts)}}
	if r := view.statisticsOnStderr(format, c.Stderr, opts); r != nil {
		outs = append(outs, &output{rep: r})
	}
	for _, o := range files {
		f, err := createOutput(o.path)
		if err != nil {
			closeOutputs(outs[1:])
			return &exitError{code: ExitError, err: fmt.Errorf("cannot write output: %w", err)}
		}
		o.file, o.buf = f, bufio.NewWriter(f)
		o.rep = o.format.New(o.buf, opts)
		outs = append(outs, o)
	}

	var sum reporter.Summary
	respectGitignore := !ctx.Bool("no-gitignore") && (cfg.RespectGitignore == nil || *cfg.RespectGitignore)
	filter := newPathFilter(cfg, respectGitignore)
	ho := helmOptions{
		values: ctx.StringSlice("values"), set: ctx.StringSlice("set"),
		releaseName: ctx.String("release-name"), namespace: ctx.String("namespace"), kubeVersion: ctx.String("kube-version"),
	}
	inputs, excluded, inputErrs := c.collectInputs(paths, ctx.String("stdin-filename"), ho, filter)
	sum.Excluded = excluded
	view.inputs(inputs)
	for _, e := range inputErrs {
		fmt.Fprintf(c.Stderr, "dapilint: %s\n", reporter.PrintableLines(e.Error()))
		file := ""
		var ie *inputError
		if errors.As(e, &ie) {
			file = ie.path
		}
		sum.AddInputError(file, e.Error())
	}
	for i := range inputs {
		inputs[i].Config = set.configFor(absPath(inputs[i].Path))
	}
	if c.LimitMemory {
		limitMemory(c.Getenv, inputs)
	}
	failed := false
	// A base that is built on its own and through an overlay gives the
	// same finding at the same place twice: report it once.
	seen := map[findingKey]bool{}
	emit := func(res lint.FileResult) {
		if res.Kind != lint.FileInput {
			res.Findings = slices.DeleteFunc(res.Findings, func(f rules.Finding) bool {
				k := keyOf(f)
				dup := seen[k]
				seen[k] = true
				return dup
			})
		}
		if res.Err == nil && (base != nil || writer != nil) {
			kept := res.Findings[:0:0]
			for _, f := range res.Findings {
				// A finding on rendered output is in the file it was
				// traced to, which is what the baseline names.
				abs := absPath(c.resolve(f.File))
				switch {
				case writer != nil:
					writer.add(f, abs)
					res.Baselined = append(res.Baselined, f)
				case base.match(f, abs):
					res.Baselined = append(res.Baselined, f)
				default:
					kept = append(kept, f)
				}
			}
			res.Findings = kept
		}
		sum.Add(res)
		view.result(res)
		if res.Err != nil {
			fmt.Fprintf(c.Stderr, "dapilint: %s\n", reporter.PrintableLines(reporter.ReadErrorMessage(res)))
			return
		}
		for _, f := range res.Findings {
			if set.failLevel != 0 && f.Severity >= set.failLevel {
				failed = true
			}
		}
		for _, o := range outs {
			if o.err == nil {
				o.err = o.rep.File(res)
			}
		}
	}
	if fixing != nil {
		emit = fixing.wrap(inputs, &set.lint, &sum, base.fixable(c), emit)
	}
	lint.Run(inputs, set.lint, emit)
	if base != nil {
		sum.BaselineUnmatched = base.unmatched()
	}
	var baselineErr error
	if writer != nil {
		if baselineErr = writer.write(absPath(c.resolve(writePath))); baselineErr == nil && !view.quiet {
			fmt.Fprintf(c.Stderr, "dapilint: wrote %s to the baseline %s\n", reporter.Plural(writer.total, "finding"), writePath)
		}
	}
	for _, o := range outs {
		if o.err == nil {
			o.err = o.rep.Finish(sum)
		}
	}
	if !view.quiet && (!format.Human || fixing.reportWriter() == io.Discard) {
		fmt.Fprintln(c.Stderr, sum.Line())
	}
	view.finish(time.Since(start))
	writeErr := closeOutputs(outs)
	switch {
	case writeErr != nil:
		return &exitError{code: ExitError, err: writeErr}
	case baselineErr != nil:
		return &exitError{code: ExitError, err: baselineErr}
	case sum.ReadErrors > 0 || (fixing != nil && fixing.failed):
		return &exitError{code: ExitError}
	case fixing != nil && fixing.mode == reporter.FixDiff:
		if fixing.changed {
			return &exitError{code: ExitFindings}
		}
		return nil
	case failed:
		return &exitError{code: ExitFindings}
	}
	return nil
}

// closeOutputs flushes and closes the output files and returns the first
// error of any output.
func closeOutputs(outs []*output) error {
	var errs []error
	for _, o := range outs {
		if o.file != nil {
			if o.err == nil {
				o.err = o.buf.Flush()
			}
			if err := o.file.Close(); o.err == nil {
				o.err = err
			}
		}
		if o.err != nil {
			where := "standard output"
			if o.path != "" {
				where = o.path
			}
			errs = append(errs, fmt.Errorf("writing %s: %w", where, o.err))
		}
	}
	return errors.Join(errs...)
}

// srcRoot returns the working directory (relative file names are
// relative to it) and the directory machine formats name files relative
// to: the root of the git repository the working directory is in, so that
// SARIF and GitHub annotations are right from a subdirectory too, or else
// the working directory. Inside a repository with a remote, it describes
// the repository for SARIF's versionControlProvenance.
func (c *Command) srcRoot() (workDir, root string, vcs *reporter.VersionControl) {
	wd, err := filepath.Abs(c.resolve("."))
	if err != nil {
		return "", "", nil
	}
	if repo := repoRootOf(wd); repo != "" {
		return wd, repo, versionControl(repo)
	}
	return wd, wd, nil
}
