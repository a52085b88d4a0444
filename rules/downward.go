package rules

import "strings"

// SplitSubscript splits a fieldPath the way the API server's
// fieldpath.SplitMaybeSubscriptedPath does: "metadata.labels['app']" gives
// ("metadata.labels", "app", true). A path counts as subscripted only if it
// ends with "']"; it is split at the first "['", and the base must be
// non-empty. Anything else is a plain path (ok is false).
func SplitSubscript(fieldPath string) (base, key string, ok bool) {
	if !strings.HasSuffix(fieldPath, "']") {
		return fieldPath, "", false
	}
	s := strings.TrimSuffix(fieldPath, "']")
	base, key, found := strings.Cut(s, "['")
	if !found || base == "" {
		return fieldPath, "", false
	}
	return base, key, true
}

// SplitResource splits a resourceFieldRef resource such as "limits.cpu"
// into its kind ("limits" or "requests") and resource name ("cpu").
func SplitResource(resource string) (kind, name string, ok bool) {
	kind, name, ok = strings.Cut(resource, ".")
	if !ok || (kind != "limits" && kind != "requests") || name == "" {
		return "", "", false
	}
	return kind, name, true
}
