package loader

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// What kubectl's REST mapping makes of a document's apiVersion and kind,
// for the groups built into the API server (builtinKinds). Kinds of other
// groups are custom resources, which dapilint cannot know: they are left
// alone.

type kindIndex struct {
	groups map[string]bool     // built-in groups
	byKind map[string][]string // kind → group versions serving it
}

var kindsIndex = sync.OnceValue(func() kindIndex {
	ix := kindIndex{groups: map[string]bool{}, byKind: map[string][]string{}}
	for gv, kinds := range builtinKinds {
		g, _ := splitGroupVersion(gv)
		ix.groups[g] = true
		for _, k := range kinds {
			ix.byKind[k] = append(ix.byKind[k], gv)
		}
	}
	for _, gvs := range ix.byKind {
		slices.Sort(gvs)
	}
	return ix
})

// splitGroupVersion splits "apps/v1" into "apps" and "v1", and "v1" into ""
// and "v1", as schema.ParseGroupVersion does.
func splitGroupVersion(apiVersion string) (group, version string) {
	if g, v, ok := strings.Cut(apiVersion, "/"); ok {
		return g, v
	}
	return "", apiVersion
}

// builtinGroup reports whether apiVersion names a group built into the API
// server (served or not in this release).
func builtinGroup(apiVersion string) bool {
	if strings.Count(apiVersion, "/") > 1 || apiVersion == "" {
		return false
	}
	g, _ := splitGroupVersion(apiVersion)
	return kindsIndex().groups[g]
}

// kindVerdict is what the API server makes of a built-in apiVersion and
// kind that it does not serve.
type kindVerdict struct {
	unservedVersion bool   // the kind exists, in other versions of its group
	message         string // why it is refused
	suggestion      string // the kind (or apiVersion, when unservedVersion) to use instead
}

// checkKind returns nil when the API server serves kind in apiVersion (or
// when apiVersion is not a built-in group's). list says the document is a
// list (it has an items key): discovery maps "List" and "<Kind>List" in
// every served group version.
func checkKind(apiVersion, kind string, list bool) *kindVerdict {
	if kind == "" || !builtinGroup(apiVersion) {
		return nil
	}
	kinds, served := builtinKinds[apiVersion]
	served = served && len(kinds) > 0
	if served {
		if slices.Contains(kinds, kind) {
			return nil
		}
		if list && (kind == "List" || slices.Contains(kinds, strings.TrimSuffix(kind, "List"))) {
			return nil
		}
	}
	group, _ := splitGroupVersion(apiVersion)
	base := kind
	if list && kind != "List" {
		base = strings.TrimSuffix(kind, "List")
	}
	ix := kindsIndex()
	// The same kind in another version of the same group.
	for _, gv := range ix.byKind[base] {
		if g, _ := splitGroupVersion(gv); g == group {
			return &kindVerdict{unservedVersion: true, suggestion: gv,
				message: fmt.Sprintf("%s %q is not served by the API server (kubectl: no matches for kind); use %q", kind, apiVersion, gv)}
		}
	}
	v := &kindVerdict{message: fmt.Sprintf("the API server does not know kind %q in %s (kubectl: no matches for kind)", kind, apiVersion)}
	if !served {
		return v
	}
	// A kind in the wrong case ("pod"; discovery maps the lower-case kind,
	// but the server's scheme does not know it) or misspelt.
	for _, k := range kinds {
		if strings.EqualFold(k, base) {
			v.suggestion = k
		}
	}
	if v.suggestion == "" {
		v.suggestion = Closest(base, kinds, 2)
	}
	if v.suggestion != "" {
		if list && kind != "List" {
			v.suggestion += "List"
		}
		v.message += fmt.Sprintf("; did you mean %q?", v.suggestion)
		return v
	}
	if gvs := ix.byKind[base]; len(gvs) > 0 {
		v.message += fmt.Sprintf("; %s is served in %s", base, strings.Join(gvs, ", "))
	}
	return v
}

// ServedAPIVersions lists what the discovery of a Kubernetes 1.36 API
// server reports for its built-in groups: each served group version
// ("apps/v1") and each of its kinds ("apps/v1/Deployment"). It is what
// Helm's .Capabilities.APIVersions holds when Helm asks such a server, so
// that charts rendered offline take the branches they take on a cluster.
func ServedAPIVersions() []string {
	var out []string
	for gv, kinds := range builtinKinds {
		if len(kinds) == 0 {
			continue
		}
		out = append(out, gv)
		for _, k := range kinds {
			out = append(out, gv+"/"+k)
		}
	}
	slices.Sort(out)
	return out
}
