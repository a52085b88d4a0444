// Package engine renders Helm charts and Kustomize kustomizations with
// Helm's and Kustomize's own Go libraries, offline: client-only, no
// cluster, no network, no registry. It is linked into dapilint-render (and
// tests) only; see package render for why.
package engine

import "github.com/dapilint/dapilint/render"

// Engine is the in-process render.Renderer.
type Engine struct{}

var _ render.Renderer = Engine{}

// New returns the in-process renderer.
func New() render.Renderer { return Engine{} }
