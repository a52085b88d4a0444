package loader

import (
	"bytes"
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
// that documents can be read by more than one parser (the block-YAML fast
// path in blockyaml.go, yaml.v3 for everything else, the JSON reader)
// without touching the decoder, the locator or any rule.
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
	// Via is set on the nodes of a copy made for an alias (*name): the
	// alias token itself, where findings on the copy are reported, since
	// that is where the value is used. Line and Col stay those of the
	// anchored original.
	Via *Node
	// index maps the JSON keys of a large mapping to the entry Get
	// returns, built on the first lookup, so that looking up every key of
	// a mapping with many (a finding on each) stays linear.
	index map[string]mapEntryRef
}

type mapEntryRef struct{ k, v *Node }

// indexedLookupMin is the size (keys and values) from which a mapping's
// lookups go through an index: below it a scan is cheaper.
const indexedLookupMin = 32

// IsNull reports whether the node is an implicit YAML null (empty, ~, null).
func (n *Node) IsNull() bool {
	if n == nil {
		return true
	}
	if n.Kind != ScalarNode {
		return false
	}
	if n.Tag != "" {
		// go-yaml v2 resolves by the tag, quoted or not: !!null "" is null.
		s := resolveScalar(n)
		return s.kind == jsonNull && s.err == ""
	}
	if n.Style != Plain {
		return false
	}
	switch n.Value {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// Get returns the value node for key in a mapping node, or nil. It picks
// the entry whose value kubectl keeps (see eachMapEntry): keys compare as
// the JSON keys they become, merge keys (<<) are expanded in place, and of
// repeated keys the last one counts.
func (n *Node) Get(key string) *Node {
	_, v := n.lookup(key)
	return v
}

// KeyNode returns the key node of the entry Get returns, or nil.
func (n *Node) KeyNode(key string) *Node {
	k, _ := n.lookup(key)
	return k
}

func (n *Node) lookup(key string) (k, v *Node) {
	if n == nil || n.Kind != MappingNode {
		return nil, nil
	}
	if len(n.Content) >= indexedLookupMin {
		if n.index == nil {
			n.index = make(map[string]mapEntryRef, len(n.Content)/2)
			eachMapEntry(n, func(kk, vv *Node) {
				if kk.Kind == ScalarNode {
					if s, ok := mapKeyString(kk); ok && (kk.Value == s || kk.Style == Plain) {
						n.index[s] = mapEntryRef{kk, vv} // the last one wins, as in the scan
					}
				}
			})
		}
		e := n.index[key]
		return e.k, e.v
	}
	eachMapEntry(n, func(kk, vv *Node) {
		if kk.Kind == ScalarNode && (kk.Value == key || kk.Style == Plain) {
			if s, ok := mapKeyString(kk); ok && s == key {
				k, v = kk, vv
			}
		}
	})
	return k, v
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

// excessiveAliasing mirrors go-yaml v2's guard, which kubectl's YAML
// conversion applies: a document in which too large a share of the nodes
// comes from alias expansion ("billion laughs") is refused. total counts
// every node produced so far, copied those made for aliases.
func excessiveAliasing(copied, total int) bool {
	if copied <= 100 || total <= 1000 {
		return false
	}
	const low, high = 400_000, 4_000_000
	allowed := 0.99 // up to 400,000 nodes, 99% may come from aliases
	switch {
	case total >= high:
		allowed = 0.10
	case total > low:
		allowed = 0.99 - 0.89*float64(total-low)/float64(high-low)
	}
	return float64(copied)/float64(total) > allowed
}

type convertError struct {
	line, col int
	msg       string
}

// convertYAML3 turns a yaml.v3 document node into dapilint's Node, shifting
// lines by lineOffset (the document's first line in the file minus one)
// and the columns of the document's first line by colShift. An alias
// becomes a copy of the anchored node whose Via is the alias token, so that
// each use of the value has its own findings, reported where it is used.
//
// doc is the document's text: yaml.v3 forgets the non-specific tag "!" (it
// resolves "! 420" to an integer, where go-yaml v2, and so kubectl, keeps
// the string "420"), so the converter looks for it in the text.
func convertYAML3(root *yaml.Node, doc []byte, lineOffset, colShift int) (*Node, *convertError) {
	c := converter{lineOffset: lineOffset, colShift: colShift, done: map[*yaml.Node]*Node{}, busy: map[*yaml.Node]bool{}}
	if bytes.IndexByte(doc, '!') >= 0 {
		c.doc = NewSource("", doc)
	}
	return c.convert(root)
}

type converter struct {
	lineOffset, colShift int
	doc                  *Source // set when the document has a '!' at all
	done                 map[*yaml.Node]*Node
	busy                 map[*yaml.Node]bool
	// copied counts the nodes made for aliases, total all nodes made.
	copied, total int
	excessive     bool
}

// nonSpecificTag reports whether an untagged-looking scalar is written
// with the non-specific tag "!": yaml.v3 places the node at its tag.
func (c *converter) nonSpecificTag(y *yaml.Node) bool {
	if c.doc == nil || y.Line < 1 || y.Line > c.doc.LineCount() {
		return false
	}
	off := c.doc.PosAt(y.Line, y.Column).Offset
	return off < len(c.doc.Data) && c.doc.Data[off] == '!'
}

func (c *converter) pos(y *yaml.Node) (line, col int) {
	col = y.Column
	if y.Line == 1 {
		col += c.colShift
	}
	return y.Line + c.lineOffset, col
}

func (c *converter) convert(y *yaml.Node) (*Node, *convertError) {
	if y.Kind == 0 {
		return nil, nil // an empty document
	}
	for y.Kind == yaml.DocumentNode {
		if len(y.Content) == 0 {
			return nil, nil
		}
		y = y.Content[0]
	}
	line, col := c.pos(y)
	if y.Kind == yaml.AliasNode {
		target := y.Alias
		if target == nil {
			return nil, &convertError{line, col, fmt.Sprintf("unknown anchor %q referenced", y.Value)}
		}
		if c.busy[target] {
			return nil, &convertError{line, col, fmt.Sprintf("anchor %q is used inside itself", y.Value)}
		}
		n, ok := c.done[target]
		if !ok {
			var err *convertError
			if n, err = c.convert(target); err != nil {
				return nil, err
			}
		}
		via := &Node{Kind: ScalarNode, Value: "*" + y.Value, Line: line, Col: col}
		cp := c.copyVia(n, via)
		if c.excessive {
			return nil, &convertError{line, col, "document contains excessive aliasing (kubectl refuses it)"}
		}
		return cp, nil
	}
	c.total++
	n := &Node{Line: line, Col: col}
	if y.Style&yaml.TaggedStyle != 0 {
		n.Tag = y.Tag
	}
	switch y.Kind {
	case yaml.ScalarNode:
		n.Kind = ScalarNode
		n.Value = y.Value
		if n.Tag == "" && c.nonSpecificTag(y) {
			n.Tag = "!"
		}
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
		return nil, &convertError{line, col, fmt.Sprintf("unexpected YAML node kind %d", y.Kind)}
	}
	if y.Anchor != "" {
		c.done[y] = n
	}
	return n, nil
}

// copyVia copies a converted subtree for one use of an alias.
func (c *converter) copyVia(n, via *Node) *Node {
	c.copied++
	c.total++
	if c.excessive || excessiveAliasing(c.copied, c.total) {
		c.excessive = true
		return n
	}
	cp := *n
	cp.Via, cp.index = via, nil
	if n.Content != nil {
		cp.Content = make([]*Node, len(n.Content))
		for i, ch := range n.Content {
			cp.Content[i] = c.copyVia(ch, via)
		}
	}
	return &cp
}
