package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/cli"
	"github.com/dapilint/dapilint/rules"
)

func TestRulesCommand(t *testing.T) {
	r := run(t, nil, false, "rules")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ID ") {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, rule := range rules.All {
		if !strings.Contains(r.stdout, rule.ID+"  "+rule.Name+" ") {
			t.Errorf("rules does not list %s", rule.ID)
		}
	}
	r = run(t, nil, false, "rules", "--format", "json")
	var infos []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &infos); err != nil || len(infos) != len(rules.All) {
		t.Fatalf("rules --format json: %v (%d rules)", err, len(infos))
	}
	for _, k := range []string{"id", "name", "title", "severity", "default", "fixable", "helpUri"} {
		if _, ok := infos[0][k]; !ok {
			t.Errorf("rules --format json lacks %q", k)
		}
	}
	if r := run(t, nil, false, "rules", "--format", "xml"); r.code != cli.ExitError {
		t.Errorf("rules --format xml: exit %d", r.code)
	}
}

func TestExplainCommand(t *testing.T) {
	rule := rules.All[1]
	for _, arg := range []string{rule.ID, strings.ToLower(rule.ID), rule.Name} {
		r := run(t, nil, false, "explain", arg)
		if r.code != 0 || !strings.HasPrefix(r.stdout, rule.ID+" "+rule.Name+": "+rule.Title+"\n") {
			t.Errorf("explain %s: exit %d\n%s%s", arg, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "$ dapilint lint") || !strings.Contains(r.stdout, "["+rule.ID+"]") {
			t.Errorf("explain %s lacks the example's output:\n%s", arg, r.stdout)
		}
	}
	r := run(t, nil, false, "explain", rule.Name+"x")
	if r.code != cli.ExitError || !strings.Contains(r.stderr, "did you mean "+rule.Name) {
		t.Errorf("explain typo: exit %d, %s", r.code, r.stderr)
	}
	if r := run(t, nil, false, "explain"); r.code != cli.ExitError {
		t.Errorf("explain without a rule: exit %d", r.code)
	}
}
