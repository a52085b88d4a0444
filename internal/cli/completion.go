package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
	ucli "github.com/urfave/cli/v2"
)

// completionShells are the shells dapilint completion writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

func (c *Command) completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "SHELL",
		Description: "The script completes commands, flags, flag values (formats, levels, rule IDs and names)\n" +
			"and file names. Load it in the current shell, or install it:\n\n" +
			"  source <(dapilint completion bash)          # bash, or in ~/.bashrc\n" +
			"  dapilint completion bash > /etc/bash_completion.d/dapilint\n" +
			"  dapilint completion zsh > \"${fpath[1]}/_dapilint\"   # zsh, then restart it\n" +
			"  dapilint completion fish > ~/.config/fish/completions/dapilint.fish",
		Action: func(ctx *ucli.Context) error {
			if ctx.NArg() != 1 {
				return usageError("completion takes one shell: %s", strings.Join(completionShells, ", "))
			}
			spec := completionSpecOf(ctx.App)
			var err error
			switch shell := ctx.Args().First(); shell {
			case "bash":
				err = spec.bash(c.Stdout)
			case "zsh":
				err = spec.zsh(c.Stdout)
			case "fish":
				err = spec.fish(c.Stdout)
			default:
				msg := fmt.Sprintf("no completion for shell %q (want %s)", shell, strings.Join(completionShells, ", "))
				return usageError("%s", msg)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return nil
		},
	}
}

// completionSpec is the command tree the scripts complete, read from the
// app itself so that they cannot fall behind a new flag or command.
type completionSpec struct {
	globals  []completionFlag
	commands []completionCommand
}

type completionCommand struct {
	name, usage string
	flags       []completionFlag
	// args is what the command's arguments are: "files", or a list of
	// words.
	files bool
	words []string
}

type completionFlag struct {
	long, short string
	usage       string
	takesValue  bool
	files       bool     // the value is a file name
	values      []string // the value is one of these
	repeatable  bool
}

// flagValues are the words a flag's value is completed from.
func flagValues(name string) []string {
	switch name {
	case "format":
		var names []string
		for _, f := range reporter.Formats {
			names = append(names, f.Name)
		}
		return names
	case "fail-level":
		return failLevels
	case "color":
		return colorModes
	case "enable", "disable":
		return rulePatternWords()
	}
	return nil
}

// rulePatternWords are the rule IDs, names and groups.
func rulePatternWords() []string {
	words := []string{"all"}
	for g := range rules.Groups {
		words = append(words, g)
	}
	slices.Sort(words)
	for _, r := range rules.All {
		words = append(words, r.ID, r.Name)
	}
	return words
}

func completionSpecOf(app *ucli.App) completionSpec {
	var spec completionSpec
	spec.globals = completionFlags(append(slices.Clone(app.Flags), ucli.HelpFlag))
	for _, cmd := range app.VisibleCommands() {
		cc := completionCommand{name: cmd.Name, usage: cmd.Usage, flags: completionFlags(append(slices.Clone(cmd.Flags), ucli.HelpFlag))}
		switch cmd.Name {
		case "lint":
			cc.files = true
		case "explain":
			for _, r := range rules.All {
				cc.words = append(cc.words, r.ID, r.Name)
			}
		case "completion":
			cc.words = completionShells
		case "help":
			cc.words = commandNames(app)
		}
		spec.commands = append(spec.commands, cc)
	}
	return spec
}

