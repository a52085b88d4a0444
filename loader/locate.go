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
			next, key = cur.Get(step.name), cur.KeyNode(step.name)
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
