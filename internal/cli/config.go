package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/internal/pathglob"
	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
	yaml "go.yaml.in/yaml/v3"
)

// ConfigFileNames are the configuration files dapilint looks for, in each
// directory from the working directory up to the repository's root.
var ConfigFileNames = []string{".dapilint.yaml", ".dapilint.yml"}

// fileConfig is a configuration file, read and checked. Every key is
// documented in docs/configuration.md and described by
// docs/config.schema.json; a test keeps the three in step.
type fileConfig struct {
	path string // "" when there is no file
	dir  string // the file's directory: paths in the file are relative to it

	Enable    []pattern
	Disable   []pattern
	Severity  []severitySetting
	FailLevel string
	Exclude   pathglob.Set
	Overrides []override
	Baseline  string // absolute, "" for none
	// RespectGitignore is nil when the file does not say.
	RespectGitignore    *bool
	RequireIgnoreReason bool
	// Heuristics are the user's additions to the rules' name lists
	// (rules/heuristics.go).
	Heuristics rules.Settings
	// Workloads are the custom resources checked: the built-in ones and
	// those the file declares.
	Workloads *loader.Workloads
}

// pattern is a rule pattern (ID, name or glob) and where it was written
// ("" for a flag).
type pattern struct {
	text  string
	where string
}

type severitySetting struct {
	pattern
	sev rules.Severity
}

// override is one entry of overrides: rule settings for some files.
type override struct {
	files    pathglob.Set
	enable   []pattern
	disable  []pattern
	severity []severitySetting
}

// configKeys are the top-level keys, and overrideKeys those of an
// override, as the file spells them.
var (
	configKeys   = []string{"enable", "disable", "severity", "fail-level", "exclude", "overrides", "baseline", "respect-gitignore", "require-ignore-reason", "heuristics", "workloads"}
	overrideKeys = []string{"files", "enable", "disable", "severity"}
	// heuristicsKeys are the lists under heuristics.
	heuristicsKeys = []string{"runtime-tuning-env", "injected-keys"}
	// workloadKeys are those of a workloads entry.
	workloadKeys = []string{"apiVersion", "kind", "pod-templates", "pod-specs", "volume-claim-templates"}
	failLevels   = []string{"error", "warning", "info", "none"}
)

