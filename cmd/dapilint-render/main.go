// Command dapilint-render renders Helm charts and builds Kustomize
// kustomizations for dapilint, which runs it only when it has a chart or a
// kustomization to lint (see package render). It reads one JSON request on
// standard input and writes the JSON answer to standard output.
package main

import (
	"fmt"
	"os"

	"github.com/dapilint/dapilint/render"
	"github.com/dapilint/dapilint/render/engine"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "%s renders charts and kustomizations for dapilint, which runs it; it takes no arguments\n", render.BinaryName)
		os.Exit(2)
	}
	if err := render.Serve(engine.New(), os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", render.BinaryName, err)
		os.Exit(2)
	}
}
