// Package render describes how dapilint gets Helm charts and Kustomize
// kustomizations rendered: the requests, the results, and the Renderer that
// produces them.
//
// Rendering needs Helm's and Kustomize's Go libraries, whose package
// initialisation (client-go's scheme, the Kubernetes API types, OpenAPI
// models) would more than double dapilint's start-up time on every run. So
// the dapilint binary does not link them: it runs the dapilint-render
// binary (cmd/dapilint-render, package render/engine) as a subprocess, only
// when there is a chart or a kustomization to render, and talks to it in
// JSON (see Exec). Tests link render/engine directly.
package render

import (
	"os"
	"path/filepath"
)

// ProtocolVersion changes whenever the JSON exchanged with dapilint-render
// changes; both binaries must agree on it.
const ProtocolVersion = 1

// Renderer renders charts and kustomizations. Both methods return an error
// only when the input cannot be rendered at all (a chart that does not
// load, a missing dependency, a remote base); a template that fails to
// render is reported in the result, with its position.
type Renderer interface {
	Helm(HelmRequest) (*HelmResult, error)
	Kustomize(KustomizeRequest) (*KustomizeResult, error)
}

// HelmRequest asks for a chart to be rendered once per values set.
type HelmRequest struct {
	// Dir is the chart's directory.
	Dir         string
	ReleaseName string
	Namespace   string
	// KubeVersion is the Kubernetes version .Capabilities reports.
	KubeVersion string
	Sets        []ValuesSet
}

// ValuesSet is one way of rendering a chart: the chart's values.yaml, then
// Files in order, then Set (helm's --values and --set).
type ValuesSet struct {
	// Name says which set this is in findings: "values.yaml",
	// "ci/small-values.yaml", "--values prod.yaml".
	Name  string
	Files []string
	Set   []string
}

// HelmResult is a rendered chart.
type HelmResult struct {
	// Charts are the chart and its subcharts (in any of the sets), root
	// first.
	Charts []ChartInfo
	// Templates are the sources of every template, partials included, by
	// Helm's name for them ("demo/templates/deployment.yaml",
	// "demo/charts/db/templates/_helpers.tpl").
	Templates map[string]string
	Sets      []HelmSetResult
}

// ChartInfo is a chart of the tree and where it lives.
type ChartInfo struct {
	// Path is the chart's name as its template names start:
	// "demo", "demo/charts/db".
	Path string
	// Dir is the chart's directory on disk; "" when the chart came from an
	// archive.
	Dir string
	// Archive is the .tgz file the chart was read from, if so.
	Archive string
	// ValuesKey is where the chart's values sit in the root chart's values
	// (nil for the root, ["db"] for subchart db).
	ValuesKey []string
}

// HelmSetResult is the chart rendered with one values set.
type HelmSetResult struct {
	Set ValuesSet
	// Manifests are the rendered templates, by template name, in name
	// order; partials, NOTES.txt and templates that render to nothing but
	// blanks are left out.
	Manifests []Manifest
	// Errors are the templates that failed to render.
	Errors []TemplateError
}

// Manifest is one template's output.
type Manifest struct {
	Template string
	Content  string
}

// TemplateError is a template that failed to render, at the position Helm
// reports (Line and Col are 0 when it reports none).
type TemplateError struct {
	Template string
	Line     int
	Col      int
	Message  string
}

// KustomizeRequest asks for a kustomization to be built.
type KustomizeRequest struct {
	// Dir is the kustomization's directory.
	Dir string
}

// KustomizationFiles are the names kustomize looks for in a directory, in
// its order.
var KustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// FindKustomization returns the kustomization file in dir, or "".
func FindKustomization(dir string) string {
	for _, name := range KustomizationFiles {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// KustomizeResult is a built kustomization.
type KustomizeResult struct {
	Resources []Resource
}

// Resource is one object of the build output, with where it came from.
type Resource struct {
	// YAML is the object as kustomize build prints it, without the origin
	// annotation.
	YAML string
	// Origin is the file the object was read from, relative to the
	// kustomization's directory (kustomize's config.kubernetes.io/origin
	// annotation); "" for generated objects.
	Origin string
	// ConfiguredIn is the kustomization that generated the object, for
	// generated objects.
	ConfiguredIn string
}
