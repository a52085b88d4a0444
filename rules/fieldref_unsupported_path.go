package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/api/validate/content"
)

// FieldRefUnsupportedPath reports fieldRef.fieldPath values the API server
// rejects for the place they are used in.
var FieldRefUnsupportedPath = &Rule{
	ID:       "DA101",
	Name:     "fieldref-unsupported-path",
	Title:    "A fieldRef fieldPath the API server does not accept there",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes | UnsafeFixes,
	Doc: `A ` + "`fieldRef.fieldPath`" + ` must name one of a short, fixed list of pod fields, and the
list depends on where it is used:

| fieldPath | env var | downwardAPI volume |
|---|---|---|
| ` + "`metadata.name`, `metadata.namespace`, `metadata.uid`" + ` | yes | yes |
| ` + "`metadata.labels['KEY']`, `metadata.annotations['KEY']`" + ` | yes | yes |
| ` + "`metadata.labels`, `metadata.annotations`" + ` (whole map) | **no** | yes |
| ` + "`spec.nodeName`, `spec.serviceAccountName`" + ` | yes | **no** |
| ` + "`status.hostIP`, `status.hostIPs`, `status.podIP`, `status.podIPs`" + ` | yes | **no** |

Anything else is rejected by the API server, and the object is not created:

- an empty fieldPath: ` + "`fieldRef.fieldPath: Required value`" + `;
- a path the Downward API does not know (a typo such as ` + "`matadata.labels`" + `, or
  ` + "`metadata.labels.app`" + `, ` + "`metadata.labels[\"app\"]`" + `): ` + "`error converting fieldPath: field label not supported`" + `;
- a ` + "`['KEY']`" + ` subscript on anything but ` + "`metadata.labels`" + ` and ` + "`metadata.annotations`" + `:
  ` + "`field label does not support subscript`" + `;
- a known path that is not allowed in that place (the whole labels map in an env
  var, ` + "`status.podIP`" + ` in a volume, ` + "`status.phase`" + ` anywhere): ` + "`Unsupported value`" + `.

Only single quotes delimit a key (` + "`metadata.labels['app']`" + `), with no spaces and no
escaping. The legacy ` + "`spec.host`" + ` is still accepted in env vars (the API server rewrites it to
` + "`spec.nodeName`" + `), but in a volume it is rejected, and reported as ` + "`\"spec.nodeName\"`" + `.

dapilint says what the place accepts and, for typos, suggests the intended path.
To fix: use one of the listed paths; read a single label or annotation with the
subscript form; expose ` + "`spec.*`" + `/` + "`status.*`" + ` fields through env vars, and whole
label or annotation maps through a downwardAPI volume.

Source: ` + "`validateObjectFieldSelector`" + ` and ` + "`ConvertDownwardAPIFieldLabel`" + ` in Kubernetes 1.36
(` + "`pkg/apis/core/validation/validation.go`, `pkg/apis/core/pods/helpers.go`" + `).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: APP
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels.app
`,
	Run: runFieldRefUnsupportedPath,
}

func runFieldRefUnsupportedPath(p *Pass) {
	for _, s := range fieldRefSites(p.Object) {
		at := s.Path.Child("fieldPath")
		fp := s.Ref.FieldPath
		accepted := acceptedFieldPaths(s.Volume)
		var opts []ReportOption
		withHint := func(msg, sugg string, fixable bool) string {
			if sugg == "" {
				return msg + "; " + accepted
			}
			if fixable {
				fix := SafeFix
				if guessedAliases[strings.TrimSpace(fp)] {
					fix = UnsafeFix
				}
				opts = append(opts, fix("use "+sugg, String(sugg)))
			}
			return fmt.Sprintf("%s (did you mean %q?)", msg, sugg)
		}
		if fp == "" {
			p.reportUnlessInput(at, "fieldRef has no fieldPath; "+accepted)
			continue
		}
		if !s.convertsVersion() {
			continue // DA103's: the API server stops at the version
		}
		if base, key, ok := SplitSubscript(fp); ok {
			if slices.Contains(subscriptBases, base) {
				continue // the key is DA102's business
			}
			sugg, fixable := subscriptHint(base, key, s.Volume)
			msg := fmt.Sprintf("fieldPath %q has a subscript, but only metadata.labels and metadata.annotations take one", fp)
			p.Report(at, withHint(msg, sugg, fixable), opts...)
			continue
		}
		conv, ok := convertFieldPath(fp)
		switch {
		case !ok:
			sugg, fixable := plainHint(fp, s.Volume)
			p.Report(at, withHint(fmt.Sprintf("unknown fieldPath %q", fp), sugg, fixable), opts...)
		case allowedFieldPath(conv, s.Volume):
			// accepted
		case !s.Volume && slices.Contains(subscriptBases, conv):
			p.Report(at, fmt.Sprintf("an env var cannot hold the whole %s map; read one key with %s['KEY'], or mount the whole map with a downwardAPI volume", conv, conv))
		case s.Volume && allowedFieldPath(conv, false):
			what := fmt.Sprintf("%q", fp)
			if conv != fp {
				what = fmt.Sprintf("%q (the old name of %s)", fp, conv)
			}
			p.Report(at, fmt.Sprintf("%s is available to env vars only, not in a downwardAPI volume; read it with an env var's fieldRef", what))
		default:
			p.Report(at, fmt.Sprintf("%q is not exposed by the Downward API; %s", fp, accepted))
		}
	}
}

