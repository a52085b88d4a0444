// Command precision measures dapilint's findings on a corpus of real public
// manifests against hand judgments (docs/precision.md).
//
// The corpus is not in this repository: corpus.tsv lists each repository,
// the commit judged and the paths linted; clone them yourself, each into
// DIR/<owner>+<name> checked out at that commit. Then, from the repository
// root:
//
//	go run ./scripts/precision DIR                  # both sets, the default rules
//	go run ./scripts/precision -set held DIR        # the held-out set only
//	go run ./scripts/precision -unjudged DIR        # also list findings nobody judged
//	go run ./scripts/precision -dapilint OLD DIR    # measure another build
//
//	go run ./scripts/precision -set charts-tune -vendor-deps DIR   # charts: first vendor dependencies
//
// It runs `dapilint lint --format json` on every listed path (from the
// clone's root, so findings name files as the repository does), matches
// each finding to judgments.tsv by repository, file, line and rule, and
// prints, per set and rule, the findings and how many were judged true,
// false or debatable. Findings with no judgment are counted as unjudged.
//
// Charts and kustomizations are rendered as dapilint renders them: the
// runner builds dapilint-render beside dapilint (with -dapilint, it must
// be beside that binary), and dapilint runs it. For findings on rendered
// output, a judgment may carry an eighth field, the position's verdict
// (right, approximate or wrong: see readJudgments), and the runner prints
// the positions' table too.
//
// Charts whose Chart.yaml names dependencies that are not in their charts/
// folder cannot be rendered offline; a user runs `helm dependency build`
// first. -vendor-deps does that from the corpus itself: each missing
// dependency is packed, from a chart of that name found in the clones, into
// the chart's charts/ folder as NAME-VERSION.tgz, as helm would. It writes
// into the clones only (never into this repository).
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	set := flag.String("set", "", "only this set of corpus.tsv (tune, held or cr); default: each set")
	list := flag.String("corpus", "scripts/precision/corpus.tsv", "corpus list: set, repository, commit, path")
	judged := flag.String("judgments", "scripts/precision/judgments.tsv", "hand judgments: set, repository, file, line, rule, verdict, reason")
	bin := flag.String("dapilint", "", "dapilint binary to measure (default: build ./cmd/dapilint)")
	unjudged := flag.Bool("unjudged", false, "list every finding without a judgment (or, for rendered output, without a position verdict)")
	vendor := flag.Bool("vendor-deps", false, "before linting, pack missing chart dependencies from the clones into each chart's charts/ folder")
	var extra multiFlag
	flag.Var(&extra, "arg", "extra argument for dapilint lint, e.g. -arg=--enable=pedantic (repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/precision [flags] CLONES-DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *set, *list, *judged, *bin, extra, *unjudged, *vendor); err != nil {
		fmt.Fprintln(os.Stderr, "precision:", err)
		os.Exit(2)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

type entry struct{ set, repo, commit, path string }

// depsSet names corpus entries that are not linted: repositories whose
// charts other charts of the corpus depend on (see -vendor-deps).
const depsSet = "deps"

type key struct {
	repo, file string
	line       int
	rule       string
}

type judgment struct {
	set, verdict, reason string
	// position is the verdict on where the finding points ("" when not
	// judged, as for plain files, where the position is the value itself).
	position string
}

type finding struct {
	key
	set, severity, message string
	// rendered is set for findings on a rendered chart or kustomization.
	rendered *renderedInfo
}

// renderedInfo is the "rendered" object of dapilint's JSON.
type renderedInfo struct {
	Tool        string   `json:"tool"`
	Input       string   `json:"input"`
	ValuesSets  []string `json:"valuesSets"`
	Template    string   `json:"template"`
	Via         string   `json:"via"`
	Approximate bool     `json:"approximate"`
	Note        string   `json:"note"`
}

func run(dir, onlySet, listFile, judgedFile, bin string, extra []string, listUnjudged, vendor bool) error {
	entries, err := readCorpus(listFile)
	if err != nil {
		return err
	}
	judgments, err := readJudgments(judgedFile)
	if err != nil {
		return err
	}
	if bin == "" {
		tmp, err := os.MkdirTemp("", "precision")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		bin = filepath.Join(tmp, "dapilint")
		// dapilint runs dapilint-render, found beside it, for charts and
		// kustomizations.
		if out, err := exec.Command("go", "build", "-o", tmp+string(filepath.Separator), "./cmd/dapilint", "./cmd/dapilint-render").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	if vendor {
		if err := vendorDeps(dir, entries, onlySet); err != nil {
			return err
		}
	}
	var all []finding
	inputErrors := map[string]int{}
	checked := map[string]bool{}
	for _, e := range entries {
		if (onlySet != "" && e.set != onlySet) || e.set == depsSet {
			continue
		}
		clone := filepath.Join(dir, strings.ReplaceAll(e.repo, "/", "+"))
		if !checked[clone] {
			checked[clone] = true
			head, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
			if err != nil {
				return fmt.Errorf("%s: no clone of %s at %s: %v", e.set, e.repo, clone, err)
			}
			if h := strings.TrimSpace(string(head)); h != e.commit {
				fmt.Fprintf(os.Stderr, "warning: %s is at %s, the judgments are for %s\n", clone, h, e.commit)
			}
		}
		fs, nErr, err := lintPath(bin, clone, e.path, extra)
		if err != nil {
			return fmt.Errorf("%s %s: %w", e.repo, e.path, err)
		}
		inputErrors[e.set] += nErr
		for _, f := range fs {
			f.repo, f.set = e.repo, e.set
			all = append(all, f)
		}
	}
	// A path listed twice (or nested in another) must not count twice.
	slices.SortFunc(all, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.set, b.set), cmp.Compare(a.repo, b.repo), cmp.Compare(a.file, b.file),
			cmp.Compare(a.line, b.line), cmp.Compare(a.rule, b.rule), cmp.Compare(a.message, b.message))
	})
	all = slices.CompactFunc(all, func(a, b finding) bool {
		return a.key == b.key && a.set == b.set && a.message == b.message && a.severity == b.severity
	})
	report(os.Stdout, all, judgments, inputErrors, listUnjudged)
	return nil
}

