// Package ruledoc renders the rules' documentation from their metadata:
// docs/rules.md (see internal/gendocs), `dapilint rules` and `dapilint
// explain`. Each rule's example is linted for real, so the output shown is
// what dapilint prints.
package ruledoc

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/reporter"
	"github.com/dapilint/dapilint/rules"
)

// ExampleFile is the file name examples are linted under.
const ExampleFile = "example.yaml"

// Example lints r's example as `dapilint lint` would with r enabled (the
// default rules plus r) and returns that command line and its text output,
// summary included.
func Example(r *rules.Rule) (command, output string) {
	if r.Rendered {
		return "dapilint lint chart", r.ExampleOutput
	}
	cfg := lint.Config{}
	for _, d := range rules.All {
		if d.Default || d == r {
			cfg.Rules = append(cfg.Rules, d)
		}
	}
	command = "dapilint lint " + ExampleFile
	if !r.Default {
		command = "dapilint lint --enable " + r.ID + " " + ExampleFile
	}
	var buf bytes.Buffer
	rep := reporter.NewText(&buf, reporter.Options{})
	var sum reporter.Summary
	lint.Run([]lint.Input{{Name: ExampleFile, Data: []byte(r.Example)}}, cfg, func(res lint.FileResult) {
		sum.Add(res)
		_ = rep.File(res) // writes to memory
	})
	_ = rep.Finish(sum)
	return command, buf.String()
}

// Status is "error · on by default · safe fix".
func Status(r *rules.Rule) string {
	parts := []string{r.Severity.String()}
	if r.Default {
		parts = append(parts, "on by default")
	} else if r.Group != "" {
		parts = append(parts, "off by default (enable with --enable "+r.ID+" or --enable "+r.Group+")")
	} else {
		parts = append(parts, "off by default (enable with --enable "+r.ID+")")
	}
	switch r.Fixes {
	case rules.SafeFixes:
		parts = append(parts, "safe fix (--fix)")
	case rules.UnsafeFixes:
		parts = append(parts, "unsafe fix (--fix --unsafe-fixes)")
	case rules.SafeFixes | rules.UnsafeFixes:
		parts = append(parts, "safe fix (--fix), unsafe for some findings (--unsafe-fixes)")
	}
	return strings.Join(parts, " · ")
}

// defaultCell is "on", "off", or "off (GROUP)" for a rule in a group.
func defaultCell(r *rules.Rule) string {
	if !r.Default && r.Group != "" {
		return "off (" + r.Group + ")"
	}
	return onOff(r.Default, "on", "off")
}

func onOff(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}

// fixCell is the rule's kinds of fix for a table: "safe", "unsafe",
// "safe, unsafe" or "-".
func fixCell(r *rules.Rule) string {
	if r.Fixes == 0 {
		return "-"
	}
	return r.Fixes.String()
}

// Table writes the rules as an aligned table, for `dapilint rules`.
func Table(w io.Writer, rs []*rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tDEFAULT\tFIX\tTITLE")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity,
			onOff(r.Default, "on", "off"), fixCell(r), r.Title)
	}
	return tw.Flush()
}

// RuleInfo is a rule as `dapilint rules --format json` lists it.
type RuleInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Default  bool   `json:"default"`
	// Fixable is whether findings may carry a fix; SafeFix and UnsafeFix
	// say of which kind (--fix applies safe fixes, --unsafe-fixes adds
	// the unsafe ones).
	Fixable   bool   `json:"fixable"`
	SafeFix   bool   `json:"safeFix"`
	UnsafeFix bool   `json:"unsafeFix"`
	HelpURI   string `json:"helpUri"`
}

// Infos describes rules for JSON.
func Infos(rs []*rules.Rule) []RuleInfo {
	out := make([]RuleInfo, 0, len(rs))
	for _, r := range rs {
		out = append(out, RuleInfo{ID: r.ID, Name: r.Name, Title: r.Title, Severity: r.Severity.String(),
			Default: r.Default, Fixable: r.Fixes != 0, SafeFix: r.Fixes.Has(rules.Safe), UnsafeFix: r.Fixes.Has(rules.Unsafe),
			HelpURI: reporter.RuleHelpURI(r)})
	}
	return out
}