func completionFlags(flags []ucli.Flag) []completionFlag {
	var out []completionFlag
	seen := map[string]bool{}
	for _, f := range flags {
		if seen[f.Names()[0]] {
			continue // --help, once appended by the library, once by us
		}
		seen[f.Names()[0]] = true
		var cf completionFlag
		for _, n := range f.Names() {
			if len(n) == 1 {
				cf.short = n
			} else if cf.long == "" {
				cf.long = n
			}
		}
		if cf.long == "" {
			continue
		}
		if df, ok := f.(ucli.DocGenerationFlag); ok {
			cf.usage = df.GetUsage()
			cf.takesValue = df.TakesValue()
		}
		switch f := f.(type) {
		case *ucli.StringFlag:
			cf.files = f.TakesFile
		case *ucli.GenericFlag:
			cf.files, cf.repeatable = f.TakesFile, true
		case *ucli.StringSliceFlag:
			cf.files, cf.repeatable = f.TakesFile, true
		}
		cf.values = flagValues(cf.long)
		out = append(out, cf)
	}
	return out
}

// shortUsage is the first clause of a flag's usage, without the
// backquoted placeholder, for the shells that show descriptions.
func shortUsage(s string) string {
	s = strings.ReplaceAll(s, "`", "")
	for _, sep := range []string{": ", "; ", " (", ", as "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return s
}

func (s completionSpec) bash(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# bash completion for dapilint (dapilint completion bash)\n")
	b.WriteString("_dapilint() {\n")
	b.WriteString("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" i\n")
	b.WriteString("    for ((i = 1; i < COMP_CWORD; i++)); do\n")
	b.WriteString("        case \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n")
	b.WriteString("    done\n")
	b.WriteString("    case \"$cmd\" in\n")
	var names []string
	for _, c := range s.commands {
		names = append(names, c.name)
	}
	fmt.Fprintf(&b, "    \"\")\n        COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;\n", shellQuote(strings.Join(append(names, flagWords(s.globals)...), " ")))
	for _, c := range s.commands {
		fmt.Fprintf(&b, "    %s)\n", c.name)
		b.WriteString("        case \"$prev\" in\n")
		for _, f := range c.flags {
			if !f.takesValue {
				continue
			}
			pat := "--" + f.long
			if f.short != "" {
				pat += "|-" + f.short
			}
			switch {
			case len(f.values) > 0:
				fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -W %s -- \"$cur\")); return ;;\n", pat, shellQuote(strings.Join(f.values, " ")))
			case f.files:
				fmt.Fprintf(&b, "        %s) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", pat)
			default:
				fmt.Fprintf(&b, "        %s) return ;;\n", pat)
			}
		}
		b.WriteString("        esac\n")
		fmt.Fprintf(&b, "        if [[ $cur == -* ]]; then\n            COMPREPLY=($(compgen -W %s -- \"$cur\"))\n", shellQuote(strings.Join(flagWords(c.flags), " ")))
		switch {
		case c.files:
			b.WriteString("        else\n            compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n")
		case len(c.words) > 0:
			fmt.Fprintf(&b, "        else\n            COMPREPLY=($(compgen -W %s -- \"$cur\"))\n", shellQuote(strings.Join(c.words, " ")))
		}
		b.WriteString("        fi ;;\n")
	}
	b.WriteString("    esac\n}\ncomplete -F _dapilint dapilint\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func flagWords(flags []completionFlag) []string {
	var words []string
	for _, f := range flags {
		words = append(words, "--"+f.long)
		if f.short != "" {
			words = append(words, "-"+f.short)
		}
	}
	return words
}

// shellQuote quotes s for sh, bash, zsh and fish alike.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zshEscape escapes what _arguments and _describe read specially in a
// description.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, ":", `\:`, "'", `'\''`).Replace(s)
}

func (s completionSpec) zsh(w io.Writer) error {
	var b strings.Builder
	b.WriteString("#compdef dapilint\n# zsh completion for dapilint (dapilint completion zsh)\n\n")
	b.WriteString("_dapilint() {\n    local curcontext=\"$curcontext\" state line\n    local -a commands\n    commands=(\n")
	for _, c := range s.commands {
		fmt.Fprintf(&b, "        '%s:%s'\n", c.name, zshEscape(shortUsage(c.usage)))
	}
	b.WriteString("    )\n    _arguments -C \\\n")
	for _, f := range s.globals {
		fmt.Fprintf(&b, "        %s \\\n", zshFlag(f, true))
	}
	b.WriteString("        '1: :->command' \\\n        '*:: :->args'\n")
	b.WriteString("    case $state in\n    command)\n        _describe -t commands 'dapilint command' commands ;;\n")
	b.WriteString("    args)\n        case $line[1] in\n")
	for _, c := range s.commands {
		fmt.Fprintf(&b, "        %s)\n            _arguments -s \\\n", c.name)
		for _, f := range c.flags {
			fmt.Fprintf(&b, "                %s \\\n", zshFlag(f, false))
		}
		switch {
		case c.files:
			b.WriteString("                '*:path:_files'\n")
		case len(c.words) > 0:
			fmt.Fprintf(&b, "                '1:argument:(%s)'\n", zshEscape(strings.Join(c.words, " ")))
		default:
			b.WriteString("                && return 0\n")
		}
		b.WriteString("            ;;\n")
	}
	b.WriteString("        esac ;;\n    esac\n}\n\n_dapilint \"$@\"\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshFlag is one _arguments spec. exclusive flags (--version, --help)
// end the command line.
func zshFlag(f completionFlag, exclusive bool) string {
	desc := "[" + zshEscape(shortUsage(f.usage)) + "]"
	value := ""
	if f.takesValue {
		switch {
		case len(f.values) > 0:
			value = ":" + f.long + ":(" + zshEscape(strings.Join(f.values, " ")) + ")"
		case f.files:
			value = ":" + f.long + ":_files"
		default:
			value = ":" + f.long + ": "
		}
	}
	// The prefix: "(- *)" for a flag that ends the command line, "*" for
	// a repeatable one, "(-f --format)" for the two names of one flag.
	prefix := ""
	switch {
	case exclusive:
		prefix = "(- *)"
	case f.repeatable:
		prefix = "*"
	case f.short != "":
		prefix = "(-" + f.short + " --" + f.long + ")"
	}
	if f.short != "" {
		return fmt.Sprintf("'%s'{-%s,--%s}'%s%s'", prefix, f.short, f.long, desc, value)
	}
	return fmt.Sprintf("'%s--%s%s%s'", prefix, f.long, desc, value)
}

func (s completionSpec) fish(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# fish completion for dapilint (dapilint completion fish)\n")
	b.WriteString("complete -c dapilint -f\n")
	for _, f := range s.globals {
		b.WriteString(fishFlag("__fish_use_subcommand", f))
	}
	for _, c := range s.commands {
		fmt.Fprintf(&b, "complete -c dapilint -n __fish_use_subcommand -a %s -d %s\n", c.name, shellQuote(shortUsage(c.usage)))
	}
	for _, c := range s.commands {
		cond := "__fish_seen_subcommand_from " + c.name
		for _, f := range c.flags {
			b.WriteString(fishFlag(cond, f))
		}
		switch {
		case c.files:
			fmt.Fprintf(&b, "complete -c dapilint -n %s -F\n", shellQuote(cond))
		case len(c.words) > 0:
			fmt.Fprintf(&b, "complete -c dapilint -n %s -a %s\n", shellQuote(cond), shellQuote(strings.Join(c.words, " ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fishFlag(cond string, f completionFlag) string {
	var b strings.Builder
	fmt.Fprintf(&b, "complete -c dapilint -n %s -l %s", shellQuote(cond), f.long)
	if f.short != "" {
		fmt.Fprintf(&b, " -s %s", f.short)
	}
	switch {
	case len(f.values) > 0:
		fmt.Fprintf(&b, " -x -a %s", shellQuote(strings.Join(f.values, " ")))
	case f.files:
		b.WriteString(" -r -F")
	case f.takesValue:
		b.WriteString(" -x")
	}
	fmt.Fprintf(&b, " -d %s\n", shellQuote(shortUsage(f.usage)))
	return b.String()
}