// validFieldPath reports whether the API server accepts fp in env or in a
// volume: the converter, the allow-list, and the subscript key rules.
func validFieldPath(fp string, volume bool) bool {
	if base, key, ok := SplitSubscript(fp); ok {
		if base == "metadata.annotations" {
			key = strings.ToLower(key)
		}
		return slices.Contains(subscriptBases, base) && len(content.IsLabelKey(key)) == 0
	}
	conv, ok := convertFieldPath(fp)
	return ok && allowedFieldPath(conv, volume)
}

// fieldPathAliases are paths people write for fields the Downward API
// exposes under another name.
var fieldPathAliases = map[string]string{
	"spec.serviceAccount": "spec.serviceAccountName",
	"status.podIPs[0]":    "status.podIP",
	"status.hostIPs[0]":   "status.hostIP",
	"status.nodeName":     "spec.nodeName",
	"spec.nodeIP":         "status.hostIP",
	"status.nodeIP":       "status.hostIP",
	"spec.hostIP":         "status.hostIP",
	"status.hostname":     "spec.nodeName",
}

// guessedAliases are the fieldPathAliases whose target is a guess:
// "status.hostname" may mean the node's name or the pod's own hostname
// (metadata.name), so its fix is unsafe.
var guessedAliases = map[string]bool{"status.hostname": true}

// plainHint suggests what an unknown plain fieldPath was meant to be.
// fixable is false when the suggestion is a pattern (…['KEY']).
func plainHint(fp string, volume bool) (sugg string, fixable bool) {
	t := strings.TrimSpace(fp)
	if t != fp && validFieldPath(t, volume) {
		return t, true
	}
	// metadata.labels.app, metadata.labels[app], metadata.labels["app"]
	for _, base := range subscriptBases {
		rest, ok := strings.CutPrefix(t, base)
		if !ok || rest == "" {
			continue
		}
		var key string
		switch {
		case rest[0] == '.' || rest[0] == '/':
			key = rest[1:]
		case rest[0] == '[' && strings.HasSuffix(rest, "]"):
			key = strings.TrimSpace(rest[1 : len(rest)-1])
			for _, q := range []string{`"`, "'", "`"} {
				if len(key) >= 2 && strings.HasPrefix(key, q) && strings.HasSuffix(key, q) {
					key = strings.TrimSpace(key[1 : len(key)-1])
				}
			}
		}
		if c := base + "['" + key + "']"; key != "" && validFieldPath(c, volume) {
			return c, true
		}
	}
	if a, ok := fieldPathAliases[t]; ok && allowedFieldPath(a, volume) {
		return a, true
	}
	allowed := envFieldPaths
	if volume {
		allowed = volumeFieldPaths
	}
	if c := caseInsensitiveMatch(t, allowed); c != "" {
		return c, true
	}
	for dist := 1; dist <= 3; dist++ {
		if c := loader.Closest(t, allowed, dist); c != "" {
			return c, true
		}
		if !volume {
			// A typo of a whole map: env vars can only read one key of it.
			if c := loader.Closest(t, subscriptBases, dist); c != "" {
				return c + "['KEY']", false
			}
		}
	}
	return "", false
}

// subscriptHint suggests a fix for a subscript on a base that takes none.
func subscriptHint(base, key string, volume bool) (sugg string, fixable bool) {
	b := caseInsensitiveMatch(base, subscriptBases)
	if b == "" {
		b = loader.Closest(base, subscriptBases, 3)
	}
	if b != "" {
		if c := b + "['" + key + "']"; validFieldPath(c, volume) {
			return c, true
		}
		return "", false
	}
	if conv, ok := convertFieldPath(base); ok && allowedFieldPath(conv, volume) {
		return base, true
	}
	return "", false
}
