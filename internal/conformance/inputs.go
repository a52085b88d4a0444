package main

import (
	"fmt"
	"strings"
)

// An inputCase is a way of writing a manifest that kubectl reads in its
// own way: each one once per workload kind (or as written out below).
type inputCase struct {
	name  string
	ext   string
	files func() []string
}

// perKind renders the base document of every kind with render and then
// edits the text.
func perKind(render func(obj) string, edit func(k int, text string) string) func() []string {
	return func() []string {
		var out []string
		for k := range kinds {
			out = append(out, edit(k, render(document(k, fmt.Sprintf("in-%d", k), func(obj) {}))))
		}
		return out
	}
}

// misspell turns a kind into one the API server does not serve: lower
// case for some, two letters swapped for the others.
func misspell(k int, kind string) string {
	if k%2 == 0 {
		return strings.ToLower(kind)
	}
	return kind[:1] + kind[2:3] + kind[1:2] + kind[3:]
}

var inputCases = []inputCase{
	// JSON that is not strict JSON: kubectl falls back to YAML.
	{"JSON with an octal mode (read as YAML)", "json", perKind(toJSON, func(_ int, s string) string {
		return strings.Replace(s, `"defaultMode": 420`, `"defaultMode": 0644`, 1)
	})},
	{"JSON with a trailing comma (read as YAML)", "json", perKind(toJSON, func(_ int, s string) string {
		i := strings.LastIndex(s, "\n}")
		return s[:i] + ",\n}\n"
	})},
	{"JSON object, then one that is YAML", "json", perKind(toJSON, func(_ int, s string) string {
		return s + "\n" + strings.Replace(s, `"defaultMode": 420`, `"defaultMode": 0644,`, 1)
	})},
	{"JSON with a mode 420.0 and a divisor 1e3", "json", perKind(toJSON, func(_ int, s string) string {
		s = strings.Replace(s, `"defaultMode": 420`, `"defaultMode": 420.0`, 1)
		return strings.Replace(s, `"divisor": "1Mi"`, `"divisor": 1e3`, 1)
	})},
	{"JSON with DEL, C1, U+FFFE and \\/ in strings", "json", perKind(toJSON, func(_ int, s string) string {
		s = strings.Replace(s, `"team"`, "\"te\\/am\u007f\u0085\ufffe\"", -1)
		return strings.Replace(s, `"nginx:1.27"`, `"registry\/nginx:1.27"`, 1)
	})},
	{"JSON that is neither JSON nor YAML", "json", perKind(toJSON, func(_ int, s string) string {
		return strings.Replace(s, `"defaultMode": 420`, `"defaultMode": [420`, 1)
	})},
	// YAML tags, as go-yaml v2 resolves them.
	{"YAML !!int on a quoted mode", "yaml", perKind(toYAML, func(_ int, s string) string {
		return strings.Replace(s, "defaultMode: 420", `defaultMode: !!int "0644"`, 1)
	})},
	{"YAML !!null on a quoted mode", "yaml", perKind(toYAML, func(_ int, s string) string {
		return strings.Replace(s, "defaultMode: 420", `defaultMode: !!null ""`, 1)
	})},
	{"YAML non-specific tag on a mode", "yaml", perKind(toYAML, func(_ int, s string) string {
		return strings.Replace(s, "defaultMode: 420", `defaultMode: ! 420`, 1)
	})},
	{"YAML !!str on a mode", "yaml", perKind(toYAML, func(_ int, s string) string {
		return strings.Replace(s, "defaultMode: 420", `defaultMode: !!str 420`, 1)
	})},
	// Keys.
	{"YAML key repeated with other quoting", "yaml", perKind(toYAML, func(_ int, s string) string {
		return replaceLine(s, "image: nginx:1.27", func(in string) string {
			return in + "image: nginx:1.26\n" + in + `"image": nginx:1.27`
		})
	})},
	{"YAML control character", "yaml", perKind(toYAML, func(_ int, s string) string {
		return strings.Replace(s, "example.com/owner: team", "example.com/owner: te\u007fam", 1)
	})},
	{"YAML mis-indented key", "yaml", perKind(toYAML, func(_ int, s string) string {
		return replaceLine(s, "image: nginx:1.27", func(in string) string {
			return in + "image: nginx:1.27\n" + in + " imagePullPolicy: Always"
		})
	})},
	// Kinds.
	{"misspelt kind", "yaml", perKind(toYAML, func(k int, s string) string {
		return strings.Replace(s, "\nkind: "+kinds[k].kind+"\n", "\nkind: "+misspell(k, kinds[k].kind)+"\n", 1)
	})},
	{"misspelt kind, JSON", "json", perKind(toJSON, func(k int, s string) string {
		return strings.Replace(s, `"kind": "`+kinds[k].kind+`"`, `"kind": "`+misspell(k, kinds[k].kind)+`"`, 1)
	})},
	{"typed list of a misspelt kind", "yaml", perKind(func(o obj) string { return toYAML(wrapper(o, 2)) }, func(k int, s string) string {
		return strings.Replace(s, "kind: "+kinds[k].kind+"List", "kind: "+misspell(k+1, kinds[k].kind)+"List", 1)
	})},
	{"apiVersion no longer served", "yaml", perKind(toYAML, func(k int, s string) string {
		old := map[string]string{"v1": "v1beta1", "apps/v1": "apps/v1beta2", "batch/v1": "batch/v1beta1"}[kinds[k].apiVersion]
		if k%3 == 0 {
			old = "extensions/v1beta1"
		}
		return strings.Replace(s, "apiVersion: "+kinds[k].apiVersion+"\n", "apiVersion: "+old+"\n", 1)
	})},
	{"custom resource sharing a workload's kind", "yaml", perKind(toYAML, func(k int, s string) string {
		return strings.Replace(s, "apiVersion: "+kinds[k].apiVersion+"\n", "apiVersion: batch.volcano.sh/v1alpha1\n", 1)
	})},
	{"not Kubernetes at all", "yaml", func() []string {
		return []string{"replicaCount: 2\nimage:\n  repository: nginx\n  tag: '1.27'\nitems: [a, b]\n", "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"}
	}},
	// Aliases and merge keys: a finding at every use.
	{"alias used by two containers", "yaml", func() []string {
		var out []string
		for _, fp := range []string{"metadata.name", "metadata.labels", "status.podIP"} {
			out = append(out, fmt.Sprintf(aliasPod, fp), fmt.Sprintf(aliasDeployment, fp))
		}
		return out
	}},
	{"merge keys", "yaml", func() []string {
		var out []string
		for _, fp := range []string{"metadata.name", "metadata.labels"} {
			out = append(out, fmt.Sprintf(mergePod, fp), fmt.Sprintf(mergeOverride, fp))
		}
		return out
	}},
}

