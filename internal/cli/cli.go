// Package cli is dapilint's command line. Command holds the process's
// streams and environment so that tests run the whole CLI in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/dapilint/dapilint/render"
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
// info ("(devel)" for a plain go build).
func VersionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
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
}

// NewCommand returns a Command wired to the process.
func NewCommand() *Command {
	return &Command{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		StdoutIsTerminal: isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd()),
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
	err := c.newApp().Run(args)
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(c.Stderr, "dapilint: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(c.Stderr, "dapilint: %v\n", err)
	return ExitError
}

// newApp builds the command tree.
func (c *Command) newApp() *ucli.App {
	app := &ucli.App{
		Name:  "dapilint",
		Usage: "lint Kubernetes Downward API usage offline, exactly as the API server would judge it",
		Description: "dapilint finds Downward API mistakes in Kubernetes manifests before kubectl apply: what the API\n" +
			"server would reject (errors), and what it accepts but goes wrong at runtime (warnings).",
		Reader:          c.Stdin,
		Writer:          c.Stdout,
		ErrWriter:       c.Stderr,
		HideHelpCommand: true,
		// Answers --generate-bash-completion, which the bash and zsh
		// scripts of `dapilint completion` send (see completion.go).
		EnableBashCompletion: true,
		Commands: []*ucli.Command{
			c.lintCommand(),
			c.rulesCommand(),
			c.explainCommand(),
			c.completionCommand(),
			{
				Name:  "version",
				Usage: "print the version",
				Action: func(*ucli.Context) error {
					fmt.Fprintf(c.Stdout, "dapilint %s\n", VersionString())
					return nil
				},
			},
		},
		ExitErrHandler: func(*ucli.Context, error) {}, // exit codes are ours
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return usageError("%v", err)
		},
	}
	// A usage error must not print help on stdout, which may be a SARIF or
	// JSON file: say what is wrong on stderr, with where to find help.
	for _, cmd := range app.Commands {
		name := cmd.Name
		cmd.OnUsageError = func(_ *ucli.Context, err error, _ bool) error {
			return usageError("%v (see dapilint %s --help)", err, name)
		}
	}
	return app
}
