package engine

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/render"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartloader "helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	helmengine "helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/strvals"
	"sigs.k8s.io/yaml"
)

// Helm renders a chart once per values set, as `helm template` would
// (hooks included, CRDs of crds/ not), without a cluster: .Capabilities
// are the defaults for req.KubeVersion, lookup returns nothing, DNS
// functions return nothing. values.schema.json is not checked, because a
// schema may reference remote schemas that Helm would download.
func (Engine) Helm(req render.HelmRequest) (*render.HelmResult, error) {
	caps := common.DefaultCapabilities.Copy()
	// What the API server's discovery reports, as on `helm install`:
	// Helm's offline default lists every version client-go knows, served
	// or not (policy/v1beta1, apiextensions.k8s.io/v1beta1), and no
	// "group/version/Kind" entries, so that charts asking for
	// apiregistration.k8s.io/v1 or autoscaling/v2/HorizontalPodAutoscaler
	// would render their fallback for old clusters.
	caps.APIVersions = loader.ServedAPIVersions()
	if req.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(req.KubeVersion)
		if err != nil {
			return nil, fmt.Errorf("invalid --kube-version %q: %w", req.KubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	res := &render.HelmResult{Templates: map[string]string{}}
	seen := map[string]bool{}
	for _, set := range req.Sets {
		fileDeps := map[string]map[string]string{}
		ch, err := loadChart(req.Dir, fileDeps)
		if err != nil {
			return nil, err
		}
		vals, err := setValues(set)
		if err != nil {
			return nil, err
		}
		if err := chartutil.ProcessDependencies(ch, vals); err != nil {
			return nil, fmt.Errorf("chart %s: %w", req.Dir, err)
		}
		if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
			return nil, fmt.Errorf("chart %s requires kubeVersion %s, which does not include Kubernetes %s (set --kube-version)", req.Dir, ch.Metadata.KubeVersion, caps.KubeVersion.Version)
		}
		for _, info := range chartTree(ch, req.Dir, "", nil, fileDeps) {
			if !seen[info.Path] {
				seen[info.Path] = true
				res.Charts = append(res.Charts, info)
			}
		}
		collectTemplates(ch, res.Templates)
		opts := common.ReleaseOptions{Name: req.ReleaseName, Namespace: req.Namespace, IsInstall: true, Revision: 1}
		top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, opts, caps, true)
		if err != nil {
			return nil, fmt.Errorf("chart %s, values %s: %w", req.Dir, set.Name, err)
		}
		res.Sets = append(res.Sets, renderSet(ch, top, set))
	}
	return res, nil
}

// loadChart loads a chart directory and checks that the dependencies
// Chart.yaml names are in its charts/ folder (rendering never downloads
// them). A dependency whose repository is a local directory
// ("file://../common") and that charts/ lacks is read from that directory,
// as `helm dependency build` would copy it there without a network; its
// directory is recorded in fileDeps, by chart directory and name.
func loadChart(dir string, fileDeps map[string]map[string]string) (*chart.Chart, error) {
	return loadChartDepth(dir, fileDeps, 0)
}

// maxFileDepDepth bounds chains of file:// dependencies (a cycle would
// never end).
const maxFileDepDepth = 10

func loadChartDepth(dir string, fileDeps map[string]map[string]string, depth int) (*chart.Chart, error) {
	ch, err := chartloader.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot load chart %s: %w", dir, err)
	}
	if ch.Metadata == nil {
		return nil, fmt.Errorf("cannot load chart %s: Chart.yaml has no metadata", dir)
	}
	var missing []string
	for _, dep := range ch.Metadata.Dependencies {
		found := slices.ContainsFunc(ch.Dependencies(), func(c *chart.Chart) bool { return c.Name() == dep.Name })
		if found {
			continue
		}
		if local, ok := strings.CutPrefix(dep.Repository, "file://"); ok {
			subDir := filepath.FromSlash(local)
			if !filepath.IsAbs(subDir) {
				subDir = filepath.Join(dir, subDir)
			}
			if depth < maxFileDepDepth {
				sub, err := loadChartDepth(subDir, fileDeps, depth+1)
				if err != nil {
					return nil, fmt.Errorf("dependency %s (%s): %w", dep.Name, dep.Repository, err)
				}
				if sub.Name() == dep.Name {
					ch.AddDependency(sub)
					if fileDeps[dir] == nil {
						fileDeps[dir] = map[string]string{}
					}
					fileDeps[dir][dep.Name] = subDir
					continue
				}
			}
		}
		missing = append(missing, dep.Name)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("dependency %s is named in Chart.yaml but missing from the charts/ folder; run `helm dependency build %s` first (dapilint never downloads charts)",
			strings.Join(missing, ", "), dir)
	}
	return ch, nil
}

// setValues merges a values set's files and --set values as helm's
// --values and --set do; the chart's own values.yaml is coalesced under
// them later.
func setValues(set render.ValuesSet) (map[string]any, error) {
	base := map[string]any{}
	for _, f := range set.Files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("cannot read values file: %w", err)
		}
		m := map[string]any{}
		if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("cannot parse values file %s: %w", f, err)
		}
		base = mergeMaps(base, m)
	}
	for _, s := range set.Set {
		if err := strvals.ParseInto(s, base); err != nil {
			return nil, fmt.Errorf("invalid --set %q: %w", s, err)
		}
	}
	return base, nil
}