const aliasPod = `apiVersion: v1
kind: Pod
metadata: {name: alias}
spec:
  containers:
  - name: a
    image: nginx
    env: &env
    - name: X
      valueFrom: {fieldRef: {fieldPath: %s}}
  - name: b
    image: nginx
    env: *env
`

const aliasDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: alias}
spec:
  selector: {matchLabels: {app: alias}}
  template:
    metadata: {labels: {app: alias}}
    spec:
      containers:
      - &c
        name: a
        image: nginx
        env:
        - name: X
          valueFrom: {fieldRef: {fieldPath: %s}}
      initContainers:
      - *c
`

const mergePod = `apiVersion: v1
kind: Pod
metadata: {name: merge}
spec:
  containers:
  - &base
    name: a
    image: nginx
    env:
    - name: X
      valueFrom: {fieldRef: {fieldPath: %s}}
  - <<: *base
    name: b
`

// mergeOverride: go-yaml v2 applies a merge key after the keys written
// before it, so the merged env (and its fieldPath) wins over the first.
const mergeOverride = `apiVersion: v1
kind: Pod
metadata: {name: merge}
spec:
  containers:
  - &base
    name: a
    image: nginx
    env:
    - name: X
      valueFrom: {fieldRef: {fieldPath: %s}}
  - name: b
    env:
    - name: Y
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    <<: *base
`
