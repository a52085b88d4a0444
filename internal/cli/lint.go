package cli

import (
	"fmt"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	ucli "github.com/urfave/cli/v2"
)

func (c *Command) lintCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "lint",
		Usage:     "lint manifests: files, directories (walked for *.yaml, *.yml, *.json) or - for stdin",
		ArgsUsage: "[PATH...]",
		Description: "With no PATH, the current directory is linted.\n\n" +
			"Exit status: 0 when nothing at or above the fail level was found, 1 when something was,\n" +
			"2 on a usage, configuration or I/O error.",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text"},
			&ucli.StringFlag{Name: "fail-level", Usage: "lowest severity that makes the exit status 1: error, warning, info or none (default: error)"},
			&ucli.StringSliceFlag{Name: "enable", Usage: "enable rules by ID, name or glob (DA214, DA2*, all); repeatable"},
			&ucli.StringSliceFlag{Name: "disable", Usage: "disable rules by ID, name or glob; repeatable"},
			&ucli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "configuration file (default: " + DefaultConfigFile + " in the current directory, if present)"},
			&ucli.StringFlag{Name: "stdin-filename", Value: "<stdin>", Usage: "file name to report for input read from -"},
			&ucli.BoolFlag{Name: "no-color", Usage: "never colour the output (colour is used only on a terminal, and never when NO_COLOR is set)"},
		},
		Action: c.runLint,
	}
}

func (c *Command) runLint(ctx *ucli.Context) error {
	cfg, _, err := loadConfigFile(ctx.String("config"), c.Dir)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	set, err := resolveSettings(cfg, ctx.StringSlice("enable"), ctx.StringSlice("disable"), ctx.String("fail-level"))
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	format, ok := reporter.Lookup(ctx.String("format"))
	if !ok {
		return usageError("unknown format %q", ctx.String("format"))
	}
	paths := ctx.Args().Slice()
	if len(paths) == 0 {
		paths = []string{"."}
		if c.Dir != "" {
			paths = []string{c.Dir}
		}
	}
	inputs, inputErrs := c.collectInputs(paths, ctx.String("stdin-filename"))
	for _, e := range inputErrs {
		fmt.Fprintf(c.Stderr, "dapilint: %v\n", e)
	}

	color := c.StdoutIsTerminal && c.Getenv("NO_COLOR") == "" && !ctx.Bool("no-color")
	rep := format.New(c.Stdout, reporter.Options{Color: color, Version: VersionString(), Rules: set.lint.Rules})
	var sum reporter.Summary
	failed := false
	var writeErr error
	lint.Run(inputs, set.lint, func(res lint.FileResult) {
		sum.Add(res)
		if res.Err != nil {
			fmt.Fprintf(c.Stderr, "dapilint: cannot read %s: %v\n", res.Name, unwrapPathError(res.Err))
			return
		}
		for _, f := range res.Findings {
			if set.failLevel != 0 && f.Severity >= set.failLevel {
				failed = true
			}
		}
		if err := rep.File(res); err != nil && writeErr == nil {
			writeErr = err
		}
	})
	if err := rep.Finish(sum); err != nil && writeErr == nil {
		writeErr = err
	}
	switch {
	case writeErr != nil:
		return &exitError{code: ExitError, err: fmt.Errorf("writing output: %w", writeErr)}
	case len(inputErrs) > 0 || sum.ReadErrors > 0:
		return &exitError{code: ExitError}
	case failed:
		return &exitError{code: ExitFindings}
	}
	return nil
}
