package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
	"sigs.k8s.io/yaml"
)

// DefaultConfigFile is the configuration file looked for in the working
// directory when --config is not given.
const DefaultConfigFile = ".dapilint.yaml"

// fileConfig is the configuration file's format:
//
//	enable: [DA214]              # rule IDs, names or globs ("DA2*", "all")
//	disable: [env-label-frozen]
//	severity: {DA206: info}      # override a rule's severity
//	fail-level: warning          # error (default), warning, info or none
//	heuristics:                  # additions to the rules' built-in name lists
//	  runtime-tuning-env: [JAVA_PROCESSORS]  # DA202
//	  injected-keys: [example.com/team]      # DA207, DA204
type fileConfig struct {
	Enable     []string          `json:"enable,omitempty"`
	Disable    []string          `json:"disable,omitempty"`
	Severity   map[string]string `json:"severity,omitempty"`
	FailLevel  string            `json:"fail-level,omitempty"`
	Heuristics heuristicsConfig  `json:"heuristics,omitempty"`
}

// heuristicsConfig is the heuristics key: names to add to the lists in
// rules/heuristics.go.
type heuristicsConfig struct {
	RuntimeTuningEnv []string `json:"runtime-tuning-env,omitempty"`
	InjectedKeys     []string `json:"injected-keys,omitempty"`
}

// loadConfigFile reads the config at path; with path "" it reads
// .dapilint.yaml from dir if there is one. Unknown keys are errors.
func loadConfigFile(path, dir string) (fileConfig, string, error) {
	var cfg fileConfig
	explicit := path != ""
	if !explicit {
		path = DefaultConfigFile
	}
	if dir != "" && !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, "", nil
		}
		return cfg, path, fmt.Errorf("cannot read config: %w", err)
	}
	if err := yaml.UnmarshalStrict(data, &cfg); err != nil {
		return cfg, path, fmt.Errorf("invalid config %s: %w", path, err)
	}
	return cfg, path, nil
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

// settings are the resolved rule selection and fail level.
type settings struct {
	lint      lint.Config
	failLevel rules.Severity // 0: never fail on findings
}

// resolveSettings combines the embedded defaults, the config file and the
// flags (flags win) into the rules to run.
func resolveSettings(cfg fileConfig, enable, disable []string, failLevel string) (settings, error) {
	selected := map[*rules.Rule]bool{}
	for _, r := range rules.Defaults() {
		selected[r] = true
	}
	// Within the config file, then within the flags (which win), broader
	// patterns apply first and the more specific ones override them:
	// "all", then globs, then single rules; at equal breadth, enable wins.
	// So "--disable all --enable DA004" runs DA004 alone, and
	// "--enable all --disable DA214" runs everything but DA214.
	apply := func(enable, disable []string) error {
		for _, breadth := range []int{2, 1, 0} {
			for _, step := range []struct {
				patterns []string
				on       bool
			}{{disable, false}, {enable, true}} {
				for _, p := range step.patterns {
					if patternBreadth(p) != breadth {
						continue
					}
					matched := rules.Match(p)
					if len(matched) == 0 {
						return fmt.Errorf("no rule matches %q (see dapilint rules)", p)
					}
					for _, r := range matched {
						selected[r] = step.on
					}
				}
			}
		}
		return nil
	}
	if err := apply(cfg.Enable, cfg.Disable); err != nil {
		return settings{}, err
	}
	if err := apply(enable, disable); err != nil {
		return settings{}, err
	}
	var s settings
	s.lint.Settings = rules.Settings{RuntimeTuningEnv: cfg.Heuristics.RuntimeTuningEnv, InjectedKeys: cfg.Heuristics.InjectedKeys}
	if err := s.lint.Settings.Validate(); err != nil {
		return settings{}, fmt.Errorf("heuristics: %w", err)
	}
	for _, r := range rules.All {
		if selected[r] {
			s.lint.Rules = append(s.lint.Rules, r)
		}
	}
	if len(cfg.Severity) > 0 {
		s.lint.Severity = map[string]rules.Severity{}
		keys := make([]string, 0, len(cfg.Severity))
		for k := range cfg.Severity {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sev, err := rules.ParseSeverity(cfg.Severity[k])
			if err != nil {
				return settings{}, fmt.Errorf("severity of %s: %w", k, err)
			}
			matched := rules.Match(k)
			if len(matched) == 0 {
				return settings{}, fmt.Errorf("severity: no rule matches %q", k)
			}
			for _, r := range matched {
				s.lint.Severity[r.ID] = sev
			}
		}
	}
	level := cfg.FailLevel
	if failLevel != "" {
		level = failLevel
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
