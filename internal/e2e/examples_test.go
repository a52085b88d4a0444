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
// of the golden output's exact wording: a finding of rule (an ID such as
// DA106, or an ID range such as DA2) within two lines of the first line (not
// a comment) containing anchor. A rule or range not registered yet is only
// logged; so is a miss of a want marked pending (no rule covers it yet).
var exampleWants = map[string][]exampleWant{
	"web-deployment.yaml": {
		{anchor: "fieldPath: matadata.labels", rule: "DA1"},
		{anchor: "path: memory_limit", rule: "DA1"}, // resourceFieldRef without containerName
		{anchor: "divisor: 1Ki", rule: "DA106"},
	},
	"daemonset-node-info.yaml": {
		{anchor: "memory: 100ki", rule: "DA0"},
		{anchor: "fieldPath: metadata.namespace", rule: "DA2"},                           // POD_IP from the namespace
		{anchor: "fieldPath: metadata.labels['app.kubernetes.io/version']", rule: "DA2"}, // label through env
	},
	"cronjob-report.yaml": {
		{anchor: "subPath: recipients", rule: "DA2"},
		{anchor: "resource: limits.memory", rule: "DA2"}, // no memory limit: node allocatable
	},
	"debug-pod.yaml": {
		{anchor: "volumes:", rule: "DA0"},
	},
	"pod-list.json": {
		{anchor: `{"path": "ip"`, rule: "DA1"}, // status.podIP in a volume
	},
	"statefulset-ok.yaml": nil,
	"not-kubernetes.yaml": nil,
}

// knownFalsePositives are findings in the clean examples that are rule
// bugs (the API server accepts the manifest, and nothing goes wrong at
// runtime): they are logged, not failed, until the rule is fixed; then the
// test fails so that the entry is removed.
var knownFalsePositives = map[string]string{}

type exampleWant struct {
	anchor, rule, pending string
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
	seen, seenFP := map[string]bool{}, map[string]bool{}
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
				if why, ok := knownFalsePositives[name+":"+f.Rule.ID]; ok {
					t.Logf("%s:%d:%d: known false positive (%s): %s [%s]", name, f.Range.Start.Line, f.Range.Start.Col, why, f.Message, f.Rule.ID)
					seenFP[name+":"+f.Rule.ID] = true
					continue
				}
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
			if len(rules.Match(w.rule+"*")) == 0 {
				t.Logf("%s:%d: no %s* rule registered yet; not checked", name, at, w.rule)
				continue
			}
			found := false
			for _, f := range findings {
				if strings.HasPrefix(f.Rule.ID, w.rule) && f.Range.Start.Line >= at-2 && f.Range.Start.Line <= at+2 {
					found = true
				}
			}
			switch {
			case !found && w.pending != "":
				t.Logf("%s:%d: no %s* finding near %q: %s", name, at, w.rule, w.anchor, w.pending)
			case !found:
				t.Errorf("%s:%d: no %s* finding near %q; findings:\n%s", name, at, w.rule, w.anchor, describe(findings))
			case w.pending != "":
				t.Errorf("%s:%d: %s* now reports %q: drop pending from its exampleWants entry", name, at, w.rule, w.anchor)
			}
		}
	}
	for name := range exampleWants {
		if !seen[name] {
			t.Errorf("%s: listed in exampleWants but missing from examples/", name)
		}
	}
	for key := range knownFalsePositives {
		if !seenFP[key] {
			t.Errorf("%s: the known false positive is gone; remove it from knownFalsePositives", key)
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
