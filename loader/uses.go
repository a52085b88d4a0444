package loader

import (
	"bytes"
	"regexp"
)

// usesBudget bounds the nodes Uses visits: a document that expands to more
// (an alias bomb) counts every scalar as used too often to be edited.
const usesBudget = 1 << 20

// Uses returns how many times the file's documents use the scalar n once
// aliases are expanded: 1 for an ordinary value, more for an anchored
// value (&m) that aliases (*m) repeat, directly or inside an aliased
// mapping. An edit of n changes every use, so a fix may edit it only when
// every use asks for the same edit.
//
// Uses are counted by position, so that the count is the same whether an
// alias shares the anchored node or copies it.
func (f *File) Uses(n *Node) int {
	if n == nil || n.Kind != ScalarNode {
		return 1
	}
	if f.uses == nil {
		f.countUses()
	}
	if f.uses[usesOverflow] > 0 {
		return usesBudget
	}
	return max(f.uses[Pos{Line: n.Line, Col: n.Col}], 1)
}

// aliasToken is a YAML alias (*name) where a value or an item starts.
var aliasToken = regexp.MustCompile(`(?m)(?:^|[\s\[{,:-])\*[^\s,\[\]{}]`)

// mayHaveAliases is a quick test that rules out most files: an alias needs
// an anchor (&name) and an alias token.
func mayHaveAliases(data []byte) bool {
	return bytes.IndexByte(data, '&') >= 0 && aliasToken.Match(data)
}

// usesOverflow marks a file whose expansion exceeded the budget.
var usesOverflow = Pos{Line: -1}

func (f *File) countUses() {
	f.uses = map[Pos]int{}
	if !mayHaveAliases(f.Source.Data) {
		return // no alias: every scalar is used once
	}
	visits := 0
	var walk func(n *Node) bool
	walk = func(n *Node) bool {
		if visits++; visits > usesBudget {
			return false
		}
		if n.Kind == ScalarNode {
			f.uses[Pos{Line: n.Line, Col: n.Col}]++
		}
		for _, c := range n.Content {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	for _, r := range f.roots {
		if !walk(r) {
			f.uses[usesOverflow] = 1
			return
		}
	}
}
