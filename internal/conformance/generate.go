package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// document builds kind k's object (index into kinds) around a fresh base
// pod spec changed by mutate.
func document(k int, name string, mutate func(obj)) obj {
	spec := basePodSpec()
	mutate(spec)
	o := kinds[k].wrap(name, spec)
	o["apiVersion"], o["kind"] = kinds[k].apiVersion, kinds[k].kind
	return o
}

// wrapper puts an object alone, in a v1 List, or in a typed list whose
// item has no apiVersion and kind (kubectl takes them from the list).
func wrapper(o obj, how int) obj {
	switch how {
	case 1:
		return obj{"apiVersion": "v1", "kind": "List", "items": []any{o}}
	case 2:
		item := obj{}
		for k, v := range o {
			if k != "apiVersion" && k != "kind" {
				item[k] = v
			}
		}
		return obj{"apiVersion": o["apiVersion"], "kind": o["kind"].(string) + "List", "items": []any{item}}
	}
	return o
}

func toYAML(o obj) string {
	b, err := yaml.Marshal(o)
	check(err)
	return string(b)
}

func toJSON(o obj) string {
	b, err := json.MarshalIndent(o, "", "  ")
	check(err)
	return string(b)
}

// generate returns every generated file.
func generate() []file {
	var files []file
	for i, c := range specCases {
		var y, j bytes.Buffer
		for k := range kinds {
			name := fmt.Sprintf("c%03d-%d", i, k)
			o := wrapper(document(k, name, c.mutate), (i+k)%3)
			if k > 0 {
				y.WriteString("---\n")
			}
			y.WriteString(toYAML(o))
			j.WriteString(toJSON(o))
			j.WriteString("\n")
		}
		files = append(files,
			file{name: fmt.Sprintf("case%03d.yaml", i), data: y.Bytes(), what: c.name},
			file{name: fmt.Sprintf("case%03d.json", i), data: j.Bytes(), what: c.name + ", JSON"})
	}
	for i, in := range inputCases {
		for n, data := range in.files() {
			files = append(files, file{name: fmt.Sprintf("input%02d-%d.%s", i, n, in.ext), data: []byte(data), what: in.name})
		}
	}
	return files
}

// replaceLine replaces the first line containing old (trimmed) with lines
// built from its indentation.
func replaceLine(doc, old string, repl func(indent string) string) string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == old || strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- ")) == old {
			indent := l[:len(l)-len(strings.TrimLeft(l, " -"))]
			lines[i] = strings.TrimRight(repl(strings.Repeat(" ", len(indent))), "\n")
			if strings.HasPrefix(strings.TrimLeft(l, " "), "- ") {
				// Keep the list dash of the line.
				lines[i] = l[:len(l)-len(strings.TrimLeft(l, " "))] + "- " + strings.TrimLeft(lines[i], " ")
			}
			return strings.Join(lines, "\n")
		}
	}
	panic("conformance: no line " + old)
}
