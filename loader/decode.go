package loader

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/resource"
	kjson "sigs.k8s.io/json"
)

// The decoder turns a Node tree into a typed k8s.io/api value with the
// semantics kubectl and the API server give the same text: YAML 1.1 scalars
// (see resolveScalar), JSON decoding as sigs.k8s.io/json does it (case
// sensitive field names, strict about unknown fields), and the types' own
// UnmarshalJSON for quantities, int-or-strings and times.
//
// Unlike the real decoder it does not stop at the first error: a bad value
// is reported with its exact position and left at its zero value, so the
// rest of the object (its Downward API usage in particular) is still
// checked. A differential test holds it to sigs.k8s.io/yaml +
// sigs.k8s.io/json on every fixture.
type decoder struct {
	problems []Problem
	path     []pathStep
	// lenient skips unknown-field reports (used for apiVersions the server no
	// longer serves, whose fields differ from the v1 types).
	lenient bool
	// budget bounds the nodes decoded, so that aliases nested to expand
	// exponentially ("billion laughs") cannot stall a run.
	budget int
	// custom is set for a custom resource's pod templates, whose schema
	// (the CRD's) dapilint does not know: messages say what happens then.
	custom bool
}

// maxDecodedNodes is the most nodes one object may expand to through
// aliases; real manifests stay far below it.
const maxDecodedNodes = 1_000_000

type pathStep struct {
	name  string
	index int // -1 when the step is a field or a key
	key   bool
}

