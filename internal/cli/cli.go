// Package cli is dapilint's command line. Command holds the process's
// streams and environment so that tests run the whole CLI in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/reporter"
	"github.com/mattn/go-isatty"
	ucli "github.com/urfave/cli/v2"
)

// Exit codes.
const (
	ExitClean    = 0 // no finding at or above the fail level
	ExitFindings = 1 // findings at or above the fail level
	ExitError    = 2 // usage, configuration or I/O error
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/dapilint/dapilint/internal/cli.Version=v1.2.3".
var Version = ""

// VersionString is the version, from the build flag or the module build
// info: a release tag for go install of a release, a pseudo-version (with
// +dirty for a modified work tree) for a go build in a git checkout,
// "(devel)" otherwise. JSON and SARIF report this same string.
func VersionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// VersionLine is what dapilint version and dapilint --version print: the
// version, then the VCS commit and whether the work tree was modified, when
// the build recorded them, and the Go version and platform.
//
//	dapilint v1.2.3 (commit 0123456789ab, modified; go1.26.8 linux/amd64)
func VersionLine() string {
	var details []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev string
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" {
			commit := "commit " + rev[:min(len(rev), 12)]
			if modified {
				commit += ", modified"
			}
			details = append(details, commit)
		}
	}
	details = append(details, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("dapilint %s (%s)", VersionString(), strings.Join(details, "; "))
}

// Command is one invocation of dapilint.
type Command struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (NO_COLOR).
	Getenv func(string) string
	// StdoutIsTerminal decides whether colour is on by default.
	StdoutIsTerminal bool
	// Dir is the working directory used to find the default config file
	// ("" for the process's).
	Dir string
	// Renderer renders charts and kustomizations; nil runs dapilint-render
	// (see package render).
	Renderer render.Renderer
	// LimitMemory sets the Go runtime's soft memory limit for each run from
	// the size of its inputs (see memory.go); only a process of its own
	// does it.
	LimitMemory bool

	// notef writes a --verbose note during a lint run (nil without
	// --verbose).
	notef func(format string, args ...any)
}

// NewCommand returns a Command wired to the process.
func NewCommand() *Command {
	return &Command{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		StdoutIsTerminal: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
		LimitMemory:      true,
	}
}

// exitError carries an exit code out of an action.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageError(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// Main runs dapilint with args (args[0] is the program name) and returns
// the exit code.
func (c *Command) Main(args []string) int {
	app := c.app()
	err := app.Run(reorderArgs(app, args))
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(c.Stderr, "dapilint: %s\n", reporter.PrintableLines(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(c.Stderr, "dapilint: %s\n", reporter.PrintableLines(err.Error()))
	return ExitError
}

// app is the command tree.
func (c *Command) app() *ucli.App {
	app := &ucli.App{
		Name:  "dapilint",
		Usage: "lint Kubernetes Downward API usage offline, exactly as the API server would judge it",
		Description: "dapilint finds Downward API mistakes in Kubernetes manifests before kubectl apply: what the API\n" +
			"server would reject (errors), and what it accepts but goes wrong at runtime (warnings).",
		Reader:    c.Stdin,
		Writer:    c.Stdout,
		ErrWriter: c.Stderr,
		// --version is ours (urfave's prints through a global), so is the
		// action that runs when no command matches.
		HideVersion: true,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version, the commit it was built from and the Go version"},
		},
		Commands: []*ucli.Command{
			c.lintCommand(),
			c.rulesCommand(),
			c.explainCommand(),
			{
				Name:  "version",
				Usage: "print the version, the commit it was built from and the Go version",
				Action: func(ctx *ucli.Context) error {
					if ctx.NArg() > 0 {
						return usageError("version takes no arguments")
					}
					fmt.Fprintln(c.Stdout, VersionLine())
					return nil
				},
			},
			c.completionCommand(),
		},
		Action:         c.rootAction,
		ExitErrHandler: func(*ucli.Context, error) {}, // exit codes are ours
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return usageError("%v (see dapilint --help)", flagError(err, nil))
		},
	}
	// A usage error must not print help on stdout, which may be a SARIF or
	// JSON file: say what is wrong on stderr, with where to find help.
	for _, cmd := range app.Commands {
		name, flags := cmd.Name, cmd.Flags
		// "dapilint lint help" lints a path named help.
		cmd.HideHelpCommand = true
		cmd.OnUsageError = func(_ *ucli.Context, err error, _ bool) error {
			return usageError("%v (see dapilint %s --help)", flagError(err, flags), name)
		}
	}
	return app
}

// rootAction runs when no command was named: --version, help for a bare
// dapilint, and a usage error with a suggestion for an unknown command.
func (c *Command) rootAction(ctx *ucli.Context) error {
	if ctx.Bool("version") {
		fmt.Fprintln(c.Stdout, VersionLine())
		return nil
	}
	if ctx.NArg() == 0 {
		return ucli.ShowAppHelp(ctx)
	}
	name := ctx.Args().First()
	var names []string
	for _, cmd := range ctx.App.VisibleCommands() {
		names = append(names, cmd.Names()...)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if s := loader.Closest(name, names, max(2, len(name)/3)); s != "" {
		msg += fmt.Sprintf("; did you mean dapilint %s?", s)
	} else if _, err := os.Stat(c.resolve(name)); err == nil || strings.ContainsAny(name, "./") {
		msg += fmt.Sprintf("; to lint it: dapilint lint %s", name)
	}
	return usageError("%s (commands: %s)", msg, strings.Join(commandNames(ctx.App), ", "))
}

func commandNames(app *ucli.App) []string {
	var names []string
	for _, cmd := range app.VisibleCommands() {
		names = append(names, cmd.Name)
	}
	return names
}

// flagError rewords the flag package's "flag provided but not defined:
// -x" as "unknown flag --x", with a suggestion from flags.
func flagError(err error, flags []ucli.Flag) error {
	const undefined = "flag provided but not defined: -"
	name, ok := strings.CutPrefix(err.Error(), undefined)
	if !ok {
		return err
	}
	dashes := "--"
	if len(name) == 1 {
		dashes = "-"
	}
	msg := fmt.Sprintf("unknown flag %s%s", dashes, name)
	var names []string
	for _, f := range append(flags, ucli.HelpFlag) {
		for _, n := range f.Names() {
			if len(n) > 1 {
				names = append(names, n)
			}
		}
	}
	if s := loader.Closest(strings.TrimPrefix(name, "-"), names, max(2, len(name)/3)); s != "" {
		msg += fmt.Sprintf("; did you mean --%s?", s)
	}
	return errors.New(msg)
}

// reorderArgs moves a command's flags that follow its arguments in front
// of them, so that "dapilint lint deploy/ --format json" works as kubectl,
// helm, ruff and golangci-lint do (urfave/cli v2 stops reading flags at
// the first argument). A flag's value moves with it; "--" ends the flags,
// and "-" (standard input) is an argument. Unknown flags move too, so that
// they are reported as unknown rather than read as paths.
func reorderArgs(app *ucli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	// The command is the first word that is not a flag of the app.
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" && args[i] != "--" {
		i++
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*ucli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	rest := args[i+1:]
	var flags, positional []string
	dashes := false
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		switch {
		case a == "--":
			positional = append(positional, rest[j+1:]...)
			dashes = true
			j = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			positional = append(positional, a)
		default:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && j+1 < len(rest) {
				j++
				flags = append(flags, rest[j])
			}
		}
	}
	out := append([]string{}, args[:i+1]...)
	out = append(out, flags...)
	if dashes {
		out = append(out, "--")
	}
	return append(out, positional...)
}