// lintPath lints one path of a clone and returns the findings and the
// number of inputs dapilint could not read or render (a chart with a
// missing dependency, a kustomization with a remote base).
func lintPath(bin, clone, path string, extra []string) ([]finding, int, error) {
	args := append([]string{"lint", "--format", "json", "--fail-level", "none", "--no-color"}, extra...)
	args = append(args, path)
	cmd := exec.Command(bin, args...)
	cmd.Dir = clone
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 2 && stdout.Len() > 0) {
		return nil, 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			File     string `json:"file"`
			Range    struct {
				Start struct {
					Line int `json:"line"`
				} `json:"start"`
			} `json:"range"`
			Rendered *renderedInfo `json:"rendered"`
		} `json:"findings"`
		Summary struct {
			ReadErrors int `json:"readErrors"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		return nil, 0, fmt.Errorf("reading dapilint's JSON: %w", err)
	}
	var out []finding
	for _, f := range doc.Findings {
		out = append(out, finding{
			key:      key{file: filepath.ToSlash(filepath.Clean(f.File)), line: f.Range.Start.Line, rule: f.RuleID},
			severity: f.Severity, message: f.Message, rendered: f.Rendered,
		})
	}
	return out, doc.Summary.ReadErrors, nil
}

type tally struct {
	findings, truePos, falsePos, debatable, unjudged int
	severities                                       map[string]int
}

func (t *tally) add(verdict string, judged bool) {
	t.findings++
	switch {
	case !judged:
		t.unjudged++
	case verdict == "true":
		t.truePos++
	case verdict == "false":
		t.falsePos++
	default:
		t.debatable++
	}
}

func (t *tally) line(w io.Writer, what string) {
	judgedN := t.truePos + t.falsePos + t.debatable
	prec := "n/a"
	if judgedN > 0 {
		prec = fmt.Sprintf("%.1f %%", 100*float64(t.truePos+t.debatable)/float64(judgedN))
	}
	fmt.Fprintf(w, "%s: %d findings, %d true, %d false, %d debatable, %d unjudged; true or debatable: %s of those judged\n",
		what, t.findings, t.truePos, t.falsePos, t.debatable, t.unjudged, prec)
}

// positions counts the position verdicts of findings on rendered output.
type positions struct {
	right, approximate, wrong, unjudged int
	// unsaid counts positions judged approximate that the finding does
	// not say are approximate (each is also counted as wrong), and said
	// those it calls approximate that were judged right.
	unsaid, said int
}

func (p *positions) add(f finding, j judgment, judged bool) {
	switch {
	case !judged || j.position == "":
		p.unjudged++
	case j.position == "right":
		p.right++
		if f.rendered.Approximate {
			p.said++
		}
	case j.position == "approximate" && f.rendered.Approximate:
		p.approximate++
	case j.position == "approximate":
		p.unsaid++
		p.wrong++
	default:
		p.wrong++
	}
}

func report(w io.Writer, all []finding, judgments map[key]judgment, inputErrors map[string]int, listUnjudged bool) {
	sets := map[string]map[string]*tally{}
	// Warnings and infos of each set, whatever their rule; errors apart.
	soft := map[string]*tally{}
	hard := map[string]*tally{}
	pos := map[string]*positions{}
	var missing []finding
	for _, f := range all {
		if sets[f.set] == nil {
			sets[f.set] = map[string]*tally{}
			soft[f.set], hard[f.set], pos[f.set] = &tally{}, &tally{}, &positions{}
		}
		t := sets[f.set][f.rule]
		if t == nil {
			t = &tally{severities: map[string]int{}}
			sets[f.set][f.rule] = t
		}
		t.severities[f.severity]++
		j, ok := judgments[f.key]
		t.add(j.verdict, ok)
		if f.severity != "error" {
			soft[f.set].add(j.verdict, ok)
		} else {
			hard[f.set].add(j.verdict, ok)
		}
		if f.rendered != nil {
			pos[f.set].add(f, j, ok)
		}
		if !ok || (f.rendered != nil && j.position == "") {
			missing = append(missing, f)
		}
	}
	names := make([]string, 0, len(sets))
	for s := range sets {
		names = append(names, s)
	}
	for s := range inputErrors {
		if sets[s] == nil {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	for _, s := range names {
		fmt.Fprintf(w, "set %s\n", s)
		if sets[s] == nil {
			fmt.Fprintf(w, "no findings; %d inputs not read or rendered\n\n", inputErrors[s])
			continue
		}
		fmt.Fprintf(w, "%-6s %-28s %8s %5s %5s %9s %8s\n", "rule", "severities", "findings", "true", "false", "debatable", "unjudged")
		rules := make([]string, 0, len(sets[s]))
		for r := range sets[s] {
			rules = append(rules, r)
		}
		slices.Sort(rules)
		for _, r := range rules {
			t := sets[s][r]
			var sev []string
			for _, name := range []string{"error", "warning", "info"} {
				if n := t.severities[name]; n > 0 {
					sev = append(sev, name+" "+strconv.Itoa(n))
				}
			}
			fmt.Fprintf(w, "%-6s %-28s %8d %5d %5d %9d %8d\n", r, strings.Join(sev, ", "), t.findings, t.truePos, t.falsePos, t.debatable, t.unjudged)
		}
		soft[s].line(w, "warnings and infos")
		hard[s].line(w, "errors")
		if p := pos[s]; p.right+p.approximate+p.wrong+p.unjudged > 0 {
			fmt.Fprintf(w, "positions of findings on rendered output: %d right, %d approximate (and said so), %d wrong (%d approximate but not said so), %d unjudged; %d said approximate but judged right\n",
				p.right, p.approximate, p.wrong, p.unsaid, p.unjudged, p.said)
		}
		fmt.Fprintf(w, "inputs not read or rendered (missing chart dependency, remote base, ...): %d\n\n", inputErrors[s])
	}
	if listUnjudged && len(missing) > 0 {
		fmt.Fprintln(w, "unjudged findings (set, repository, file, line, rule, severity, message[, rendered: values sets, template, via, approximate, note]):")
		for _, f := range missing {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s", f.set, f.repo, f.file, f.line, f.rule, f.severity, f.message)
			if r := f.rendered; r != nil {
				fmt.Fprintf(w, "\t%s\t%s\t%s\tapproximate=%t\t%s", strings.Join(r.ValuesSets, ","), r.Template, r.Via, r.Approximate, r.Note)
			}
			fmt.Fprintln(w)
		}
	}
}

func readCorpus(name string) ([]entry, error) {
	var out []entry
	err := readTSV(name, []int{4}, func(f []string) error {
		out = append(out, entry{f[0], f[1], f[2], filepath.Clean(f[3])})
		return nil
	})
	return out, err
}

// readJudgments reads judgments.tsv: set, repository, file, line, rule,
// verdict, reason and, for findings on rendered output, the position's
// verdict: right (the line a person edits: the template, values key,
// resource or patch line), approximate (near it, and the finding says
// "approximate position"), or wrong (a line that is not the source, or
// approximate without saying so).
func readJudgments(name string) (map[key]judgment, error) {
	out := map[key]judgment{}
	err := readTSV(name, []int{7, 8}, func(f []string) error {
		line, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("line %q: %w", f[3], err)
		}
		switch f[5] {
		case "true", "false", "debatable":
		default:
			return fmt.Errorf("verdict %q: want true, false or debatable", f[5])
		}
		k := key{repo: f[1], file: filepath.ToSlash(filepath.Clean(f[2])), line: line, rule: f[4]}
		if _, dup := out[k]; dup {
			return fmt.Errorf("%v judged twice", k)
		}
		j := judgment{set: f[0], verdict: f[5], reason: f[6]}
		if len(f) == 8 {
			switch f[7] {
			case "right", "approximate", "wrong":
				j.position = f[7]
			default:
				return fmt.Errorf("position %q: want right, approximate or wrong", f[7])
			}
		}
		out[k] = j
		return nil
	})
	return out, err
}

// readTSV calls fn with the fields of each line that is neither blank nor
// a # comment; every such line must have one of n tab-separated fields.
func readTSV(name string, n []int, fn func([]string) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for i := 1; sc.Scan(); i++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if !slices.Contains(n, len(fields)) {
			return fmt.Errorf("%s:%d: %d fields, want %v", name, i, len(fields), n)
		}
		if err := fn(fields); err != nil {
			return fmt.Errorf("%s:%d: %w", name, i, err)
		}
	}
	return sc.Err()
}
