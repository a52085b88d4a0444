package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestReorderArgs: a command's flags move in front of its arguments, with
// their values; "--" and "-" stay arguments; other commands and the app's
// own flags are left alone.
func TestReorderArgs(t *testing.T) {
	c := NewCommand()
	for in, want := range map[string]string{
		"dapilint lint deploy/ --format json":               "dapilint lint --format json deploy/",
		"dapilint lint a.yaml -f json b.yaml -o sarif=x -q": "dapilint lint -f json -o sarif=x -q a.yaml b.yaml",
		"dapilint lint a.yaml --format=json":                "dapilint lint --format=json a.yaml",
		"dapilint lint - --stdin-filename x.yaml":           "dapilint lint --stdin-filename x.yaml -",
		"dapilint lint a.yaml -- -b.yaml --format":          "dapilint lint -- a.yaml -b.yaml --format",
		"dapilint lint a.yaml --no-ignore b.yaml":           "dapilint lint --no-ignore a.yaml b.yaml",
		"dapilint lint a.yaml --bogus b.yaml":               "dapilint lint --bogus a.yaml b.yaml",
		"dapilint --version":                                "dapilint --version",
		"dapilint explain DA101 --help":                     "dapilint explain --help DA101",
		"dapilint bogus a --format json":                    "dapilint bogus a --format json",
	} {
		app := c.app()
		if got := strings.Join(reorderArgs(app, strings.Fields(in)), " "); got != want {
			t.Errorf("%s\n got %s\nwant %s", in, got, want)
		}
	}
	if got := reorderArgs(c.app(), []string{"dapilint"}); !slices.Equal(got, []string{"dapilint"}) {
		t.Errorf("no arguments: %v", got)
	}
}
