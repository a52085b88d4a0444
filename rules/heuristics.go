package rules

import (
	"fmt"
	"path"
	"slices"
)

// This file holds the name heuristics of the DA2xx rules: lists of env var
// names and of label or annotation keys whose meaning dapilint cannot see
// in a manifest. Each list is kept here, and only here, with the reason for
// every entry; users add their own entries in .dapilint.yaml (the
// `heuristics` key), which reach the rules through Settings.
//
// An entry is added only on evidence: a real project whose manifest was
// reported although nothing goes wrong, with the software's behaviour
// checked (see docs/precision.md).

// Settings are the user's additions to the name heuristics, read from the
// configuration file. The zero value adds nothing.
type Settings struct {
	// RuntimeTuningEnv are more env var names (path.Match globs) that
	// size a runtime from a resource limit and want the node-allocatable
	// fallback when the container sets no limit (DA202).
	RuntimeTuningEnv []string
	// InjectedKeys are more label or annotation keys that an installer or
	// an admission webhook writes on the pod after the manifest is applied
	// (DA207, DA204).
	InjectedKeys []string
}

// Validate reports the first malformed entry.
func (s Settings) Validate() error {
	for _, p := range s.RuntimeTuningEnv {
		if p == "" {
			return fmt.Errorf("runtime-tuning-env: empty name")
		}
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("runtime-tuning-env: bad pattern %q: %w", p, err)
		}
	}
	for _, k := range s.InjectedKeys {
		if k == "" {
			return fmt.Errorf("injected-keys: empty key")
		}
	}
	return nil
}

// nameEntry is one built-in entry of a name list, with why it is there.
type nameEntry struct {
	Name string // an exact name, or a path.Match glob
	Why  string
}

// runtimeTuningEnv are env vars that a runtime or proxy reads to size
// itself (threads, garbage-collector target) from limits.cpu or
// limits.memory. When the container sets no such limit, the kubelet hands
// them the node's allocatable amount (DA202), and that is what the
// consumer wants: the container may really use that much, and the
// software's own default without the variable is the same or unbounded.
// A variable that sizes a cache or a heap (MEMORY_LIMIT_MIB, JVM heap
// options) is not listed: there the fallback overcommits the node.
var runtimeTuningEnv = []nameEntry{
	{"GOMAXPROCS", "Go runtime: without a cpu limit Go uses every CPU it can see anyway, and the node's allocatable cores are the same bound"},
	{"GOMEMLIMIT", "Go runtime: a soft target for the garbage collector; without a memory limit Go sets none, so node allocatable is a harmless upper bound"},
	{"ISTIO_CPU_LIMIT", "Istio pilot-agent: sizes Envoy's worker threads; all of the node's cores is the intended value when the proxy is not limited"},
	{"ZTUNNEL_CPU_LIMIT", "Istio ztunnel: sizes its worker threads, likewise"},
	{"CPU_LIMIT", "agentgateway and kgateway proxies: size their worker threads, likewise"},
}

// injectedKeys are label or annotation keys that something other than the
// manifest's author writes on the pod template or the pod, before the
// containers start: DA207 must not ask to add them, and the empty value
// before installation is intended.
var injectedKeys = []nameEntry{
	{"olm.targetNamespaces", "Operator Lifecycle Manager writes it on the operator Deployment's pod template at install, from the OperatorGroup; operator-sdk projects read it into WATCH_NAMESPACE, and empty means all namespaces"},
	{"olm.operatorNamespace", "Operator Lifecycle Manager writes it at install, likewise"},
	{"olm.operatorGroup", "Operator Lifecycle Manager writes it at install, likewise"},
	{"topology.kubernetes.io/zone", "as an annotation: Envoy Gateway's topology-injector webhook copies the node's zone onto proxy pods at binding (as a label, Kubernetes sets it itself: see addedKeys)"},
}

// matchName reports whether name matches a built-in entry or one of the
// user's patterns.
func matchName(name string, builtin []nameEntry, extra []string) bool {
	for _, e := range builtin {
		if ok, _ := path.Match(e.Name, name); ok {
			return true
		}
	}
	return slices.ContainsFunc(extra, func(p string) bool {
		ok, _ := path.Match(p, name)
		return ok
	})
}

// isRuntimeTuningEnv reports whether an env var sizes a runtime from a
// limit and wants the node-allocatable fallback.
func (p *Pass) isRuntimeTuningEnv(name string) bool {
	return matchName(name, runtimeTuningEnv, p.Settings.RuntimeTuningEnv)
}

// isInjectedKey reports whether a label or annotation key is written on
// the pod by an installer or a webhook.
func (p *Pass) isInjectedKey(key string) bool {
	return slices.ContainsFunc(injectedKeys, func(e nameEntry) bool { return e.Name == key }) ||
		slices.Contains(p.Settings.InjectedKeys, key)
}
