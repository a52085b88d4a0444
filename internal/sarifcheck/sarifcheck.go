// Package sarifcheck checks SARIF logs in tests: Check asserts in Go what
// Microsoft's validator misses (it passes bad enum values and wrong types
// silently), and Validate runs the validator itself with GitHub's
// ingestion rules.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Enums of SARIF 2.1.0 that dapilint writes.
var (
	levels      = []string{"none", "note", "warning", "error"}
	columnKinds = []string{"utf16CodeUnits", "unicodeCodePoints"}
	// baselineStates are SARIF 2.1.0's result.baselineState values (§3.27.24).
	baselineStates = []string{"new", "unchanged", "updated", "absent"}
)

// Check decodes a SARIF log generically and reports (with t.Errorf) every
// enum value outside SARIF's, every property of the wrong JSON type, and
// every inconsistency GitHub code scanning would trip on. It returns the
// decoded log.
func Check(t testing.TB, data []byte) map[string]any {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	c := &checker{t: t}
	c.str(log, "$schema", "log")
	if v := c.str(log, "version", "log"); v != "2.1.0" {
		c.errorf("log.version = %q, want 2.1.0", v)
	}
	runs := c.arr(log, "runs", "log")
	if len(runs) != 1 {
		c.errorf("log has %d runs, want 1", len(runs))
	}
	for i, run := range runs {
		c.run(c.obj(run, fmt.Sprintf("runs[%d]", i)), fmt.Sprintf("runs[%d]", i))
	}
	return log
}

type checker struct {
	t testing.TB
}

func (c *checker) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("SARIF: "+format, args...)
}

func (c *checker) obj(v any, where string) map[string]any {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.errorf("%s is %T, want an object", where, v)
	}
	return m
}

func (c *checker) get(m map[string]any, key, where string) (any, bool) {
	v, ok := m[key]
	if !ok {
		c.errorf("%s.%s is missing", where, key)
	}
	return v, ok
}

func (c *checker) str(m map[string]any, key, where string) string {
	c.t.Helper()
	v, ok := c.get(m, key, where)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		c.errorf("%s.%s is %T, want a string", where, key, v)
	}
	return s
}

func (c *checker) optStr(m map[string]any, key, where string) (string, bool) {
	c.t.Helper()
	if _, ok := m[key]; !ok {
		return "", false
	}
	return c.str(m, key, where), true
}

func (c *checker) text(m map[string]any, key, where string) {
	c.t.Helper()
	msg := c.obj(m[key], where+"."+key)
	if c.str(msg, "text", where+"."+key) == "" {
		c.errorf("%s.%s.text is empty", where, key)
	}
}

func (c *checker) arr(m map[string]any, key, where string) []any {
	c.t.Helper()
	v, ok := c.get(m, key, where)
	if !ok {
		return nil
	}
	a, isArr := v.([]any)
	if !isArr {
		c.errorf("%s.%s is %T, want an array", where, key, v)
	}
	return a
}

// integer checks a non-negative integer property (min is its minimum).
func (c *checker) integer(m map[string]any, key, where string, min int) int {
	c.t.Helper()
	v, ok := c.get(m, key, where)
	if !ok {
		return 0
	}
	f, isNum := v.(float64)
	if !isNum || f != float64(int(f)) {
		c.errorf("%s.%s = %v (%T), want an integer", where, key, v, v)
		return 0
	}
	if int(f) < min {
		c.errorf("%s.%s = %d, want >= %d", where, key, int(f), min)
	}
	return int(f)
}

func (c *checker) boolean(m map[string]any, key, where string) {
	c.t.Helper()
	if v, ok := m[key]; ok {
		if _, isBool := v.(bool); !isBool {
			c.errorf("%s.%s is %T, want a boolean", where, key, v)
		}
	}
}

func (c *checker) enum(value string, allowed []string, where string) {
	c.t.Helper()
	if !slices.Contains(allowed, value) {
		c.errorf("%s = %q, want one of %v", where, value, allowed)
	}
}

