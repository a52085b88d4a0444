// Command bench measures dapilint as a whole process (make bench): it
// generates the benchmark corpus (internal/benchcorpus) at scale 1 and 4
// and as one large file, runs the binary on each in every output format,
// and reports throughput (MB/s, documents/s) and peak RSS. With
// -kubeconform it also runs kubeconform -strict on the same corpus, in
// pairs alternating with dapilint, so that both see the same machine load.
//
// Timings on a shared machine are noisy: each case runs -runs times and
// the median is reported, with the load average at the start.
//
// kubeconform needs JSON schemas, which it downloads; offline,
// -schemas-from writes them from the Kubernetes OpenAPI document (the
// k8s.io/kubernetes module that make oracle downloads has it, in
// api/openapi-spec/swagger.json).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dapilint/dapilint/internal/benchcorpus"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == childFlag {
		child(os.Args[2:])
		return
	}
	bin := flag.String("bin", "bin/dapilint", "the dapilint binary to measure")
	dir := flag.String("dir", "", "where to generate the corpus (default: a temporary directory, removed afterwards)")
	runs := flag.Int("runs", 3, "runs of each case (the median is reported)")
	scales := flag.String("scales", "1,4", "corpus scales to run, comma-separated")
	formats := flag.String("formats", "text,json,sarif", "output formats, comma-separated")
	single := flag.Bool("single", true, "also run on the scale-1 corpus as one single file")
	pairs := flag.Int("pairs", 5, "dapilint and kubeconform runs, alternating, in the comparison")
	kubeconform := flag.String("kubeconform", "", "kubeconform binary to compare with (optional)")
	schemas := flag.String("kubeconform-schemas", "", "kubeconform -schema-location (needed offline)")
	swagger := flag.String("schemas-from", "", "write kubeconform schemas from this Kubernetes OpenAPI v2 document (swagger.json) into -schemas-dir, and exit")
	schemaDir := flag.String("schemas-dir", "", "where -schemas-from writes the schemas")
	flag.Parse()
	if *swagger != "" {
		check(writeSchemas(*swagger, *schemaDir))
		return
	}

	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "dapilint-bench-")
		check(err)
		defer os.RemoveAll(tmp)
		work = tmp
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("dapilint whole-process benchmark: %s, %d runs per case (median), load average %s\n", *bin, *runs, strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	fmt.Printf("%-28s %-6s %7s %8s %8s %8s %10s %11s\n", "case", "format", "MB", "wall s", "CPU s", "MB/s", "docs/s", "peak RSS")

	var fmts []string
	for _, f := range strings.Split(*formats, ",") {
		fmts = append(fmts, strings.TrimSpace(f))
	}
	for _, s := range strings.Split(*scales, ",") {
		scale, err := strconv.Atoi(strings.TrimSpace(s))
		check(err)
		c := corpus(work, scale)
		for _, f := range fmts {
			measure(fmt.Sprintf("corpus %dx (%d files)", scale, c.files), f, c, *runs, *bin, "lint", "--format", f, c.path)
		}
		if *kubeconform != "" && scale == 1 {
			paired(c, *pairs, *bin, *kubeconform, *schemas)
		}
	}
	if *single {
		c := singleFile(work)
		for _, f := range fmts {
			measure("one file", f, c, *runs, *bin, "lint", "--format", f, c.path)
		}
	}
	small := smallFile(work)
	measure("pre-commit: one small file", "text", small, max(*runs, 20), *bin, "lint", small.path)
}

type corpusInfo struct {
	path        string
	files, docs int
	bytes       int64
}

// corpus generates (once) the corpus at scale into work/scale-N.
func corpus(work string, scale int) corpusInfo {
	c := corpusInfo{path: filepath.Join(work, fmt.Sprintf("scale-%d", scale))}
	stamp := filepath.Join(c.path, ".complete")
	_, err := os.Stat(stamp)
	fresh := err != nil
	if fresh {
		check(os.RemoveAll(c.path))
	}
	benchcorpus.Generate(scale, func(f benchcorpus.File) {
		c.files++
		c.docs += f.Docs
		c.bytes += int64(len(f.Data))
		if fresh {
			p := filepath.Join(c.path, f.Name)
			check(os.MkdirAll(filepath.Dir(p), 0o755))
			check(os.WriteFile(p, f.Data, 0o644))
		}
	})
	if fresh {
		check(os.WriteFile(stamp, nil, 0o644))
	}
	return c
}

// singleFile is the scale-1 corpus as one multi-document file.
func singleFile(work string) corpusInfo {
	c := corpusInfo{path: filepath.Join(work, "single.yaml"), files: 1}
	var buf bytes.Buffer
	benchcorpus.Generate(1, func(f benchcorpus.File) {
		if buf.Len() > 0 {
			buf.WriteString("---\n")
		}
		buf.Write(f.Data)
		c.docs += f.Docs
	})
	c.bytes = int64(buf.Len())
	check(os.WriteFile(c.path, buf.Bytes(), 0o644))
	return c
}

