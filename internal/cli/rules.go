package cli

import (
	"encoding/json"
	"fmt"

	"github.com/dapilint/dapilint/internal/ruledoc"
	"github.com/dapilint/dapilint/rules"
	ucli "github.com/urfave/cli/v2"
)

func (c *Command) rulesCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "rules",
		Usage: "list the rules: ID, name, severity, whether on by default, whether fixable",
		Description: "Rules that are off by default run when enabled with --enable ID or in .dapilint.yaml.\n" +
			"dapilint explain RULE prints a rule's documentation.",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text or json"},
		},
		Action: func(ctx *ucli.Context) error {
			if ctx.NArg() > 0 {
				return usageError("rules takes no arguments (did you mean dapilint explain %s?)", ctx.Args().First())
			}
			switch ctx.String("format") {
			case "text":
				if err := ruledoc.Table(c.Stdout, rules.All); err != nil {
					return &exitError{code: ExitError, err: err}
				}
			case "json":
				enc := json.NewEncoder(c.Stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(ruledoc.Infos(rules.All)); err != nil {
					return &exitError{code: ExitError, err: err}
				}
			default:
				return usageError("unknown format %q (want text or json)", ctx.String("format"))
			}
			return nil
		},
	}
}

func (c *Command) explainCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "explain",
		Usage:     "print a rule's documentation, with an example and what dapilint says about it",
		ArgsUsage: "RULE",
		Description: "RULE is a rule ID or name, e.g. " + exampleRule() + "; dapilint rules lists them.\n" +
			"The output shown for the example is produced by linting it.",
		Action: func(ctx *ucli.Context) error {
			if ctx.NArg() != 1 {
				return usageError("explain takes one rule ID or name, e.g. dapilint explain DA002")
			}
			arg := ctx.Args().First()
			r := rules.Lookup(arg)
			if r == nil {
				msg := fmt.Sprintf("no rule %q (see dapilint rules)", arg)
				if s := rules.Suggest(arg); s != "" {
					msg = fmt.Sprintf("no rule %q; did you mean %s? (see dapilint rules)", arg, s)
				}
				return usageError("%s", msg)
			}
			if err := ruledoc.Explain(c.Stdout, r); err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return nil
		},
	}
}

// exampleRule is "DA101 or fieldref-unsupported-path", from a real rule.
func exampleRule() string {
	r := rules.Lookup("DA101")
	if r == nil && len(rules.All) > 0 {
		r = rules.All[0]
	}
	if r == nil {
		return "DA001"
	}
	return r.ID + " or " + r.Name
}
