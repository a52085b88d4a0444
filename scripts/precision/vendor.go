package main

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// chartFile is what vendoring reads of a Chart.yaml.
type chartFile struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Dependencies []struct {
		Name       string `json:"name"`
		Repository string `json:"repository"`
	} `json:"dependencies"`
}

func readChartFile(dir string) (*chartFile, error) {
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var c chartFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "Chart.yaml"), err)
	}
	return &c, nil
}

// vendorDeps does for the corpus what `helm dependency build` does for a
// user: every dependency a listed chart names and its charts/ folder lacks
// is packed from a chart of that name found in the corpus's clones (the
// same clone first) into charts/NAME-VERSION.tgz. Dependencies with a
// file:// repository are left alone: dapilint reads those from their
// directory itself.
func vendorDeps(dir string, entries []entry, onlySet string) error {
	// Every chart of the listed clones, by name.
	byName := map[string][]string{}
	clones := map[string]bool{}
	for _, e := range entries {
		clone := filepath.Join(dir, strings.ReplaceAll(e.repo, "/", "+"))
		if clones[clone] {
			continue
		}
		clones[clone] = true
		for _, c := range findCharts(clone) {
			if cf, err := readChartFile(c); err == nil && cf.Name != "" {
				byName[cf.Name] = append(byName[cf.Name], c)
			}
		}
	}
	done := map[string]bool{}
	var vendor func(chart string) error
	vendor = func(chart string) error {
		if done[chart] {
			return nil
		}
		done[chart] = true
		cf, err := readChartFile(chart)
		if err != nil {
			return err
		}
		present := chartsIn(filepath.Join(chart, "charts"))
		for _, d := range cf.Dependencies {
			if present[d.Name] || strings.HasPrefix(d.Repository, "file://") {
				continue
			}
			// A chart inside another chart's charts/ folder is that
			// chart's own (kyverno's "grafana" is not Grafana's chart).
			cands := slices.DeleteFunc(slices.Clone(byName[d.Name]), nested)
			// The same repository's chart first, then one of the owner
			// the dependency's repository URL names (grafana.github.io:
			// grafana-community's); a chart of the same name from anyone
			// else is another chart (bitnami's grafana is not Grafana's).
			rank := func(c string) int {
				owner := cloneOwner(c)
				first, _, _ := strings.Cut(owner, "-")
				switch {
				case sameClone(c, chart):
					return 0
				case strings.Contains(d.Repository, owner), strings.Contains(d.Repository, first+"."):
					return 1
				}
				return 2
			}
			cands = slices.DeleteFunc(cands, func(c string) bool { return rank(c) == 2 })
			slices.SortStableFunc(cands, func(a, b string) int { return rank(a) - rank(b) })
			if len(cands) == 0 {
				fmt.Fprintf(os.Stderr, "vendor-deps: %s: no chart %q in the corpus\n", chart, d.Name)
				continue
			}
			src := cands[0]
			if err := vendor(src); err != nil {
				return err
			}
			sub, err := readChartFile(src)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(chart, "charts"), 0o755); err != nil {
				return err
			}
			out := filepath.Join(chart, "charts", sub.Name+"-"+sub.Version+".tgz")
			if err := packChart(src, sub.Name, out); err != nil {
				return err
			}
			present[d.Name] = true
			fmt.Fprintf(os.Stderr, "vendor-deps: %s ← %s\n", out, src)
		}
		return nil
	}
	for _, e := range entries {
		if (onlySet != "" && e.set != onlySet) || e.set == depsSet {
			continue
		}
		clone := filepath.Join(dir, strings.ReplaceAll(e.repo, "/", "+"))
		for _, c := range findCharts(filepath.Join(clone, e.path)) {
			if err := vendor(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// nested reports whether a chart directory is in another chart's charts/
// folder.
func nested(dir string) bool {
	parent := filepath.Dir(dir)
	if filepath.Base(parent) != "charts" {
		return false
	}
	_, err := os.Stat(filepath.Join(filepath.Dir(parent), "Chart.yaml"))
	return err == nil
}

// cloneOwner is the owner part of the clone a path is in ("grafana-community"
// for DIR/grafana-community+helm-charts/charts/grafana).
func cloneOwner(p string) string {
	for _, part := range strings.Split(filepath.ToSlash(p), "/") {
		if owner, _, ok := strings.Cut(part, "+"); ok {
			return owner
		}
	}
	return "\x00"
}

// sameClone reports whether two paths are in the same clone (the same
// first directory under the corpus directory).
func sameClone(a, b string) bool {
	first := func(p string) string {
		parts := strings.Split(filepath.ToSlash(p), "/")
		for i, part := range parts {
			if strings.Contains(part, "+") {
				return strings.Join(parts[:i+1], "/")
			}
		}
		return p
	}
	return first(a) == first(b)
}

// findCharts lists the chart directories under root, outside charts/
// folders of other charts.
func findCharts(root string) []string {
	var out []string
	// The clones may be links into another directory: WalkDir does not
	// follow a link, even at its root.
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return fs.SkipDir
		}
		if !d.IsDir() && d.Name() == "Chart.yaml" {
			out = append(out, filepath.Dir(p))
		}
		return nil
	})
	return out
}

// chartsIn names the charts a charts/ folder holds (directories and
// archives).
func chartsIn(dir string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if cf, err := readChartFile(p); err == nil {
				out[cf.Name] = true
			}
			continue
		}
		if name, ok := strings.CutSuffix(e.Name(), ".tgz"); ok {
			// NAME-VERSION.tgz: NAME may hold dashes, VERSION starts
			// with a digit.
			for j := len(name) - 1; j > 0; j-- {
				if name[j] == '-' && j+1 < len(name) && name[j+1] >= '0' && name[j+1] <= '9' {
					out[name[:j]] = true
					break
				}
			}
		}
	}
	return out
}

// packChart writes the chart in dir as a helm archive: every file under
// NAME/.
func packChart(dir, name, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name + "/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	for _, c := range []interface{ Close() error }{tw, gz, f} {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