func (c *checker) run(run map[string]any, where string) {
	c.t.Helper()
	c.enum(c.str(run, "columnKind", where), columnKinds, where+".columnKind")
	driver := c.obj(c.obj(run["tool"], where+".tool")["driver"], where+".tool.driver")
	dw := where + ".tool.driver"
	if c.str(driver, "name", dw) != "dapilint" {
		c.errorf("%s.name is not dapilint", dw)
	}
	c.str(driver, "version", dw)
	if u := c.str(driver, "informationUri", dw); !strings.HasPrefix(u, "https://") {
		c.errorf("%s.informationUri = %q", dw, u)
	}
	bases := map[string]bool{}
	if v, ok := run["originalUriBaseIds"]; ok {
		for id, base := range c.obj(v, where+".originalUriBaseIds") {
			bw := where + ".originalUriBaseIds." + id
			u := c.str(c.obj(base, bw), "uri", bw)
			pu, err := url.Parse(u)
			if err != nil || !pu.IsAbs() || !strings.HasSuffix(u, "/") {
				c.errorf("%s.uri = %q, want an absolute URI ending in /", bw, u)
			}
			bases[id] = true
		}
	}
	var ruleIDs []string
	for i, r := range c.arr(driver, "rules", dw) {
		rw := fmt.Sprintf("%s.rules[%d]", dw, i)
		rule := c.obj(r, rw)
		id := c.str(rule, "id", rw)
		if slices.Contains(ruleIDs, id) {
			c.errorf("%s: duplicate rule id %q", rw, id)
		}
		ruleIDs = append(ruleIDs, id)
		c.str(rule, "name", rw)
		c.text(rule, "shortDescription", rw)
		c.text(rule, "fullDescription", rw)
		c.text(rule, "help", rw)
		if u := c.str(rule, "helpUri", rw); !strings.HasPrefix(u, "https://") {
			c.errorf("%s.helpUri = %q", rw, u)
		}
		cfg := c.obj(rule["defaultConfiguration"], rw+".defaultConfiguration")
		c.enum(c.str(cfg, "level", rw+".defaultConfiguration"), levels, rw+".defaultConfiguration.level")
		c.boolean(cfg, "enabled", rw+".defaultConfiguration")
		if p, ok := rule["properties"]; ok {
			props := c.obj(p, rw+".properties")
			if tags, ok := props["tags"]; ok {
				for _, tag := range tags.([]any) {
					if _, isStr := tag.(string); !isStr {
						c.errorf("%s.properties.tags has a %T", rw, tag)
					}
				}
			}
			if p, ok := c.optStr(props, "precision", rw+".properties"); ok {
				c.enum(p, []string{"very-high", "high", "medium", "low"}, rw+".properties.precision")
			}
		}
	}
	invs := c.arr(run, "invocations", where)
	for i, inv := range invs {
		iw := fmt.Sprintf("%s.invocations[%d]", where, i)
		im := c.obj(inv, iw)
		if _, ok := im["executionSuccessful"].(bool); !ok {
			c.errorf("%s.executionSuccessful is missing or not a boolean", iw)
		}
		if v, ok := im["ruleConfigurationOverrides"]; ok {
			for j, o := range v.([]any) {
				ow := fmt.Sprintf("%s.ruleConfigurationOverrides[%d]", iw, j)
				om := c.obj(o, ow)
				d := c.obj(om["descriptor"], ow+".descriptor")
				idx := c.integer(d, "index", ow+".descriptor", 0)
				if id := c.str(d, "id", ow+".descriptor"); idx >= len(ruleIDs) || ruleIDs[idx] != id {
					c.errorf("%s.descriptor: index %d does not name rule %q", ow, idx, id)
				}
				cfg := c.obj(om["configuration"], ow+".configuration")
				if l, ok := c.optStr(cfg, "level", ow+".configuration"); ok {
					c.enum(l, levels, ow+".configuration.level")
				}
				c.boolean(cfg, "enabled", ow+".configuration")
			}
		}
		if v, ok := im["toolExecutionNotifications"]; ok {
			for j, n := range v.([]any) {
				nw := fmt.Sprintf("%s.toolExecutionNotifications[%d]", iw, j)
				nm := c.obj(n, nw)
				c.enum(c.str(nm, "level", nw), levels, nw+".level")
				c.text(nm, "message", nw)
			}
		}
	}
	for i, r := range c.arr(run, "results", where) {
		rw := fmt.Sprintf("%s.results[%d]", where, i)
		res := c.obj(r, rw)
		id := c.str(res, "ruleId", rw)
		idx := c.integer(res, "ruleIndex", rw, 0)
		if idx >= len(ruleIDs) || ruleIDs[idx] != id {
			c.errorf("%s: ruleIndex %d does not name rule %q", rw, idx, id)
		}
		c.enum(c.str(res, "level", rw), levels, rw+".level")
		if state, ok := c.optStr(res, "baselineState", rw); ok {
			c.enum(state, baselineStates, rw+".baselineState")
		}
		c.text(res, "message", rw)
		locs := c.arr(res, "locations", rw)
		if len(locs) == 0 {
			c.errorf("%s has no locations", rw)
		}
		for j, l := range locs {
			lw := fmt.Sprintf("%s.locations[%d].physicalLocation", rw, j)
			phys := c.obj(c.obj(l, lw)["physicalLocation"], lw)
			c.artifact(phys["artifactLocation"], lw+".artifactLocation", bases)
			region := c.region(phys["region"], lw+".region")
			if ctx, ok := phys["contextRegion"]; ok {
				cr := c.region(ctx, lw+".contextRegion")
				if cr.charOffset > region.charOffset || cr.charOffset+cr.charLength < region.charOffset+region.charLength || cr == region {
					c.errorf("%s.contextRegion is not a proper superset of the region", lw)
				}
			}
		}
		fps := c.obj(res["partialFingerprints"], rw+".partialFingerprints")
		if len(fps) == 0 {
			c.errorf("%s has no partialFingerprints", rw)
		}
		for k, v := range fps {
			if _, ok := v.(string); !ok {
				c.errorf("%s.partialFingerprints.%s is %T, want a string", rw, k, v)
			}
		}
		if v, ok := res["fixes"]; ok {
			for j, f := range v.([]any) {
				fw := fmt.Sprintf("%s.fixes[%d]", rw, j)
				fm := c.obj(f, fw)
				c.text(fm, "description", fw)
				changes := c.arr(fm, "artifactChanges", fw)
				if len(changes) == 0 {
					c.errorf("%s has no artifactChanges", fw)
				}
				for k, ch := range changes {
					cw := fmt.Sprintf("%s.artifactChanges[%d]", fw, k)
					cm := c.obj(ch, cw)
					c.artifact(cm["artifactLocation"], cw+".artifactLocation", bases)
					reps := c.arr(cm, "replacements", cw)
					if len(reps) == 0 {
						c.errorf("%s has no replacements", cw)
					}
					for n, rep := range reps {
						pw := fmt.Sprintf("%s.replacements[%d]", cw, n)
						rm := c.obj(rep, pw)
						c.region(rm["deletedRegion"], pw+".deletedRegion")
						ins := c.obj(rm["insertedContent"], pw+".insertedContent")
						c.str(ins, "text", pw+".insertedContent")
					}
				}
			}
		}
	}
}

