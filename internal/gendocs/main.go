// Command gendocs writes docs/rules.md from the rules' metadata. Run it
// with go generate ./... (or make docs).
package main

//go:generate go run . -o ../../docs/rules.md

import (
	"flag"
	"fmt"
	"os"

	"github.com/dapilint/dapilint/internal/ruledoc"
	"github.com/dapilint/dapilint/rules"
)

func main() {
	out := flag.String("o", "docs/rules.md", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, ruledoc.Markdown(rules.All), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