// smallFile is one file of the corpus, as a pre-commit hook sees it.
func smallFile(work string) corpusInfo {
	c := corpusInfo{path: filepath.Join(work, "small.yaml"), files: 1}
	done := false
	benchcorpus.Generate(1, func(f benchcorpus.File) {
		if !done {
			check(os.WriteFile(c.path, f.Data, 0o644))
			c.docs, c.bytes, done = f.Docs, int64(len(f.Data)), true
		}
	})
	return c
}

type result struct {
	wall, cpu time.Duration // elapsed, and user + system CPU time
	rss       int64         // KiB
}

// childFlag makes the benchmark a small helper process that runs one
// command and prints its wall time and peak RSS. The measured command must
// not be started by the benchmark itself: on Linux a process's peak RSS
// counts the memory of the process that exec'd it, and the benchmark holds
// the corpus in memory.
const childFlag = "-measure-child"

func child(args []string) {
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = discard{}, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 1 {
		err = nil // findings
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		os.Exit(2)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Println(wall.Nanoseconds(), cpu.Nanoseconds(), ru.Maxrss)
}

// run runs a command once through the helper.
func run(name string, args ...string) result {
	self, err := os.Executable()
	check(err)
	out, err := exec.Command(self, append([]string{childFlag, name}, args...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			os.Stderr.Write(ee.Stderr)
		}
		check(err)
	}
	var ns, cpu, rss int64
	_, err = fmt.Sscan(string(out), &ns, &cpu, &rss)
	check(err)
	return result{wall: time.Duration(ns), cpu: time.Duration(cpu), rss: rss}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// median returns the median wall and CPU times and the largest peak RSS.
func median(rs []result) (wall, cpu time.Duration, rss int64) {
	walls := make([]time.Duration, len(rs))
	cpus := make([]time.Duration, len(rs))
	for i, r := range rs {
		walls[i], cpus[i] = r.wall, r.cpu
		rss = max(rss, r.rss)
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return walls[len(walls)/2], cpus[len(cpus)/2], rss
}

func measure(label, format string, c corpusInfo, runs int, bin string, args ...string) {
	var rs []result
	for range runs {
		rs = append(rs, run(bin, args...))
	}
	wall, cpu, rss := median(rs)
	mb := float64(c.bytes) / 1e6
	fmt.Printf("%-28s %-6s %7.1f %8.3f %8.3f %8.1f %10.0f %7.1f MiB\n", label, format, mb, wall.Seconds(), cpu.Seconds(), mb/wall.Seconds(), float64(c.docs)/wall.Seconds(), float64(rss)/1024)
}

// paired alternates dapilint and kubeconform -strict on the same corpus.
func paired(c corpusInfo, runs int, bin, kubeconform, schemas string) {
	kargs := []string{"-strict", "-summary"}
	if schemas != "" {
		kargs = append(kargs, "-schema-location", schemas)
	}
	kargs = append(kargs, c.path)
	// A kubeconform that cannot find its schemas is fast and useless:
	// check that it validated every document before timing it.
	out, _ := exec.Command(kubeconform, kargs...).CombinedOutput()
	if want := fmt.Sprintf("%d resources found", c.docs); !strings.Contains(string(out), want) || !strings.Contains(string(out), "Errors: 0,") {
		fmt.Printf("kubeconform did not validate the corpus (no schemas? see -kubeconform-schemas), not compared:\n%s\n", lastLines(string(out), 3))
		return
	}
	var ds, ks []result
	var ratios []float64
	for range runs {
		d := run(bin, "lint", c.path)
		k := run(kubeconform, kargs...)
		ds, ks = append(ds, d), append(ks, k)
		ratios = append(ratios, k.wall.Seconds()/d.wall.Seconds())
	}
	dw, dcpu, drss := median(ds)
	kw, kcpu, krss := median(ks)
	slices.Sort(ratios)
	mb := float64(c.bytes) / 1e6
	fmt.Printf("paired with kubeconform -strict on %.1f MB, %d pairs (median):\n", mb, len(ds))
	fmt.Printf("  dapilint     %7.3f s wall %7.3f s CPU %6.1f MB/s %6.1f MiB\n", dw.Seconds(), dcpu.Seconds(), mb/dw.Seconds(), float64(drss)/1024)
	fmt.Printf("  kubeconform  %7.3f s wall %7.3f s CPU %6.1f MB/s %6.1f MiB\n", kw.Seconds(), kcpu.Seconds(), mb/kw.Seconds(), float64(krss)/1024)
	fmt.Printf("  dapilint is %.2fx as fast by wall time (each pair: %s) and uses %.2fx less CPU\n",
		ratios[len(ratios)/2], fmtRatios(ratios), kcpu.Seconds()/dcpu.Seconds())
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

func fmtRatios(rs []float64) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%.2f", r)
	}
	return strings.Join(parts, " ")
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}