func (c *checker) artifact(v any, where string, bases map[string]bool) {
	c.t.Helper()
	a := c.obj(v, where)
	u := c.str(a, "uri", where)
	if strings.Contains(u, `\`) {
		c.errorf("%s.uri = %q has a backslash", where, u)
	}
	pu, err := url.Parse(u)
	if err != nil {
		c.errorf("%s.uri = %q: %v", where, u, err)
		return
	}
	for _, r := range u {
		if r > 0x7e || r <= ' ' {
			c.errorf("%s.uri = %q has a character that must be percent-encoded", where, u)
			break
		}
	}
	if base, ok := c.optStr(a, "uriBaseId", where); ok {
		if pu.IsAbs() || strings.HasPrefix(u, "/") {
			c.errorf("%s: uri %q must be relative with uriBaseId", where, u)
		}
		if len(bases) > 0 && !bases[base] {
			c.errorf("%s.uriBaseId %q is not in originalUriBaseIds", where, base)
		}
	} else if !pu.IsAbs() || pu.Scheme != "file" {
		c.errorf("%s.uri = %q is neither relative to a uriBaseId nor a file: URI", where, u)
	}
}

type region struct {
	startLine, startColumn, endLine, endColumn, charOffset, charLength int
}

func (c *checker) region(v any, where string) region {
	c.t.Helper()
	m := c.obj(v, where)
	r := region{
		startLine:   c.integer(m, "startLine", where, 1),
		startColumn: c.integer(m, "startColumn", where, 1),
		endLine:     c.integer(m, "endLine", where, 1),
		endColumn:   c.integer(m, "endColumn", where, 1),
		charOffset:  c.integer(m, "charOffset", where, 0),
		charLength:  c.integer(m, "charLength", where, 0),
	}
	if r.endLine < r.startLine || (r.endLine == r.startLine && r.endColumn < r.startColumn) {
		c.errorf("%s ends before it starts: %+v", where, r)
	}
	if r.endLine == r.startLine && r.charLength != r.endColumn-r.startColumn {
		c.errorf("%s: charLength %d disagrees with columns %d-%d", where, r.charLength, r.startColumn, r.endColumn)
	}
	if s, ok := m["snippet"]; ok {
		c.str(c.obj(s, where+".snippet"), "text", where+".snippet")
	}
	return r
}

// Validator returns the validator's path from $SARIF_MULTITOOL; without
// it the test is skipped, or fails when DAPILINT_REQUIRE_TOOLS=1 (CI).
func Validator(t testing.TB) string {
	t.Helper()
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
			t.Fatal("SARIF_MULTITOOL is not set (DAPILINT_REQUIRE_TOOLS=1); run scripts/ci/install-tools.sh")
		}
		t.Skip("SARIF_MULTITOOL is not set; eval \"$(bash scripts/ci/install-tools.sh)\" to run the SARIF validator")
	}
	return tool
}

// Counts are the validator's results by level.
type Counts struct {
	Errors, Warnings, Notes int
	// Messages are the errors' and warnings' texts, for the failure
	// message; Notes the notes'.
	Messages, NoteMessages []string
}

// ValidateFiles runs Microsoft's SARIF validator once over the logs at
// paths, with the SARIF and GitHub rule sets and every level:
//
//	Sarif.Multitool validate LOG... --rule-kind "Sarif;Gh" --level "Error;Warning;Note" -o OUT --log ForceOverwrite --quiet true
//
// and returns what it found. (Its exit status is 0 even when it finds
// errors, so its output log is read instead.)
func ValidateFiles(t testing.TB, tool string, paths []string) Counts {
	t.Helper()
	out := filepath.Join(t.TempDir(), "validation.sarif")
	args := append([]string{"validate"}, paths...)
	args = append(args, "--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note",
		"-o", out, "--log", "ForceOverwrite", "--quiet", "true")
	cmd := exec.Command(tool, args...)
	cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1")
	if os.Getenv("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT") == "" && !hasICU() {
		// The validator aborts without libicu unless told not to use it.
		cmd.Env = append(cmd.Env, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	}
	combined, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s validate: %v\n%s", tool, err, combined)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("validator wrote no log: %v\n%s", err, combined)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID             string `json:"id"`
						MessageStrings map[string]struct {
							Text string `json:"text"`
						} `json:"messageStrings"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text      string   `json:"text"`
					ID        string   `json:"id"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("validator log: %v", err)
	}
	var c Counts
	for _, run := range log.Runs {
		for _, r := range run.Results {
			level := r.Level
			if level == "" {
				level = "warning"
			}
			text := r.Message.Text
			if text == "" && r.RuleIndex != nil && *r.RuleIndex < len(run.Tool.Driver.Rules) {
				text = run.Tool.Driver.Rules[*r.RuleIndex].MessageStrings[r.Message.ID].Text
				for i, a := range r.Message.Arguments {
					text = strings.ReplaceAll(text, fmt.Sprintf("{%d}", i), a)
				}
			}
			file := ""
			if len(r.Locations) > 0 {
				file = r.Locations[0].PhysicalLocation.ArtifactLocation.URI + ": "
			}
			msg := fmt.Sprintf("%s%s %s: %s", file, level, r.RuleID, text)
			switch level {
			case "error":
				c.Errors++
				c.Messages = append(c.Messages, msg)
			case "warning":
				c.Warnings++
				c.Messages = append(c.Messages, msg)
			case "note":
				c.Notes++
				c.NoteMessages = append(c.NoteMessages, msg)
			}
		}
	}
	return c
}

func hasICU() bool {
	for _, dir := range []string{"/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "libicuuc.so*")); len(m) > 0 {
			return true
		}
	}
	return false
}
