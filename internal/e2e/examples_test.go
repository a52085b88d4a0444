package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// exampleWants are the findings examples/README.md promises, independently
// of the golden output's exact wording: a finding of a rule in the ID range
// (DA0, DA1, DA2) within two lines of the first line (not a comment) containing anchor.
// Ranges with no registered rule yet are only logged.
var exampleWants = map[string][]struct{ anchor, idRange string }{
	"web-deployment.yaml": {
		{"fieldPath: matadata.labels", "DA1"},
		{"path: memory_limit", "DA1"}, // resourceFieldRef without containerName
		{"divisor: 1Ki", "DA1"},
	},
	"daemonset-node-info.yaml": {
		{"memory: 100ki", "DA0"},
		{"fieldPath: metadata.namespace", "DA2"},                           // POD_IP from the namespace
		{"fieldPath: metadata.labels['app.kubernetes.io/version']", "DA2"}, // label through env
	},
	"cronjob-report.yaml": {
		{"subPath: recipients", "DA2"},
		{"resource: limits.memory", "DA2"}, // no memory limit: node allocatable
	},
	"debug-pod.yaml": {
		{"volumes:", "DA0"},
	},
	"pod-list.json": {
		{`{"path": "ip"`, "DA1"}, // status.podIP in a volume
	},
	"statefulset-ok.yaml": nil,
	"not-kubernetes.yaml": nil,
}

// TestExamples checks every example: the clean ones have no findings with
// every rule enabled, the broken ones have the findings they are there for.
func TestExamples(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "examples")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := lint.Config{Rules: rules.All}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".json") {
			continue
		}
		seen[name] = true
		wants, ok := exampleWants[name]
		if !ok {
			t.Errorf("%s: not in exampleWants (and examples/README.md)", name)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		findings := lint.Bytes(name, data, cfg)
		if wants == nil {
			for _, f := range findings {
				t.Errorf("%s:%d:%d: clean example has a finding: %s [%s]", name, f.Range.Start.Line, f.Range.Start.Col, f.Message, f.Rule.ID)
			}
			continue
		}
		lines := strings.Split(string(data), "\n")
		for _, w := range wants {
			at := 0
			for i, l := range lines {
				if strings.Contains(l, w.anchor) && !strings.HasPrefix(strings.TrimSpace(l), "#") {
					at = i + 1
					break
				}
			}
			if at == 0 {
				t.Errorf("%s: anchor %q not found", name, w.anchor)
				continue
			}
			if len(rules.Match(w.idRange+"*")) == 0 {
				t.Logf("%s:%d: no %sxx rules registered yet; not checked", name, at, w.idRange)
				continue
			}
			found := false
			for _, f := range findings {
				if strings.HasPrefix(f.Rule.ID, w.idRange) && f.Range.Start.Line >= at-2 && f.Range.Start.Line <= at+2 {
					found = true
				}
			}
			if !found {
				t.Errorf("%s:%d: no %sxx finding near %q; findings:\n%s", name, at, w.idRange, w.anchor, describe(findings))
			}
		}
	}
	for name := range exampleWants {
		if !seen[name] {
			t.Errorf("%s: listed in exampleWants but missing from examples/", name)
		}
	}
}

func describe(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d:%d: %s [%s]\n", f.File, f.Range.Start.Line, f.Range.Start.Col, f.Message, f.Rule.ID)
	}
	return b.String()
}
