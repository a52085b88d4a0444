package loader

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// jsonKind is the JSON type a YAML scalar turns into on its way to the API
// server.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
)

func (k jsonKind) String() string {
	switch k {
	case jsonNull:
		return "null"
	case jsonBool:
		return "boolean"
	case jsonNumber:
		return "number"
	}
	return "string"
}

// scalar is a resolved YAML scalar: its JSON kind, and its JSON text for
// numbers and booleans or its string value for strings.
type scalar struct {
	kind jsonKind
	text string
	err  string // set when the scalar cannot be represented in JSON at all
}

// resolveScalar resolves a scalar node exactly as kubectl does: the node is
// read by sigs.k8s.io/yaml, i.e. go-yaml v2 with YAML 1.1 rules (yes/no/on/off
// are booleans, 0644 is octal, 1_000 is 1000), and the value is then encoded
// as JSON by encoding/json. The rules below mirror go-yaml v2's resolve()
// and are checked against the real conversion by a differential test.
func resolveScalar(n *Node) scalar {
	if n.JSON {
		switch {
		case n.Style != Plain:
			return scalar{kind: jsonString, text: n.Value}
		case n.Value == "true" || n.Value == "false":
			return scalar{kind: jsonBool, text: n.Value}
		case n.Value == "null":
			return scalar{kind: jsonNull, text: n.Value}
		}
		return kubectlNumber(n.Value)
	}
	if n.Style != Plain && n.Tag == "" {
		// Quoted and block scalars without a tag are strings.
		return scalar{kind: jsonString, text: n.Value}
	}
	// go-yaml v2 resolves a tagged scalar by its tag, quoted or not:
	// !!int "0644" is 420, and !!null "" is null.
	switch n.Tag {
	case "":
	case "!!str":
		return scalar{kind: jsonString, text: n.Value}
	case "!!binary":
		return binaryScalar(n.Value)
	case "!!bool", "!!int", "!!float", "!!null", "!!timestamp":
		s := resolvePlain(n.Value, n.Tag == "!!timestamp")
		if !tagAccepts(n.Tag, n.Value, s) {
			return scalar{kind: jsonString, err: "cannot decode " + n.Value + " as " + n.Tag}
		}
		return s
	default:
		// Unknown tags leave the value as a string (go-yaml v2).
		return scalar{kind: jsonString, text: n.Value}
	}
	return resolvePlain(n.Value, true)
}

func tagAccepts(tag, value string, s scalar) bool {
	switch tag {
	case "!!bool":
		return s.kind == jsonBool
	case "!!int":
		// An integer, not a float (go-yaml v2 refuses !!int 1.5).
		plain := strings.ReplaceAll(value, "_", "")
		_, ierr := strconv.ParseInt(plain, 0, 64)
		_, uerr := strconv.ParseUint(plain, 0, 64)
		return s.kind == jsonNumber && (ierr == nil || uerr == nil || strings.HasPrefix(strings.TrimPrefix(plain, "-"), "0b"))
	case "!!float":
		return s.kind == jsonNumber
	case "!!null":
		return s.kind == jsonNull
	case "!!timestamp":
		return s.kind == jsonString
	}
	return true
}

func binaryScalar(v string) scalar {
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
	if err != nil {
		return scalar{kind: jsonString, err: "invalid base64 in !!binary value"}
	}
	return scalar{kind: jsonString, text: string(b)}
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolvePlain mirrors go-yaml v2's resolve("", in) followed by the JSON
// encoding sigs.k8s.io/yaml applies.
func resolvePlain(in string, timestamps bool) scalar {
	switch in {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return scalar{kind: jsonBool, text: "true"}
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return scalar{kind: jsonBool, text: "false"}
	case "", "~", "null", "Null", "NULL":
		return scalar{kind: jsonNull, text: "null"}
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return scalar{kind: jsonNumber, text: in, err: "the value " + in + " cannot be represented in JSON"}
	case "<<":
		return scalar{kind: jsonString, text: in}
	}
	switch c := in[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return floatScalar(f)
		}
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		if timestamps && looksLikeTimestamp(in) {
			// go-yaml v2 keeps timestamps as strings when decoding into
			// interface{}, which is what sigs.k8s.io/yaml does.
			return scalar{kind: jsonString, text: in}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return scalar{kind: jsonNumber, text: strconv.FormatInt(i, 10)}
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			// Above int64: kubectl's decoding makes it a float64.
			return floatScalar(float64(u))
		}
		if yamlStyleFloat.MatchString(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return floatScalar(f)
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return scalar{kind: jsonNumber, text: strconv.FormatInt(i, 10)}
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return floatScalar(float64(u))
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return scalar{kind: jsonNumber, text: strconv.FormatInt(i, 10)}
			}
		}
	}
	return scalar{kind: jsonString, text: in}
}