// findConfig looks for a configuration file in dir and the directories
// above it, up to the repository's root (the first directory holding
// .git) or the file system's root. It returns "" when there is none.
func findConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		var found []string
		for _, name := range ConfigFileNames {
			p := filepath.Join(dir, name)
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				found = append(found, p)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 2:
			return "", fmt.Errorf("both %s and %s exist; keep one", found[0], filepath.Base(found[1]))
		}
		if isRepoRoot(dir) {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// isRepoRoot reports whether dir holds .git (a directory, or a file in a
// worktree or submodule).
func isRepoRoot(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil
}

// repoRoot is the repository root above dir, or "".
func repoRootOf(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if isRepoRoot(dir) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadConfig reads the configuration: the file given (relative to the
// working directory), or the one found from the working directory up.
func (c *Command) loadConfig(explicit string) (*fileConfig, error) {
	path := explicit
	if path != "" {
		path = c.resolve(path)
	} else {
		wd := c.Dir
		if wd == "" {
			wd = "."
		}
		found, err := findConfig(wd)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return &fileConfig{}, nil
		}
		path = found
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot read config %s: no such file", explicit)
		}
		return nil, fmt.Errorf("cannot read config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	// Messages name the file as the user would: as given, or relative to
	// the working directory when found.
	shown := explicit
	if shown == "" {
		shown = c.displayPath(abs)
	}
	return parseConfig(shown, filepath.Dir(abs), data)
}

// displayPath is abs relative to the working directory when that is
// shorter, for messages.
func (c *Command) displayPath(abs string) string {
	wd := c.Dir
	if wd == "" || !filepath.IsAbs(wd) {
		w, err := filepath.Abs(c.resolve("."))
		if err != nil {
			return abs
		}
		wd = w
	}
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return rel
	}
	return abs
}

// configErrors are the mistakes found in a configuration file, each as
// FILE:LINE:COL: message.
type configErrors []string

func (e configErrors) Error() string { return strings.Join(e, "\ndapilint: ") }

type configParser struct {
	file string
	errs configErrors
}

func (p *configParser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf("%s:%d:%d: %s", p.file, n.Line, n.Column, fmt.Sprintf(format, args...)))
}

// parseConfig reads a configuration file's contents; name is how messages
// call the file and dir is its directory.
func parseConfig(name, dir string, data []byte) (*fileConfig, error) {
	cfg := &fileConfig{path: name, dir: dir}
	p := &configParser{file: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := loader.SplitYAMLError(err)
		return nil, configErrors{fmt.Sprintf("%s:%d:1: not valid YAML: %s", name, max(line, 1), msg)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "the configuration must be a mapping of keys (enable:, disable:, …), not %s", kindName(root))
		return nil, p.errs
	}
	for _, kv := range p.entries(root, configKeys, "key") {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "enable":
			cfg.Enable = p.patterns(v, "enable")
		case "disable":
			cfg.Disable = p.patterns(v, "disable")
		case "severity":
			cfg.Severity = p.severities(v)
		case "fail-level":
			if s, ok := p.scalar(v, "fail-level", "one of error, warning, info or none"); ok {
				if !slices.Contains(failLevels, s) {
					p.errorf(v, "fail-level %q is not a level: use error, warning, info or none%s", s, didYouMean(s, failLevels))
				}
				cfg.FailLevel = s
			}
		case "exclude":
			cfg.Exclude = p.globs(v, "exclude")
		case "overrides":
			cfg.Overrides = p.overrides(v)
		case "baseline":
			if s, ok := p.scalar(v, "baseline", "a file name"); ok {
				if s == "" {
					p.errorf(v, "baseline must name a file")
				} else {
					cfg.Baseline = filepath.Join(dir, filepath.FromSlash(s))
				}
			}
		case "respect-gitignore":
			if b, ok := p.boolean(v, "respect-gitignore"); ok {
				cfg.RespectGitignore = &b
			}
		case "require-ignore-reason":
			cfg.RequireIgnoreReason, _ = p.boolean(v, "require-ignore-reason")
		case "heuristics":
			cfg.Heuristics = p.heuristics(v)
		case "workloads":
			cfg.Workloads = p.workloads(v)
		}
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return cfg, nil
}

// entries returns a mapping's key/value pairs, reporting unknown and
// repeated keys.
func (p *configParser) entries(m *yaml.Node, known []string, what string) [][2]*yaml.Node {
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a %s must be a plain word, not %s", what, kindName(k))
			continue
		}
		if !slices.Contains(known, k.Value) {
			hint := didYouMean(k.Value, known)
			if hint == "" {
				hint = " (known: " + strings.Join(known, ", ") + ")"
			}
			p.errorf(k, "unknown %s %q%s", what, k.Value, hint)
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%q is set twice in this mapping; keep one", k.Value)
			continue
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

func didYouMean(s string, candidates []string) string {
	if c := loader.Closest(s, candidates, 3); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "empty"
	}
	return fmt.Sprintf("%q", n.Value)
}

// scalar reads a string value.
func (p *configParser) scalar(v *yaml.Node, key, want string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errorf(v, "%s must be %s, not %s", key, want, kindName(v))
		return "", false
	}
	return v.Value, true
}

func (p *configParser) boolean(v *yaml.Node, key string) (bool, bool) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
		switch strings.ToLower(v.Value) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	p.errorf(v, "%s must be true or false, not %s", key, kindName(v))
	return false, false
}

