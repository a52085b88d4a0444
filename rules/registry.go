package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
)

// All is every rule dapilint has, sorted by ID. The lists it is built from
// are grouped by ID range:
//
//	DA0xx  input errors: the file or object cannot be read as kubectl reads it
//	DA1xx  Downward API mistakes the API server rejects (errors)
//	DA2xx  Downward API usage the API server accepts but that goes wrong at
//	       runtime (warnings; errors where the pod can never start)
//	DA9xx  about dapilint's own directives: ignores that silenced nothing,
//	       name unknown rules or cannot be read
var All = sortedByID(slices.Concat(inputRules, apiserverRules, runtimeRules, directiveRules))

func sortedByID(rs []*Rule) []*Rule {
	slices.SortFunc(rs, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	return rs
}

// Lookup finds a rule by ID (case-insensitive) or name.
func Lookup(idOrName string) *Rule {
	for _, r := range All {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}

// Pedantic is the group of rules whose findings are true but, on real
// manifests, mostly harmless: off by default, enabled together with
// "--enable pedantic" (docs/severity.md says how a rule gets here).
const Pedantic = "pedantic"

// Groups are the rule groups, each with what it holds.
var Groups = map[string]string{
	Pedantic: "rules whose findings are accurate but mostly harmless on real manifests; off by default",
}

// Match returns the rules a pattern selects: an ID, a name, a group name
// ("pedantic"), or a glob over IDs and names ("DA2*", "all").
func Match(pattern string) []*Rule {
	if pattern == "all" {
		return All
	}
	var out []*Rule
	if _, ok := Groups[pattern]; ok {
		for _, r := range All {
			if r.Group == pattern {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range All {
		if ok, _ := path.Match(strings.ToUpper(pattern), r.ID); ok {
			out = append(out, r)
		} else if ok, _ := path.Match(pattern, r.Name); ok {
			out = append(out, r)
		}
	}
	return out
}

// Defaults returns the rules that run without configuration.
func Defaults() []*Rule {
	var out []*Rule
	for _, r := range All {
		if r.Default {
			out = append(out, r)
		}
	}
	return out
}

// Suggest returns the rule ID or name closest to s, for a "did you mean"
// hint, or "" when none is close enough.
func Suggest(s string) string {
	ids := make([]string, len(All))
	names := make([]string, len(All))
	for i, r := range All {
		ids[i], names[i] = r.ID, r.Name
	}
	// An O typed for a zero is the commonest slip in an ID (DA2O4).
	if c := loader.Closest(strings.ReplaceAll(strings.ToUpper(s), "O", "0"), ids, 1); c != "" {
		return c
	}
	return loader.Closest(strings.ToLower(s), names, 3)
}