func (d *decoder) pathString() string {
	var b strings.Builder
	for i, s := range d.path {
		switch {
		case s.index >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case s.key:
			b.WriteByte('[')
			b.WriteString(s.name)
			b.WriteByte(']')
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

func (d *decoder) report(kind ProblemKind, n *Node, msg string) *Problem {
	d.problems = append(d.problems, Problem{Kind: kind, Path: d.pathString(), Node: n, Message: msg})
	return &d.problems[len(d.problems)-1]
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	quantityType    = reflect.TypeFor[resource.Quantity]()
)

var unmarshalers sync.Map // reflect.Type → bool: *T implements json.Unmarshaler

// hasUnmarshaler reports whether *t has its own UnmarshalJSON (asking
// reflect each time costs more than the rest of decoding a value).
func hasUnmarshaler(t reflect.Type) bool {
	if u, ok := unmarshalers.Load(t); ok {
		return u.(bool)
	}
	u := reflect.PointerTo(t).Implements(unmarshalerType)
	unmarshalers.Store(t, u)
	return u
}

// decode fills v (addressable) from n.
func (d *decoder) decode(n *Node, v reflect.Value) {
	if d.budget++; d.budget > maxDecodedNodes {
		if d.budget == maxDecodedNodes+1 {
			d.report(SyntaxError, n, "the document expands to more than a million nodes through aliases; dapilint stops decoding it here")
		}
		return
	}
	t := v.Type()
	if t.Kind() != reflect.Pointer && hasUnmarshaler(t) {
		d.unmarshaler(n, v)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if n.IsNull() {
			v.Set(reflect.Zero(t))
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		before := len(d.problems)
		d.decode(n, v.Elem())
		if len(d.problems) > before && d.problems[before].Node == n && d.problems[before].Kind == WrongType {
			// The value itself was of the wrong type (valueFrom: 7): leave
			// the field unset rather than present, and empty, to rules.
			v.Set(reflect.Zero(t))
		}
	case reflect.Struct:
		d.structValue(n, v)
	case reflect.Map:
		d.mapValue(n, v)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			d.generic(n, v)
			return
		}
		d.sliceValue(n, v)
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		d.scalarValue(n, v)
	default:
		d.generic(n, v)
	}
}

func (d *decoder) structValue(n *Node, v reflect.Value) {
	if n.IsNull() {
		return
	}
	if n.Kind != MappingNode {
		d.wrongType(n, v.Type())
		return
	}
	info := structInfoOf(v.Type())
	for _, e := range d.entries(n) {
		f, ok := info.fields[e.key]
		if !ok {
			if !d.lenient {
				d.unknownField(n, e.k, e.key, info)
			}
			continue
		}
		d.path = append(d.path, pathStep{name: e.key, index: -1})
		d.decode(e.v, fieldByIndex(v, f))
		d.path = d.path[:len(d.path)-1]
	}
}

type mapEntry struct {
	key  string
	k, v *Node
}

// entries returns a mapping's entries as the YAML-to-JSON conversion sees
// them: merge keys expanded, keys converted to strings, and only the last
// of several entries with the same key (the one kubectl keeps). Keys the
// mapping itself writes twice are reported (see checkDuplicates).
func (d *decoder) entries(n *Node) []mapEntry {
	var out []mapEntry
	eachMapEntry(n, func(k, v *Node) {
		key, ok := mapKeyString(k)
		if !ok {
			d.report(WrongType, k, "a mapping key must be a string, got "+describe(k))
			return
		}
		out = append(out, mapEntry{key, k, v})
	})
	if len(out) < 2 {
		return out
	}
	if len(out) <= smallMapping && !repeatsKey(out) {
		// Small mappings, nearly all of them: the keys compared pairwise
		// rather than through a map.
		return out
	}
	last := make(map[string]int, len(out))
	for i, e := range out {
		last[e.key] = i
	}
	if len(last) == len(out) {
		return out
	}
	// Only a mapping whose JSON keys repeat can have a duplicate key of its
	// own (the others come from merge keys).
	d.checkDuplicates(n)
	kept := out[:0]
	for i, e := range out {
		if last[e.key] == i {
			kept = append(kept, e)
		}
	}
	return kept
}

// smallMapping is the most entries a mapping may have for its keys to be
// compared pairwise instead of through a map.
const smallMapping = 8

func repeatsKey(es []mapEntry) bool {
	for i := 1; i < len(es); i++ {
		for j := range i {
			if es[i].key == es[j].key {
				return true
			}
		}
	}
	return false
}

func (d *decoder) mapValue(n *Node, v reflect.Value) {
	if n.IsNull() {
		return
	}
	t := v.Type()
	if n.Kind != MappingNode || t.Key().Kind() != reflect.String {
		if n.Kind == MappingNode {
			d.generic(n, v)
			return
		}
		d.wrongType(n, t)
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(n.Content)/2))
	}
	for _, e := range d.entries(n) {
		elem := reflect.New(t.Elem()).Elem()
		before := len(d.problems)
		d.path = append(d.path, pathStep{name: e.key, index: -1, key: true})
		d.decode(e.v, elem)
		d.path = d.path[:len(d.path)-1]
		if len(d.problems) > before && e.v.Kind == ScalarNode {
			// Leave a bad entry out rather than keep a zero value that
			// rules would read as if it had been written (a zero limit).
			continue
		}
		v.SetMapIndex(reflect.ValueOf(e.key).Convert(t.Key()), elem)
	}
}

func (d *decoder) sliceValue(n *Node, v reflect.Value) {
	if n.IsNull() {
		v.Set(reflect.Zero(v.Type()))
		return
	}
	if n.Kind != SequenceNode {
		d.wrongType(n, v.Type())
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.path = append(d.path, pathStep{index: i})
		d.decode(c, s.Index(i))
		d.path = d.path[:len(d.path)-1]
	}
	v.Set(s)
}

func (d *decoder) scalarValue(n *Node, v reflect.Value) {
	if n.Kind != ScalarNode {
		d.wrongType(n, v.Type())
		return
	}
	s := resolveScalar(n)
	if s.err != "" {
		d.report(WrongType, n, s.err)
		return
	}
	if s.kind == jsonNull {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s.kind != jsonString {
			p := d.wrongType(n, v.Type())
			// The text as written, now a string: the author's characters
			// are kept, only their type changes.
			repl := StringScalar(n.Value)
			p.Replacement, p.FixMessage = &repl, "quote it: "+strconv.Quote(n.Value)
			return
		}
		v.SetString(s.text)
	case reflect.Bool:
		if s.kind != jsonBool {
			d.wrongType(n, v.Type())
			return
		}
		v.SetBool(s.text == "true")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if s.kind != jsonNumber {
			p := d.wrongType(n, v.Type())
			if s.kind == jsonString {
				r := resolvePlain(s.text, false)
				if _, err := strconv.ParseInt(r.text, 10, v.Type().Bits()); r.kind == jsonNumber && r.err == "" && err == nil {
					repl := NumberScalar(s.text)
					p.Replacement, p.FixMessage = &repl, "remove the quotes: "+s.text
					// "420" is 420; "0644" unquoted is octal to YAML,
					// "1_000" is 1000: the number may not be the one meant.
					p.FixUnsafe = r.text != s.text
				}
			}
			return
		}
		i, err := strconv.ParseInt(s.text, 10, v.Type().Bits())
		if err != nil {
			d.report(WrongType, n, fmt.Sprintf("%s is not a valid %s: the API server cannot decode the number %s", describe(n), v.Type().Kind(), s.text))
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if s.kind != jsonNumber {
			d.wrongType(n, v.Type())
			return
		}
		u, err := strconv.ParseUint(s.text, 10, v.Type().Bits())
		if err != nil {
			d.report(WrongType, n, fmt.Sprintf("%s is not a valid %s: the API server cannot decode the number %s", describe(n), v.Type().Kind(), s.text))
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		if s.kind != jsonNumber {
			d.wrongType(n, v.Type())
			return
		}
		f, err := strconv.ParseFloat(s.text, v.Type().Bits())
		if err != nil {
			d.report(WrongType, n, fmt.Sprintf("%s is out of range for %s", describe(n), v.Type().Kind()))
			return
		}
		v.SetFloat(f)
	}
}

// unmarshaler decodes types with their own UnmarshalJSON (Quantity,
// IntOrString, Time, ...) by handing them the JSON text kubectl would send.
func (d *decoder) unmarshaler(n *Node, v reflect.Value) {
	b, ok := appendJSON(nil, n)
	if !ok {
		d.report(WrongType, n, describe(n)+" cannot be represented in JSON")
		return
	}
	err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b)
	if err == nil {
		return
	}
	if v.Type() == quantityType {
		d.badQuantity(n, err)
		return
	}
	d.report(WrongType, n, fmt.Sprintf("invalid value %s for %s: %v", describe(n), v.Type().String(), err))
}

// generic decodes anything the decoder has no special case for through the
// real JSON decoder.
func (d *decoder) generic(n *Node, v reflect.Value) {
	b, ok := appendJSON(nil, n)
	if !ok {
		d.report(WrongType, n, describe(n)+" cannot be represented in JSON")
		return
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(b, v.Addr().Interface()); err != nil {
		d.report(WrongType, n, fmt.Sprintf("invalid value %s: %v", describe(n), err))
	}
}

func (d *decoder) wrongType(n *Node, t reflect.Type) *Problem {
	got := describe(n)
	name := d.lastName()
	// Plain words: the Go decoder's own ("cannot unmarshal array into a
	// Go value of type string") is in DA004's documentation.
	msg := fmt.Sprintf("%s must be %s, got %s; the API server cannot decode the object", name, expectedOf(t), got)
	if d.custom {
		msg = fmt.Sprintf("%s must be %s, got %s; the CRD's schema rejects the object, or its controller cannot decode the template", name, expectedOf(t), got)
	}
	return d.report(WrongType, n, msg)
}

func (d *decoder) lastName() string {
	for i := len(d.path) - 1; i >= 0; i-- {
		if d.path[i].index < 0 {
			if d.path[i].key {
				return fmt.Sprintf("the value of %q", d.path[i].name)
			}
			if i == len(d.path)-1 {
				return fmt.Sprintf("%q", d.path[i].name)
			}
			return fmt.Sprintf("each item of %q", d.path[i].name)
		}
	}
	return "the document"
}

func (d *decoder) unknownField(mapping, k *Node, key string, info *structInfo) {
	msg := fmt.Sprintf("unknown field %q", key)
	if p := d.pathString(); p != "" {
		msg += " in " + p
	}
	p := d.report(UnknownField, k, "")
	if p.Path == "" {
		p.Path = key
	} else {
		p.Path += "." + key
	}
	if s := info.closest(key); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
		if mapping.Get(s) == nil { // renaming must not make a duplicate key
			v := StringScalar(s)
			p.Replacement, p.FixMessage = &v, "rename the key to "+s
		}
	} else if where := info.childHaving(key); where != "" {
		msg += fmt.Sprintf("; %q is a field of %q: is it indented at the wrong level?", key, where)
	}
	if d.custom {
		p.Message = msg + " (the pods never get it: the CRD's schema rejects the object or drops the field)"
		return
	}
	p.Message = msg + " (kubectl's strict decoding rejects the object)"
}

// checkDuplicates reports keys written twice in one mapping. Keys compare
// as the JSON keys they become, so value: and "value": are the same key;
// keys brought in by a merge key (<<) are not duplicates (the mapping's own
// entries override them).
func (d *decoder) checkDuplicates(n *Node) {
	seen := make(map[string]int, len(n.Content)/2) // key → index of its first entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != ScalarNode || isMergeKey(k) {
			continue
		}
		key, ok := mapKeyString(k)
		if !ok {
			continue
		}
		j, dup := seen[key]
		if !dup {
			seen[key] = i
			continue
		}
		prev := n.Content[j]
		d.path = append(d.path, pathStep{name: key, index: -1})
		if sameNode(n.Content[j+1], n.Content[i+1]) {
			p := d.report(DuplicateKey, k, fmt.Sprintf("duplicate key %q repeats the value it has at line %d: remove this one", key, prev.Line))
			p.Repeated = true
		} else {
			d.report(DuplicateKey, k, fmt.Sprintf("duplicate key %q is already set at line %d to another value; kubectl keeps this one (strict validation rejects the duplicate): remove the one you do not mean", key, prev.Line))
		}
		d.path = d.path[:len(d.path)-1]
	}
}

