package cli

import (
	"os"
	"runtime/debug"

	"github.com/dapilint/dapilint/lint"
)

// The Go runtime's collector is tuned for the process, in main (see
// TuneGC): dapilint's live heap is small (the files being linted and one
// document's tree each), so the default GOGC=100 collects hundreds of
// times in a run of a few seconds for little gain. GOGC=400 collects a
// fifth as often; a soft memory limit keeps the heap, and so peak RSS,
// within a few tens of MiB all the same, raised for a large input file,
// which must be in memory whole while it is linted. The environment's
// GOGC and GOMEMLIMIT, when set, win.

// gcPercent is the GOGC dapilint runs with when the environment sets none.
const gcPercent = 400

// baseMemoryLimit is the soft memory limit for inputs of ordinary size.
const baseMemoryLimit = 40 << 20

// TuneGC sets the collector's pace for a dapilint process; main calls it.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// limitMemory sets the soft memory limit for a run over inputs: room for
// the largest file (its text, its line table and its findings) on top of
// the base.
func limitMemory(getenv func(string) string, inputs []lint.Input) {
	if getenv("GOMEMLIMIT") != "" {
		return
	}
	largest := int64(0)
	for _, in := range inputs {
		size := int64(len(in.Data))
		if in.Data == nil && in.Path != "" && in.Produce == nil {
			if fi, err := os.Stat(in.Path); err == nil {
				size = fi.Size()
			}
		}
		largest = max(largest, size)
	}
	debug.SetMemoryLimit(baseMemoryLimit + 2*largest)
}