// list reads a list of strings; a single string is taken as a list of one.
func (p *configParser) list(v *yaml.Node, key, items string) []*yaml.Node {
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
		return []*yaml.Node{v}
	case v.Kind == yaml.SequenceNode:
		var out []*yaml.Node
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode || it.Tag == "!!null" {
				p.errorf(it, "each item of %s must be %s, not %s", key, items, kindName(it))
				continue
			}
			out = append(out, it)
		}
		return out
	}
	p.errorf(v, "%s must be a list of %s, not %s", key, items, kindName(v))
	return nil
}

func (p *configParser) where(n *yaml.Node) string {
	return fmt.Sprintf("%s:%d:%d", p.file, n.Line, n.Column)
}

// patterns reads a list of rule patterns, each of which must match a rule.
func (p *configParser) patterns(v *yaml.Node, key string) []pattern {
	var out []pattern
	for _, it := range p.list(v, key, "rule IDs, names or globs") {
		if msg := checkPattern(it.Value); msg != "" {
			p.errorf(it, "%s", msg)
			continue
		}
		out = append(out, pattern{it.Value, p.where(it)})
	}
	return out
}

// checkPattern says what is wrong with a rule pattern, or "".
func checkPattern(s string) string {
	if len(rules.Match(s)) > 0 {
		return ""
	}
	msg := fmt.Sprintf("no rule matches %q", s)
	if c := rules.Suggest(s); c != "" {
		msg += fmt.Sprintf("; did you mean %s?", c)
	} else {
		msg += " (dapilint rules lists the rules)"
	}
	return msg
}

func (p *configParser) severities(v *yaml.Node) []severitySetting {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "severity must be a mapping of rule to level (DA206: info), not %s", kindName(v))
		return nil
	}
	var out []severitySetting
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a severity key must be a rule ID, name or glob, not %s", kindName(k))
			continue
		}
		if msg := checkPattern(k.Value); msg != "" {
			p.errorf(k, "%s", msg)
			continue
		}
		level, ok := p.scalar(val, "the severity of "+k.Value, "error, warning or info")
		if !ok {
			continue
		}
		sev, err := rules.ParseSeverity(level)
		if err != nil {
			p.errorf(val, "%q is not a severity: use error, warning or info%s", level, didYouMean(level, []string{"error", "warning", "info"}))
			continue
		}
		out = append(out, severitySetting{pattern{k.Value, p.where(k)}, sev})
	}
	return out
}

// globs reads gitignore-style globs, relative to the file's directory.
func (p *configParser) globs(v *yaml.Node, key string) pathglob.Set {
	var set pathglob.Set
	for _, it := range p.list(v, key, "file globs") {
		g, ok, err := pathglob.Compile(it.Value, false)
		switch {
		case err != nil:
			p.errorf(it, "%v", err)
		case !ok:
			p.errorf(it, "an empty glob matches nothing")
		default:
			set.Patterns = append(set.Patterns, g)
		}
	}
	return set
}

// heuristics reads the heuristics mapping: names to add to the rules'
// built-in lists.
func (p *configParser) heuristics(v *yaml.Node) rules.Settings {
	var h rules.Settings
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "heuristics must be a mapping with runtime-tuning-env: and injected-keys:, not %s", kindName(v))
		return h
	}
	for _, kv := range p.entries(v, heuristicsKeys, "heuristics key") {
		k, val := kv[0], kv[1]
		for _, it := range p.list(val, k.Value, "names") {
			var one rules.Settings
			switch k.Value {
			case "runtime-tuning-env":
				one.RuntimeTuningEnv = []string{it.Value}
				h.RuntimeTuningEnv = append(h.RuntimeTuningEnv, it.Value)
			case "injected-keys":
				one.InjectedKeys = []string{it.Value}
				h.InjectedKeys = append(h.InjectedKeys, it.Value)
			}
			if err := one.Validate(); err != nil {
				p.errorf(it, "%v", err)
			}
		}
	}
	return h
}

