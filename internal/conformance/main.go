// Command conformance is dapilint's conformance sweep (make conformance).
// It generates variations of manifests — every pod-spec case of cases.go
// in every workload kind, as YAML and as JSON, alone, in a List and in a
// typed list, several to a file; and the input cases that kubectl reads
// in its own way (inputs.go) — then runs dapilint and the API server
// oracle (tools/apiserver-oracle) on them and compares their verdicts
// document by document with internal/oraclecheck. Any disagreement fails
// the run: a false error (dapilint reports what the API server accepts) or
// a miss (the API server rejects, in dapilint's scope, what dapilint does
// not report).
//
//	go run ./internal/conformance -oracle tools/apiserver-oracle/bin/oracle [-keep DIR] [-v]
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dapilint/dapilint/internal/oraclecheck"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// file is one generated input file.
type file struct {
	name string
	data []byte
	// what is the variation's description, for reports.
	what string
}

func main() {
	oracle := flag.String("oracle", "", "the apiserver-oracle binary (make oracle)")
	keep := flag.String("keep", "", "write the generated files to this directory and keep them")
	verbose := flag.Bool("v", false, "list every disagreement in full")
	flag.Parse()
	if *oracle == "" {
		fmt.Fprintln(os.Stderr, "conformance: -oracle is required (make conformance builds it)")
		os.Exit(2)
	}
	files := generate()
	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "dapilint-conformance-")
		check(err)
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	check(os.MkdirAll(dir, 0o755))
	var names []string
	for _, f := range files {
		check(os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644))
		names = append(names, f.name)
	}
	verdicts := runOracle(*oracle, dir, names)

	cfg := lint.Config{Rules: rules.Defaults()}
	enabled := map[*rules.Rule]bool{}
	for _, r := range cfg.Rules {
		enabled[r] = true
	}
	var documents, rejected, outOfScope, falseErrors, misses int
	var failures []string
	for _, f := range files {
		lf := loader.Load(f.name, f.data)
		objects := map[oraclecheck.Key]*loader.Object{}
		for _, o := range lf.Objects {
			objects[oraclecheck.Key{Doc: o.Doc, Item: o.Item}] = o
		}
		findings := map[oraclecheck.Key][]rules.Finding{}
		for _, fd := range lint.LintFile(lf, cfg, enabled) {
			k := oraclecheck.Key{Doc: fd.Object.Doc, Item: fd.Object.Item}
			findings[k] = append(findings[k], fd)
		}
		seen := map[oraclecheck.Key]bool{}
		for _, v := range verdicts[f.name] {
			k := v.Key()
			seen[k] = true
			documents++
			if v.Rejected {
				rejected++
				if v.DecodeError == "" && len(v.StrictErrors) == 0 && !anyInScope(v, objects[k]) {
					outOfScope++
					if *verbose {
						fmt.Printf("  out of scope: %s doc %d%s (%s): %s\n", f.name, v.Doc, itemSuffix(v), f.what, v.Errors[0].Field+": "+v.Errors[0].Message)
					}
				}
			}
			fs := findings[k]
			if v.Item != nil {
				// Problems of a list document belong to no item.
				fs = append(fs, findings[oraclecheck.Key{Doc: v.Doc, Item: -1}]...)
			}
			ms := oraclecheck.Compare(v, objects[k], fs)
			for _, m := range ms {
				if m.Miss {
					misses++
				} else {
					falseErrors++
				}
				failures = append(failures, fmt.Sprintf("%s doc %d%s (%s, %s %s): %s", f.name, v.Doc, itemSuffix(v), f.what, v.APIVersion, v.Kind, m))
			}
		}
		for k, fs := range findings {
			if seen[k] || (k.Item == -1 && seenDoc(seen, k.Doc)) {
				continue
			}
			for _, fd := range fs {
				if fd.Severity == rules.Error {
					falseErrors++
					failures = append(failures, fmt.Sprintf("%s doc %d (%s): the oracle has no verdict there, but dapilint reports %s: %s", f.name, k.Doc, f.what, fd.Rule.ID, fd.Message))
				}
			}
		}
	}
	fmt.Printf("conformance: %d documents (%d pod-spec cases x %d workload kinds x YAML and JSON, alone, in a List and in a typed list; %d input cases) in %d files\n",
		documents, len(specCases), len(kinds), len(inputCases), len(files))
	agree := documents - docsWithFailures(failures)
	fmt.Printf("agreement with the Kubernetes 1.36 API server: %d of %d documents (%d rejected by it, %d of them only for reasons outside dapilint's scope); %d false errors, %d misses in scope\n",
		agree, documents, rejected, outOfScope, falseErrors, misses)
	if len(failures) > 0 {
		sort.Strings(failures)
		limit := len(failures)
		if !*verbose && limit > 40 {
			limit = 40
		}
		for _, s := range failures[:limit] {
			fmt.Println("  " + s)
		}
		if limit < len(failures) {
			fmt.Printf("  ... and %d more (-v lists them all)\n", len(failures)-limit)
		}
		os.Exit(1)
	}
	if documents < 1000 {
		fmt.Println("conformance: fewer than 1000 documents compared")
		os.Exit(1)
	}
}

// anyInScope reports whether any of the verdict's errors is in scope.
func anyInScope(v oraclecheck.Verdict, o *loader.Object) bool {
	if o == nil {
		return false
	}
	for _, e := range v.Errors {
		if ids, _ := oraclecheck.Classify(e, o); len(ids) > 0 {
			return true
		}
	}
	return false
}

func itemSuffix(v oraclecheck.Verdict) string {
	if v.Item != nil {
		return fmt.Sprintf(" item %d", *v.Item)
	}
	return ""
}

func seenDoc(seen map[oraclecheck.Key]bool, doc int) bool {
	for k := range seen {
		if k.Doc == doc {
			return true
		}
	}
	return false
}

// docsWithFailures counts the distinct documents named in failures.
func docsWithFailures(failures []string) int {
	docs := map[string]bool{}
	for _, f := range failures {
		docs[f[:strings.Index(f, " (")]] = true
	}
	return len(docs)
}

// runOracle runs the oracle on the files (from dir) and returns its
// verdicts by file name.
func runOracle(bin, dir string, names []string) map[string][]oraclecheck.Verdict {
	abs, err := filepath.Abs(bin)
	check(err)
	cmd := exec.Command(abs, append([]string{"-show-skipped"}, names...)...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	check(err)
	verdicts := map[string][]oraclecheck.Verdict{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v oraclecheck.Verdict
		check(json.Unmarshal(sc.Bytes(), &v))
		verdicts[v.File] = append(verdicts[v.File], v)
	}
	check(sc.Err())
	return verdicts
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(2)
	}
}