// Explain writes a rule's documentation for a terminal: its doc, its
// example with line numbers, and what dapilint says about the example.
func Explain(w io.Writer, r *rules.Rule) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n", r.ID, r.Name, r.Title)
	fmt.Fprintf(&b, "%s\n", Status(r))
	fmt.Fprintf(&b, "%s\n\n", reporter.RuleHelpURI(r))
	b.WriteString(strings.TrimSpace(r.Doc))
	name := ExampleFile
	if r.Rendered {
		name = "chart/templates/" + ExampleFile
	}
	b.WriteString("\n\nExample (" + name + "):\n\n")
	lines := strings.Split(strings.TrimRight(r.Example, "\n"), "\n")
	for i, l := range lines {
		fmt.Fprintf(&b, "%6d | %s\n", i+1, l)
	}
	cmd, out := Example(r)
	fmt.Fprintf(&b, "\n$ %s\n%s", cmd, out)
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown renders docs/rules.md: a summary table, then one section per
// rule whose anchor is reporter.RuleAnchor (the SARIF helpUri points
// there).
func Markdown(rs []*rules.Rule) []byte {
	var b bytes.Buffer
	b.WriteString("<!-- Code generated by internal/gendocs from the rules' metadata; DO NOT EDIT. Run go generate ./... -->\n\n")
	b.WriteString("# dapilint rules\n\n")
	b.WriteString("Every rule dapilint has, generated from the rules themselves. Rules marked *off* run only\n" +
		"when enabled (`--enable ID`, or `enable:` in `.dapilint.yaml`); those marked *off (pedantic)*\n" +
		"are accurate but mostly harmless on real manifests, and `--enable pedantic` turns them all on.\n" +
		"What error, warning and info mean, and what a rule must show before it is on by default, is in\n" +
		"[severity.md](severity.md); how the default rules fare on real manifests is in\n" +
		"[precision.md](precision.md). `dapilint rules` lists the same table and `dapilint explain ID`\n" +
		"prints a rule's section. The output under each example is what dapilint prints for it.\n" +
		"The Fix column says which fixes a rule's findings may carry: *safe* ones `dapilint lint --fix`\n" +
		"applies, *unsafe* ones only with `--unsafe-fixes` too (see [fixes.md](fixes.md)).\n\n")
	b.WriteString("- **DA0xx** input errors: the file or object cannot be read as kubectl reads it.\n" +
		"- **DA1xx** Downward API mistakes the API server rejects.\n" +
		"- **DA2xx** Downward API usage the API server accepts but that goes wrong at runtime.\n" +
		"- **DA9xx** dapilint's own directives: ignores that silenced nothing, name unknown rules or\n" +
		"  cannot be read (see [Silencing a finding](../README.md#silencing-a-finding)).\n\n")
	b.WriteString("| ID | Name | Severity | Default | Fix | Title |\n")
	b.WriteString("|----|------|----------|---------|-----|-------|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| [%s](#%s) | `%s` | %s | %s | %s | %s |\n", r.ID, reporter.RuleAnchor(r), r.Name,
			r.Severity, defaultCell(r), fixCell(r), tableCell(r.Title))
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "\n## %s\n\n", r.ID)
		fmt.Fprintf(&b, "**%s** (`%s`)\n\n", mdText(r.Title), r.Name)
		fmt.Fprintf(&b, "%s\n\n", Status(r))
		b.WriteString(strings.TrimSpace(r.Doc))
		b.WriteString("\n\n")
		if r.Example != "" {
			cmd, out := Example(r)
			if r.Rendered {
				b.WriteString("Example, as the template `templates/" + ExampleFile + "` of a chart `chart`:\n\n")
			} else {
				b.WriteString("Example:\n\n")
			}
			b.WriteString(fence("yaml", r.Example))
			fmt.Fprintf(&b, "\n`%s` prints:\n\n", cmd)
			b.WriteString(fence("text", out))
		}
	}
	return b.Bytes()
}

// fence puts text in a fenced code block, with a fence longer than any
// backtick run in it.
func fence(lang, text string) string {
	f := "```"
	for strings.Contains(text, f) {
		f += "`"
	}
	return f + lang + "\n" + strings.TrimRight(text, "\n") + "\n" + f + "\n"
}

func tableCell(s string) string { return strings.ReplaceAll(mdText(s), "|", `\|`) }

// mdText escapes the characters that would start Markdown emphasis.
func mdText(s string) string {
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}