// mergeMaps merges b into a, recursively for maps, b winning (helm's
// rule for several --values files).
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]any); ok {
			if bv, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(bv, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// chartTree lists a (processed) chart and its subcharts with where each
// lives on disk.
func chartTree(ch *chart.Chart, dir, archive string, key []string, fileDeps map[string]map[string]string) []render.ChartInfo {
	out := []render.ChartInfo{{Path: ch.ChartFullPath(), Dir: dir, Archive: archive, ValuesKey: key}}
	var entries map[string]subchartLocation
	if dir != "" {
		entries = scanCharts(filepath.Join(dir, "charts"))
		for name, d := range fileDeps[dir] {
			entries[name] = subchartLocation{dir: d}
		}
	}
	for _, sub := range ch.Dependencies() {
		name := sub.Name()
		if ch.Metadata != nil {
			for _, d := range ch.Metadata.Dependencies {
				if d.Alias == sub.Name() {
					name = d.Name
				}
			}
		}
		subDir, subArchive := "", archive
		if loc, ok := entries[name]; ok {
			subDir, subArchive = loc.dir, loc.archive
		}
		out = append(out, chartTree(sub, subDir, subArchive, append(slices.Clone(key), sub.Name()), fileDeps)...)
	}
	return out
}

type subchartLocation struct{ dir, archive string }

// scanCharts maps the chart names found in a charts/ folder to their
// directory or archive.
func scanCharts(dir string) map[string]subchartLocation {
	out := map[string]subchartLocation{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if md, err := chartutil.LoadChartfile(filepath.Join(p, "Chart.yaml")); err == nil {
				out[md.Name] = subchartLocation{dir: p}
			}
			continue
		}
		if strings.HasSuffix(e.Name(), ".tgz") {
			if c, err := chartloader.Load(p); err == nil && c.Metadata != nil {
				out[c.Name()] = subchartLocation{archive: p}
			}
		}
	}
	return out
}

func collectTemplates(ch *chart.Chart, into map[string]string) {
	for _, t := range ch.Templates {
		into[path.Join(ch.ChartFullPath(), t.Name)] = string(t.Data)
	}
	for _, sub := range ch.Dependencies() {
		collectTemplates(sub, into)
	}
}

// renderSet renders a chart with its values. When a template fails, Helm
// renders nothing at all; the failing template (the first position in
// Helm's error) is recorded and emptied (not removed: other templates may
// include it), and the rest is rendered again.
func renderSet(ch *chart.Chart, top common.Values, set render.ValuesSet) render.HelmSetResult {
	out := render.HelmSetResult{Set: set}
	for {
		files, err := helmengine.Engine{}.Render(ch, top)
		if err == nil {
			for name, content := range files {
				if strings.HasSuffix(name, "NOTES.txt") || strings.TrimSpace(content) == "" {
					continue
				}
				out.Manifests = append(out.Manifests, render.Manifest{Template: name, Content: content})
			}
			slices.SortFunc(out.Manifests, func(a, b render.Manifest) int { return strings.Compare(a.Template, b.Template) })
			return out
		}
		te := parseRenderError(err)
		out.Errors = append(out.Errors, te)
		if te.Template == "" || strings.HasPrefix(path.Base(te.Template), "_") || !emptyTemplate(ch, te.Template) {
			// The error is in a partial, or names no template: every
			// template fails alike.
			return out
		}
	}
}

var helmErrLocation = regexp.MustCompile(`([^\s():<>"]*/templates/[^\s():<>"]+):(\d+)(?::(\d+))?`)

// parseRenderError reads the first template position out of a Helm render
// error ("execution error at (demo/templates/x.yaml:12:5): ...",
// "parse error at (demo/templates/x.yaml:3): ...").
func parseRenderError(err error) render.TemplateError {
	// Helm's traces span lines: one line is enough.
	msg := strings.Join(strings.Fields(err.Error()), " ")
	te := render.TemplateError{Message: msg}
	if m := helmErrLocation.FindStringSubmatchIndex(msg); m != nil {
		te.Template = msg[m[2]:m[3]]
		te.Line, _ = strconv.Atoi(msg[m[4]:m[5]])
		if m[6] >= 0 {
			te.Col, _ = strconv.Atoi(msg[m[6]:m[7]])
		}
	}
	return te
}

// emptyTemplate empties a template, named as Helm names it, in the chart
// tree; false when there is no such template or it is already empty.
func emptyTemplate(ch *chart.Chart, name string) bool {
	prefix := ch.ChartFullPath() + "/"
	if rest, ok := strings.CutPrefix(name, prefix); ok {
		for i, f := range ch.Templates {
			if f.Name == rest && len(f.Data) > 0 {
				empty := *f
				empty.Data = nil
				ch.Templates[i] = &empty
				return true
			}
		}
	}
	for _, sub := range ch.Dependencies() {
		if emptyTemplate(sub, name) {
			return true
		}
	}
	return false
}