// workloads reads the custom resources to check: each with its apiVersion,
// kind and the paths of its pod templates or pod specs.
func (p *configParser) workloads(v *yaml.Node) *loader.Workloads {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "workloads must be a list of {apiVersion, kind, pod-templates, pod-specs} entries, not %s", kindName(v))
		return nil
	}
	var declared []loader.Workload
	seen := map[[2]string]string{}
	for _, it := range v.Content {
		if it.Kind != yaml.MappingNode {
			p.errorf(it, "each workload must be a mapping with apiVersion:, kind: and pod-templates: or pod-specs:, not %s", kindName(it))
			continue
		}
		w := loader.Workload{Origin: p.where(it)}
		ok := true
		paths := func(val *yaml.Node, key string) []string {
			var out []string
			for _, n := range p.list(val, key, "field paths (spec.template)") {
				if _, err := loader.ParseWorkloadPath(n.Value); err != nil {
					p.errorf(n, "%v", err)
					ok = false
					continue
				}
				out = append(out, n.Value)
			}
			return out
		}
		for _, kv := range p.entries(it, workloadKeys, "workload key") {
			k, val := kv[0], kv[1]
			switch k.Value {
			case "apiVersion":
				w.APIVersion, _ = p.scalar(val, "apiVersion", "a group/version such as argoproj.io/v1alpha1")
			case "kind":
				w.Kind, _ = p.scalar(val, "kind", "a kind such as Rollout")
			case "pod-templates":
				w.Templates = paths(val, "pod-templates")
			case "pod-specs":
				w.Specs = paths(val, "pod-specs")
			case "volume-claim-templates":
				if s, isStr := p.scalar(val, "volume-claim-templates", "a field path"); isStr {
					if _, err := loader.ParseWorkloadPath(s); err != nil {
						p.errorf(val, "%v", err)
					}
					w.ClaimTemplates = s
				}
			}
		}
		switch {
		case w.APIVersion == "" || w.Kind == "":
			p.errorf(it, "this workload needs apiVersion: and kind:, as its objects have them")
			continue
		case !strings.Contains(w.APIVersion, "/"):
			p.errorf(it, "apiVersion %q has no group: a custom resource's apiVersion is GROUP/VERSION", w.APIVersion)
			continue
		case len(w.Templates)+len(w.Specs) == 0 && ok:
			p.errorf(it, "this workload names no pod-templates: or pod-specs: path (e.g. pod-templates: [spec.template])")
			continue
		}
		if loader.IsBuiltinKind(w.APIVersion, w.Kind) {
			p.errorf(it, "%s %s is a built-in kind, checked already: only custom resources are declared here", w.APIVersion, w.Kind)
			continue
		}
		key := [2]string{w.APIVersion, w.Kind}
		if prev, dup := seen[key]; dup {
			p.errorf(it, "%s %s is already declared at %s; keep one", w.APIVersion, w.Kind, prev)
			continue
		}
		seen[key] = p.where(it)
		if ok {
			declared = append(declared, w)
		}
	}
	all, err := loader.NewWorkloads(declared)
	if err != nil {
		p.errorf(v, "%v", err)
		return nil
	}
	return all
}

func (p *configParser) overrides(v *yaml.Node) []override {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "overrides must be a list of {files, enable, disable, severity} entries, not %s", kindName(v))
		return nil
	}
	var out []override
	for _, it := range v.Content {
		if it.Kind != yaml.MappingNode {
			p.errorf(it, "each override must be a mapping with files: and enable:, disable: or severity:, not %s", kindName(it))
			continue
		}
		var o override
		hasFiles := false
		for _, kv := range p.entries(it, overrideKeys, "override key") {
			k, val := kv[0], kv[1]
			switch k.Value {
			case "files":
				o.files, hasFiles = p.globs(val, "files"), true
			case "enable":
				o.enable = p.patterns(val, "enable")
			case "disable":
				o.disable = p.patterns(val, "disable")
			case "severity":
				o.severity = p.severities(val)
			}
		}
		if !hasFiles {
			p.errorf(it, "this override has no files: say which files it applies to (files: [\"charts/**\"])")
		}
		out = append(out, o)
	}
	return out
}