// sameNode reports whether two values are written the same way, ignoring
// their positions and layout: same kinds, same scalars (a quoted "1" and a
// plain 1 differ), same items and keys in the same order.
func sameNode(a, b *Node) bool {
	if a == b {
		return true // one anchored node reached twice: no need to walk it
	}
	if a == nil || b == nil {
		return false
	}
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || (a.Style == Plain) != (b.Style == Plain) || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

func (d *decoder) badQuantity(n *Node, err error) {
	text := n.Value
	why := err.Error()
	if errors.Is(err, resource.ErrFormatWrong) {
		// Its message is the regular expression.
		why = "a quantity is a number and an optional suffix (m, k, M, Ki, Mi, Gi, …)"
	}
	msg := fmt.Sprintf("invalid quantity %q: %s", text, why)
	var repl string
	if n.Kind == ScalarNode {
		if s := suggestQuantity(text); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
			repl = s
		}
	}
	if d.custom {
		msg += " (the CRD's schema rejects the object, or its controller cannot decode the template)"
	} else {
		msg += " (the API server refuses the whole object)"
	}
	p := d.report(InvalidQuantity, n, msg)
	if repl != "" {
		v := StringScalar(repl)
		p.Replacement, p.FixMessage = &v, "write "+repl
	}
}

