package lint

import (
	"bytes"
	"regexp"
	"sync"

	"github.com/dapilint/dapilint/loader"
)

// SkipTemplate is the reason a file that looks like a template is not
// linted.
const SkipTemplate = "template outside a chart"

// helmObjects are actions that read Helm's built-in objects: no manifest
// applied as written has them.
var helmObjects = lazyRegexp(`\{\{-?\s*[^}]*\.(Values|Release|Chart|Capabilities|Files|Template)\b`)

// actionLine is a line that holds nothing but a Go template action (an
// if, range, end, include, …) or a mapping value that is an unquoted
// action: not YAML that means anything until rendered.
var actionLine = lazyRegexp(`(?m)^\s*(-\s+)?\{\{-?\s.*\}\}\s*$|:\s+\{\{[^}]*\}\}\s*$`)

// LooksLikeTemplate reports whether a file is a Go template (a Helm
// template outside a chart, or one named on its own) rather than a
// manifest: it uses Helm's objects, or it has action lines and does not
// parse. Manifests that merely carry template text in strings (Argo
// Workflows' {{inputs.parameters.x}}, Prometheus' {{ $labels.pod }}) parse,
// and are linted.
func LooksLikeTemplate(data []byte, f *loader.File) bool {
	if !bytes.Contains(data, []byte("{{")) {
		return false
	}
	if helmObjects().Match(data) {
		return true
	}
	if !actionLine().Match(data) {
		return false
	}
	for _, p := range f.Problems {
		if p.Kind == loader.SyntaxError {
			return true
		}
	}
	return false
}

// lazyRegexp compiles a regular expression on first use, keeping it out
// of start-up.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