// patternBreadth ranks a rule pattern: 2 for "all", 1 for a glob or a
// group, 0 for one rule.
func patternBreadth(p string) int {
	switch {
	case p == "all":
		return 2
	case strings.ContainsAny(p, "*?[") || rules.Groups[p] != "":
		return 1
	}
	return 0
}

// flagSettings are the rule settings given on the command line.
type flagSettings struct {
	enable, disable []string
	failLevel       string
	noIgnore        bool
}

// settings are the resolved configuration of a run.
type settings struct {
	lint      lint.Config    // for files no override applies to
	failLevel rules.Severity // 0: never fail on findings
	cfg       *fileConfig
	flags     flagSettings
	// flagPatterns are the --enable and --disable patterns.
	flagPatterns [2][]pattern
	perFile      map[string]*lint.Config // by the indexes of the overrides that apply
}

// ruleSelection is the rules that run and their severities, built up
// step by step.
type ruleSelection struct {
	on       map[*rules.Rule]bool
	severity map[string]rules.Severity
}

// apply turns rules on and off: within one step, broader patterns apply
// first and the more specific ones override them ("all", then globs, then
// single rules; at equal breadth, enable wins). So "--disable all --enable
// DA004" runs DA004 alone, and "--enable all --disable DA214" runs
// everything but DA214.
func (s *ruleSelection) apply(enable, disable []pattern) {
	for _, breadth := range []int{2, 1, 0} {
		for _, step := range []struct {
			patterns []pattern
			on       bool
		}{{disable, false}, {enable, true}} {
			for _, p := range step.patterns {
				if patternBreadth(p.text) != breadth {
					continue
				}
				for _, r := range rules.Match(p.text) {
					s.on[r] = step.on
				}
			}
		}
	}
}

func (s *ruleSelection) setSeverity(settings []severitySetting) {
	for _, ss := range settings {
		for _, r := range rules.Match(ss.text) {
			s.severity[r.ID] = ss.sev
		}
	}
}

// resolveSettings combines the embedded defaults, the configuration file
// and the flags (flags win) into the run's settings.
func resolveSettings(cfg *fileConfig, flags flagSettings) (settings, error) {
	var flagEnable, flagDisable []pattern
	for _, f := range []struct {
		name   string
		values []string
		out    *[]pattern
	}{{"enable", flags.enable, &flagEnable}, {"disable", flags.disable, &flagDisable}} {
		for _, v := range f.values {
			if msg := checkPattern(v); msg != "" {
				return settings{}, fmt.Errorf("--%s: %s", f.name, msg)
			}
			*f.out = append(*f.out, pattern{text: v})
		}
	}
	if err := flagConflict(flagEnable, flagDisable); err != nil {
		return settings{}, err
	}
	s := settings{cfg: cfg, flags: flags, perFile: map[string]*lint.Config{}}
	s.flagPatterns = [2][]pattern{flagEnable, flagDisable}
	s.lint = s.lintConfig(nil)

	level := cfg.FailLevel
	if flags.failLevel != "" {
		level = flags.failLevel
		if !slices.Contains(failLevels, level) {
			return settings{}, fmt.Errorf("--fail-level %q is not a level: use error, warning, info or none", level)
		}
	}
	switch level {
	case "", "error":
		s.failLevel = rules.Error
	case "none":
		s.failLevel = 0
	default:
		sev, err := rules.ParseSeverity(level)
		if err != nil {
			return settings{}, fmt.Errorf("fail level: %w", err)
		}
		s.failLevel = sev
	}
	return s, nil
}