// suggestQuantity fixes the commonest quantity typos: a suffix in the wrong
// case (100ki, 1K, 2gi) or with a byte unit (512MB, 1GiB).
func suggestQuantity(s string) string {
	i := 0
	for i < len(s) && (s[i] == '+' || s[i] == '-' || s[i] == '.' || (s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	if i == 0 || i == len(s) {
		return ""
	}
	num, suf := s[:i], s[i:]
	fixes := map[string]string{
		"ki": "Ki", "mi": "Mi", "gi": "Gi", "ti": "Ti", "pi": "Pi", "ei": "Ei",
		"kib": "Ki", "mib": "Mi", "gib": "Gi", "tib": "Ti", "pib": "Pi", "eib": "Ei",
		"kb": "k", "mb": "M", "gb": "G", "tb": "T", "pb": "P", "eb": "E",
		"k": "k", "g": "G", "t": "T", "p": "P",
	}
	if f, ok := fixes[strings.ToLower(suf)]; ok && f != suf {
		cand := num + f
		if _, err := resource.ParseQuantity(cand); err == nil {
			return cand
		}
	}
	return ""
}

// describe renders a node for messages: string "abc", number 12, a mapping.
func describe(n *Node) string {
	switch n.Kind {
	case MappingNode:
		return "a mapping"
	case SequenceNode:
		return "a list"
	}
	s := resolveScalar(n)
	switch s.kind {
	case jsonNull:
		return "null"
	case jsonString:
		return "string " + strconv.Quote(n.Value)
	case jsonBool:
		if n.Value != s.text {
			return fmt.Sprintf("boolean %s (YAML 1.1 reads %s as %s)", s.text, n.Value, s.text)
		}
		return "boolean " + s.text
	}
	return "number " + n.Value
}

func expectedOf(t reflect.Type) string {
	if t == quantityType {
		return "a quantity"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return expectedOf(t.Elem())
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	}
	return "a " + t.String()
}

// structInfo is the JSON view of a struct type: its field names, with
// embedded (inline) structs flattened, as encoding/json sees them.
type structInfo struct {
	typ    reflect.Type
	fields map[string][]int
	names  []string
}

var structInfos sync.Map // reflect.Type → *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{typ: t, fields: map[string][]int{}}
	depth := map[string]int{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if d, ok := depth[name]; ok && d <= len(idx) {
				continue
			}
			depth[name] = len(idx)
			if _, ok := si.fields[name]; !ok {
				si.names = append(si.names, name)
			}
			si.fields[name] = idx
		}
	}
	walk(t, nil)
	actual, _ := structInfos.LoadOrStore(t, si)
	return actual.(*structInfo)
}

// closest suggests a known field for a misspelt one: same letters in
// another case first, then the nearest by edit distance.
func (si *structInfo) closest(key string) string {
	for _, n := range si.names {
		if strings.EqualFold(n, key) {
			return n
		}
	}
	return Closest(key, si.names, 2)
}

// childHaving returns the name of a struct-typed field whose type has a
// field named key: "volumes" at the top of a Pod belongs in "spec".
func (si *structInfo) childHaving(key string) string {
	for _, name := range si.names {
		ft := si.typ.FieldByIndex(si.fields[name]).Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct || ft == quantityType {
			continue
		}
		if _, ok := structInfoOf(ft).fields[key]; ok {
			return name
		}
	}
	return ""
}

func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}
