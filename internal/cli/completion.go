package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Shell completion uses urfave/cli's own support. For bash and zsh the
// scripts below ask the binary itself: they run the words typed so far
// followed by --generate-bash-completion, which urfave/cli answers (with
// App.EnableBashCompletion) by printing the commands or, after a word
// starting with -, the flags that fit. The fish script is generated from
// the command tree by urfave/cli's App.ToFishCompletion.

// bashCompletion is the bash script. A command line holding -- is left to
// bash's file completion: urfave/cli does not complete after --, it would
// take the request flag for a path and run the command.
const bashCompletion = `# bash completion for dapilint.
# Load it in the current shell with:  source <(dapilint completion bash)
# or install it as a file:  dapilint completion bash > ~/.local/share/bash-completion/completions/dapilint

_dapilint() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local -a request=("${COMP_WORDS[@]:0:COMP_CWORD}")
	local word
	for word in "${request[@]}"; do
		[[ $word == -- ]] && return 0
	done
	[[ $cur == -* ]] && request+=("$cur")
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$("${request[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
}
complete -o bashdefault -o default -F _dapilint dapilint
`

// zshCompletion is the zsh script, autoloadable from a directory on fpath
// or sourced.
const zshCompletion = `#compdef dapilint
# zsh completion for dapilint.
# Install it as _dapilint in a directory on $fpath, e.g.:
#   dapilint completion zsh > "${fpath[1]}/_dapilint"
# or load it in the current shell (after compinit) with:  source <(dapilint completion zsh)

_dapilint() {
	local cur=${words[CURRENT]}
	local -a request opts
	request=("${(@)words[1,CURRENT-1]}")
	if (( ${request[(Ie)--]} )); then
		_files
		return
	fi
	[[ $cur == -* ]] && request+=("$cur")
	opts=("${(@f)$("${(@)request}" --generate-bash-completion 2>/dev/null)}")
	opts=(${opts:#})
	if (( ${#opts} )); then
		compadd -a opts
	else
		_files
	fi
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
	_dapilint "$@"
elif (( $+functions[compdef] )); then
	compdef _dapilint dapilint
fi
`

// completionShells are the shells completion knows.
var completionShells = []string{"bash", "zsh", "fish"}

func (c *Command) completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "SHELL",
		Description: "Completes dapilint's commands and flags; paths are completed by the shell.\n\n" +
			"  bash: source <(dapilint completion bash)\n" +
			"        or save it as ~/.local/share/bash-completion/completions/dapilint\n" +
			"  zsh:  dapilint completion zsh > \"${fpath[1]}/_dapilint\"  (then start a new shell)\n" +
			"  fish: dapilint completion fish > ~/.config/fish/completions/dapilint.fish",
		BashComplete: func(ctx *ucli.Context) {
			if ctx.NArg() == 0 {
				fmt.Fprintln(ctx.App.Writer, strings.Join(completionShells, "\n"))
			}
		},
		Action: func(ctx *ucli.Context) error {
			if ctx.NArg() != 1 {
				return usageError("completion takes one shell: %s", strings.Join(completionShells, ", "))
			}
			var script string
			switch shell := ctx.Args().First(); shell {
			case "bash":
				script = bashCompletion
			case "zsh":
				script = zshCompletion
			case "fish":
				// From a fresh command tree: the running one has grown a
				// help subcommand under completion. Run hides --version
				// when the app has no Version; do the same here.
				app := c.newApp()
				app.HideVersion = app.Version == ""
				fish, err := app.ToFishCompletion()
				if err != nil {
					return &exitError{code: ExitError, err: err}
				}
				// Backquotes mark a flag's placeholder in --help; in a
				// fish description they would be shown as they are.
				script = strings.ReplaceAll(fish, "`", "") +
					fmt.Sprintf("complete -c dapilint -n '__fish_seen_subcommand_from completion' -f -a '%s'\n", strings.Join(completionShells, " "))
			default:
				return usageError("unknown shell %q (want %s)", shell, strings.Join(completionShells, ", "))
			}
			_, err := fmt.Fprint(c.Stdout, script)
			return err
		},
	}
}
