// Command dapilint lints Kubernetes Downward API usage offline.
package main

import (
	"os"

	"github.com/dapilint/dapilint/internal/cli"
)

func main() {
	cli.TuneGC(os.Getenv)
	os.Exit(cli.NewCommand().Main(os.Args))
}
