package loader

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// NodeKind says what a Node holds.
type NodeKind uint8

// The kinds of node in a parsed document.
const (
	ScalarNode NodeKind = iota + 1
	MappingNode
	SequenceNode
)

// ScalarStyle is how a scalar was written; it decides how the scalar resolves
// (a quoted 0644 is a string, a plain one the integer 420).
type ScalarStyle uint8

// The scalar styles YAML knows.
const (
	Plain ScalarStyle = iota
	SingleQuoted
	DoubleQuoted
	Literal
	Folded
)

// Node is one node of a parsed YAML document with its source position.
//
// dapilint keeps its own node type rather than handing yaml.v3's around so
// that the parser behind it can be replaced (yaml.v3 parses at roughly
// 4 MB/s on one core, well below the tool's throughput target) without
// touching the decoder, the locator or any rule.
type Node struct {
	Kind  NodeKind
	Style ScalarStyle
	Flow  bool // a mapping or sequence written in flow style ({...} or [...])
	// JSON marks a scalar read from a JSON document. A plain one's text is
	// already a JSON literal and is passed on as is (1e3 stays 1e3); fixes
	// write JSON, not YAML, in its place.
	JSON  bool
	Tag   string // explicit tag as written (e.g. "!!str"); "" when implicit
	Value string // scalar value, unquoted and unescaped
	Line  int    // 1-based line in the file
	Col   int    // 1-based column, counted in characters
	// Content holds a sequence's items, or a mapping's keys and values
	// interleaved (key, value, key, value, ...).
	Content []*Node
}

// IsNull reports whether the node is an implicit YAML null (empty, ~, null).
func (n *Node) IsNull() bool {
	if n == nil {
		return true
	}
	if n.Kind != ScalarNode || n.Style != Plain {
		return false
	}
	if n.Tag != "" {
		return n.Tag == "!!null"
	}
	switch n.Value {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// Get returns the value node for key in a mapping node, or nil. Merge keys
// (<<) are followed, explicit keys taking precedence as YAML requires.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	// Of repeated keys the last one counts, as in kubectl's YAML-to-JSON
	// conversion.
	var merged, found *Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != ScalarNode {
			continue
		}
		if k.Value == key && !isMergeKey(k) {
			found = n.Content[i+1]
		}
		if merged == nil && isMergeKey(k) {
			merged = n.Content[i+1]
		}
	}
	if found != nil {
		return found
	}
	if merged != nil {
		for _, m := range mergeSources(merged) {
			if v := m.Get(key); v != nil {
				return v
			}
		}
	}
	return nil
}

// KeyNode returns the key node for key in a mapping node, or nil.
func (n *Node) KeyNode(key string) *Node {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	var found *Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == ScalarNode && k.Value == key && !isMergeKey(k) {
			found = k
		}
	}
	return found
}

func isMergeKey(k *Node) bool {
	return k.Kind == ScalarNode && k.Value == "<<" && k.Style == Plain && (k.Tag == "" || k.Tag == "!!merge")
}

// mergeSources returns the mappings a merge key's value names: one mapping,
// or a sequence of them (earlier ones take precedence).
func mergeSources(v *Node) []*Node {
	switch v.Kind {
	case MappingNode:
		return []*Node{v}
	case SequenceNode:
		var out []*Node
		for _, c := range v.Content {
			if c.Kind == MappingNode {
				out = append(out, c)
			}
		}
		return out
	}
	return nil
}

// convertYAML3 turns a yaml.v3 document node into dapilint's Node, shifting
// lines by lineOffset (the document's first line in the file minus one).
// Aliases become the anchored node itself, so positions found through an
// alias point at the anchor, as in actionlint.
func convertYAML3(root *yaml.Node, lineOffset int) (*Node, error) {
	c := converter{lineOffset: lineOffset, done: map[*yaml.Node]*Node{}, busy: map[*yaml.Node]bool{}}
	return c.convert(root)
}

type converter struct {
	lineOffset int
	done       map[*yaml.Node]*Node
	busy       map[*yaml.Node]bool
}

func (c *converter) convert(y *yaml.Node) (*Node, error) {
	if y.Kind == 0 {
		return nil, nil // an empty document
	}
	for y.Kind == yaml.DocumentNode {
		if len(y.Content) == 0 {
			return nil, nil
		}
		y = y.Content[0]
	}
	if y.Kind == yaml.AliasNode {
		target := y.Alias
		if target == nil {
			return nil, fmt.Errorf("line %d: unknown anchor %q referenced", y.Line+c.lineOffset, y.Value)
		}
		if c.busy[target] {
			return nil, fmt.Errorf("line %d: anchor %q is used inside itself", y.Line+c.lineOffset, y.Value)
		}
		if n, ok := c.done[target]; ok {
			return n, nil
		}
		return c.convert(target)
	}
	n := &Node{Line: y.Line + c.lineOffset, Col: y.Column}
	if y.Style&yaml.TaggedStyle != 0 {
		n.Tag = y.Tag
	}
	switch y.Kind {
	case yaml.ScalarNode:
		n.Kind = ScalarNode
		n.Value = y.Value
		switch {
		case y.Style&yaml.DoubleQuotedStyle != 0:
			n.Style = DoubleQuoted
		case y.Style&yaml.SingleQuotedStyle != 0:
			n.Style = SingleQuoted
		case y.Style&yaml.LiteralStyle != 0:
			n.Style = Literal
		case y.Style&yaml.FoldedStyle != 0:
			n.Style = Folded
		}
	case yaml.MappingNode, yaml.SequenceNode:
		n.Kind = MappingNode
		if y.Kind == yaml.SequenceNode {
			n.Kind = SequenceNode
		}
		n.Flow = y.Style&yaml.FlowStyle != 0
		c.busy[y] = true
		n.Content = make([]*Node, len(y.Content))
		for i, yc := range y.Content {
			cn, err := c.convert(yc)
			if err != nil {
				return nil, err
			}
			n.Content[i] = cn
		}
		delete(c.busy, y)
	default:
		return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, y.Kind)
	}
	if y.Anchor != "" {
		c.done[y] = n
	}
	return n, nil
}
