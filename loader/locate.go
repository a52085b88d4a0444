package loader

import (
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Location is where a field path leads in an object's source.
type Location struct {
	// Value is the node the path names, or the deepest existing ancestor
	// when the path does not exist in the source (a missing field).
	Value *Node
	// Key is the mapping key node of Value, when Value is a mapping value.
	Key *Node
	// Exact is false when the path ended early at an ancestor.
	Exact bool
}

// Locate finds the node a field path (relative to the object, in
// k8s.io/apimachinery field.Path syntax) names.
func (o *Object) Locate(p *field.Path) Location {
	return locate(o.Root, p.String())
}

func locate(root *Node, path string) Location {
	loc := Location{Value: root, Exact: true}
	for _, step := range splitPath(path) {
		cur := loc.Value
		var next, key *Node
		switch {
		case cur.Kind == SequenceNode && step.bracket:
			if i, err := strconv.Atoi(step.name); err == nil && i >= 0 && i < len(cur.Content) {
				next = cur.Content[i]
			}
		case cur.Kind == MappingNode:
			key, next = cur.lookup(step.name)
		}
		if next == nil {
			loc.Exact = false
			return loc
		}
		loc = Location{Value: next, Key: key, Exact: true}
	}
	return loc
}

type pathToken struct {
	name    string
	bracket bool
}

// splitPath splits "spec.containers[0].env[1].valueFrom" or
// "metadata.labels[app.kubernetes.io/name]" into its steps.
func splitPath(p string) []pathToken {
	var out []pathToken
	for len(p) > 0 {
		switch p[0] {
		case '.':
			p = p[1:]
		case '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				end = len(p)
			}
			out = append(out, pathToken{name: p[1:end], bracket: true})
			p = p[min(end+1, len(p)):]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, pathToken{name: p[:end]})
			p = p[end:]
		}
	}
	return out
}

// listItemKeys names the field that identifies an item of a list, by the
// list's field name, where it is not "name": the keys the API server
// merges these lists by.
var listItemKeys = map[string]string{"volumeMounts": "mountPath", "volumeDevices": "devicePath", "items": "path"}

// StablePath rewrites a field path so that it names list items by their
// key instead of their index where the source gives one:
// "spec.containers[0].env[2].valueFrom" becomes
// "spec.containers[name=web].env[name=APP].valueFrom". Inserting or
// reordering items then leaves the paths of the others unchanged, which is
// what fingerprints need. Steps the source does not have are kept as
// written.
func (o *Object) StablePath(path string) string {
	var b strings.Builder
	cur := o.Root
	prev := ""
	for i, step := range splitPath(path) {
		var next *Node
		switch {
		case step.bracket && cur != nil && cur.Kind == SequenceNode:
			idx, err := strconv.Atoi(step.name)
			if err == nil && idx >= 0 && idx < len(cur.Content) {
				next = cur.Content[idx]
			}
			key := listItemKeys[prev]
			if key == "" {
				key = "name"
			}
			if v := next.Get(key); v != nil && v.Kind == ScalarNode && v.Value != "" {
				b.WriteString("[" + key + "=" + v.Value + "]")
			} else {
				b.WriteString("[" + step.name + "]")
			}
		case step.bracket:
			if cur != nil && cur.Kind == MappingNode {
				next = cur.Get(step.name)
			}
			b.WriteString("[" + step.name + "]")
		default:
			if cur != nil && cur.Kind == MappingNode {
				next = cur.Get(step.name)
			}
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(step.name)
		}
		cur, prev = next, step.name
	}
	return b.String()
}