// flagConflict refuses --enable and --disable patterns of the same
// breadth that name a rule in common (--enable DA204 --disable DA204,
// --enable pedantic --disable DA2*): which one wins would be an accident
// of the tie-break, not what was asked. A broader pattern and a narrower
// one do not conflict: the narrower one is the exception
// (--disable all --enable DA004).
func flagConflict(enable, disable []pattern) error {
	for _, e := range enable {
		for _, d := range disable {
			if patternBreadth(e.text) != patternBreadth(d.text) {
				continue
			}
			var common []string
			on := map[*rules.Rule]bool{}
			for _, r := range rules.Match(e.text) {
				on[r] = true
			}
			for _, r := range rules.Match(d.text) {
				if on[r] {
					common = append(common, r.ID)
				}
			}
			if len(common) == 0 {
				continue
			}
			what := common[0]
			if len(common) > 1 {
				what = fmt.Sprintf("%s and %d more", common[0], len(common)-1)
			}
			if e.text == d.text {
				return usageError("--enable %s and --disable %s contradict each other: keep one", e.text, d.text)
			}
			return usageError("--enable %s and --disable %s both name %s: keep one, or make one of them narrower", e.text, d.text, what)
		}
	}
	return nil
}

// lintConfig is the lint configuration with the given overrides applied,
// in order, between the file's top-level settings and the flags.
func (s *settings) lintConfig(overrides []int) lint.Config {
	sel := ruleSelection{on: map[*rules.Rule]bool{}, severity: map[string]rules.Severity{}}
	for _, r := range rules.Defaults() {
		sel.on[r] = true
	}
	sel.apply(s.cfg.Enable, s.cfg.Disable)
	sel.setSeverity(s.cfg.Severity)
	for _, i := range overrides {
		o := s.cfg.Overrides[i]
		sel.apply(o.enable, o.disable)
		sel.setSeverity(o.severity)
	}
	sel.apply(s.flagPatterns[0], s.flagPatterns[1])
	lc := lint.Config{NoIgnore: s.flags.noIgnore, RequireIgnoreReason: s.cfg.RequireIgnoreReason, Settings: s.cfg.Heuristics,
		Workloads: s.cfg.Workloads}
	for _, r := range rules.All {
		if sel.on[r] {
			lc.Rules = append(lc.Rules, r)
		}
	}
	if len(sel.severity) > 0 {
		lc.Severity = sel.severity
	}
	return lc
}

// configFor returns the configuration for a file (an absolute path): the
// run's, or, when overrides apply to it, one shared by every file with the
// same overrides.
func (s *settings) configFor(abs string) *lint.Config {
	if len(s.cfg.Overrides) == 0 {
		return nil
	}
	rel, ok := s.cfg.relPath(abs)
	if !ok {
		return nil
	}
	var idx []int
	var key strings.Builder
	for i, o := range s.cfg.Overrides {
		if (pathglob.Matcher{o.files}).ExcludedWithParents(rel, false) {
			idx = append(idx, i)
			fmt.Fprintf(&key, "%d,", i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	if c, ok := s.perFile[key.String()]; ok {
		return c
	}
	c := s.lintConfig(idx)
	s.perFile[key.String()] = &c
	return &c
}

// relPath is abs relative to the configuration file's directory, with
// slashes, when it is inside it.
func (cfg *fileConfig) relPath(abs string) (string, bool) {
	if cfg.dir == "" {
		return "", false
	}
	return relInside(cfg.dir, abs)
}

// excluded says whether the file or directory abs is excluded by the
// configuration's exclude globs.
func (cfg *fileConfig) excluded(abs string, isDir bool) bool {
	if len(cfg.Exclude.Patterns) == 0 {
		return false
	}
	rel, ok := cfg.relPath(abs)
	if !ok || rel == "." {
		return false
	}
	return pathglob.Matcher{cfg.Exclude}.ExcludedWithParents(rel, isDir)
}