// kubectlNumber is what becomes of a JSON number on its way to the API
// server: kubectl decodes every document into an unstructured object,
// where a number is an int64 if it is one and a float64 otherwise, and
// encodes that again. So 1e3 and 1000.0 arrive as 1000, and 0.5 as 0.5.
func kubectlNumber(text string) scalar {
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return scalar{kind: jsonNumber, text: strconv.FormatInt(i, 10)}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return scalar{kind: jsonNumber, text: text, err: "the number " + text + " is out of range: kubectl cannot decode it"}
	}
	return floatScalar(f)
}

func floatScalar(f float64) scalar {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return scalar{kind: jsonNumber, text: strconv.FormatFloat(f, 'g', -1, 64), err: "the value cannot be represented in JSON"}
	}
	b, _ := json.Marshal(f)
	return scalar{kind: jsonNumber, text: string(b)}
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// looksLikeTimestamp is go-yaml v2's parseTimestamp.
func looksLikeTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}

// mapKeyString converts a resolved mapping key to the JSON object key
// sigs.k8s.io/yaml would produce; ok is false for keys it refuses (null,
// large unsigned integers).
func mapKeyString(n *Node) (string, bool) {
	if n.Kind != ScalarNode {
		return "", false
	}
	s := resolveScalar(n)
	switch s.kind {
	case jsonString:
		return s.text, s.err == ""
	case jsonBool:
		return s.text, true
	case jsonNumber:
		if i, err := strconv.ParseInt(s.text, 10, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		if _, err := strconv.ParseUint(s.text, 10, 64); err == nil {
			return "", false
		}
		f, err := strconv.ParseFloat(s.text, 64)
		if err != nil {
			// .inf/.nan keys
			switch strings.ToLower(strings.TrimPrefix(n.Value, "+")) {
			case ".inf":
				return ".inf", true
			case "-.inf":
				return "-.inf", true
			}
			return ".nan", true
		}
		return strconv.FormatFloat(f, 'g', -1, 32), true
	}
	return "", false
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// appendJSON appends the JSON encoding of a node as kubectl would send it.
// It returns false when the node cannot be represented (an error is then
// reported by the caller).
func appendJSON(b []byte, n *Node) ([]byte, bool) {
	switch n.Kind {
	case ScalarNode:
		s := resolveScalar(n)
		if s.err != "" {
			return b, false
		}
		if s.kind == jsonString {
			return appendJSONString(b, s.text), true
		}
		return append(b, s.text...), true
	case SequenceNode:
		b = append(b, '[')
		for i, c := range n.Content {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendJSON(b, c); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case MappingNode:
		b = append(b, '{')
		first := true
		ok := true
		eachMapEntry(n, func(k, v *Node) {
			if !ok {
				return
			}
			key, kok := mapKeyString(k)
			if !kok {
				ok = false
				return
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, key)
			b = append(b, ':')
			b, ok = appendJSON(b, v)
		})
		return append(b, '}'), ok
	}
	return b, false
}

// eachMapEntry calls f for each key and value of a mapping, expanding merge
// keys (<<) in place.
func eachMapEntry(n *Node, f func(k, v *Node)) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			srcs := mergeSources(v)
			// Earlier sources take precedence, so apply them last.
			for j := len(srcs) - 1; j >= 0; j-- {
				eachMapEntry(srcs[j], f)
			}
			continue
		}
		f(k, v)
	}
}
