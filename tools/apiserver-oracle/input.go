package main

// How kubectl reads a file before anything reaches the API server
// (k8s.io/cli-runtime resource.Builder with .Unstructured().Flatten(), as
// `kubectl apply -f` and `kubectl create -f` use it):
//
//  1. k8s.io/apimachinery/pkg/util/yaml.YAMLOrJSONDecoder splits the stream.
//     If the first 4096 bytes are blank up to a '{', it is read as a stream of
//     JSON values; when the first or second value fails to parse, the decoder
//     falls back to YAML from the end of the last value it read (so a .json
//     file with "defaultMode": 0644 or a trailing comma is YAML to kubectl).
//     Otherwise the stream is YAML documents split at "---" lines, each
//     converted to JSON by sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 scalars).
//  2. Each document is decoded by unstructured.UnstructuredJSONScheme:
//     numbers become int64 or float64, a repeated key keeps its last value,
//     and any object with an "items" key is a list whose items without
//     apiVersion and kind get the list's apiVersion and its kind without
//     "List" (a DeploymentList's items are Deployments).
//  3. The REST mapping of each kind comes from discovery: an unknown kind in
//     a served group version is "no matches for kind"; discovery also maps
//     the all-lower-case kind ("pod"), which the server then refuses.
//  4. Lists are flattened, and each object is encoded again as JSON by the
//     same scheme: that JSON is the request body the API server decodes.
//
// The oracle does the same with the same code (steps 2 and 4 literally call
// UnstructuredJSONScheme), except that it goes on after a document that does
// not parse, where kubectl stops, so that every document gets a verdict.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// document is one document of an input file, as JSON.
type document struct {
	raw  []byte // JSON; nil when err != nil
	line int    // 1-based line of the document's first content line
	err  error  // syntax error of this document
	json bool   // read as JSON (not converted from YAML)
}

// jsonSniffLen is the buffer size kubectl's StreamVisitor gives
// NewYAMLOrJSONDecoder: how far it looks for the opening '{'.
const jsonSniffLen = 4096

// splitDocuments splits a stream the way YAMLOrJSONDecoder does. A
// document that does not parse is returned with its error, and splitting
// goes on after it where that is possible (kubectl would stop there).
func splitDocuments(data []byte) []document {
	sniff := data[:min(len(data), jsonSniffLen)]
	if !bytes.HasPrefix(bytes.TrimLeftFunc(sniff, unicode.IsSpace), []byte("{")) {
		return splitYAML(data, 0)
	}
	var docs []document
	dec := json.NewDecoder(bytes.NewReader(data))
	consumed := 0
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return docs
		}
		start := consumed
		for start < len(data) && strings.IndexByte(" \t\r\n", data[start]) >= 0 {
			start++
		}
		line := 1 + bytes.Count(data[:start], []byte("\n"))
		if err == nil {
			docs = append(docs, document{raw: raw, line: line, json: true})
			consumed = int(dec.InputOffset())
			continue
		}
		jsonErr := fmt.Errorf("json: %w", err)
		if len(docs) > 1 {
			// More than one JSON value decoded: an unambiguous JSON stream,
			// and the decoder returns the error (kubectl stops here).
			return append(docs, document{line: line, err: jsonErr, json: true})
		}
		// Fall back to YAML from the end of the last JSON value, after the
		// blanks up to and including the first newline.
		rest := consumeWhitespace(data, consumed)
		ydocs := splitYAML(data[rest:], bytes.Count(data[:rest], []byte("\n")))
		if len(ydocs) > 0 && ydocs[0].err != nil {
			// Both decoders failed on this document: the decoder returns
			// the JSON error.
			ydocs[0].err, ydocs[0].json = jsonErr, true
		}
		return append(docs, ydocs...)
	}
}

// consumeWhitespace mirrors YAMLOrJSONDecoder.consumeWhitespace: it skips
// Unicode blanks from off up to and including the first newline.
func consumeWhitespace(data []byte, off int) int {
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError || !unicode.IsSpace(r) {
			return off
		}
		off += size
		if r == '\n' {
			return off
		}
	}
	return off
}

// splitYAML splits YAML documents at "---" lines exactly as
// k8s.io/apimachinery/pkg/util/yaml.YAMLReader does, and converts each with
// sigs.k8s.io/yaml. lineOffset is the number of lines before data in the
// file.
func splitYAML(data []byte, lineOffset int) []document {
	var docs []document
	lines := bytes.SplitAfter(data, []byte("\n"))
	var buf bytes.Buffer
	first := 0
	flush := func() {
		if buf.Len() == 0 {
			return
		}
		d := document{line: first}
		if first == 0 {
			d.line = lineOffset + 1
		}
		var ext runtime.RawExtension
		if err := yaml.Unmarshal(buf.Bytes(), &ext); err != nil {
			d.err = err
		} else {
			d.raw = ext.Raw
		}
		docs = append(docs, d)
		buf.Reset()
		first = 0
	}
	for i, line := range lines {
		if bytes.HasPrefix(line, []byte("---")) {
			rest := strings.TrimSpace(string(line[3:]))
			if rest != "" && rest[0] != '#' {
				// YAMLReader aborts the whole stream here.
				flush()
				docs = append(docs, document{line: lineOffset + i + 1, err: fmt.Errorf("invalid Yaml document separator: %s", rest)})
				return docs
			}
			if buf.Len() != 0 {
				flush()
				continue
			}
			// A separator with nothing buffered yet is kept as the document
			// start marker, as YAMLReader does.
		}
		if first == 0 {
			t := strings.TrimSpace(string(line))
			if t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "---") {
				first = lineOffset + i + 1
			}
		}
		buf.Write(line)
	}
	flush()
	return docs
}

// processFile gives every object of a file its verdict.
func processFile(name string, data []byte) []result {
	var results []result
	doc := 0
	for _, d := range splitDocuments(data) {
		if d.err != nil {
			prefix := "yaml: "
			if d.json {
				prefix = ""
			}
			results = append(results, result{File: name, Doc: doc, Line: d.line, Rejected: true, Errors: []fieldError{}, DecodeError: prefix + d.err.Error()})
			doc++
			continue
		}
		t := bytes.TrimSpace(d.raw)
		if len(t) == 0 || bytes.Equal(t, []byte("null")) {
			continue // empty or comment-only document: kubectl skips it too
		}
		for _, r := range kubectlObjects(t) {
			r.File, r.Doc, r.Line = name, doc, d.line
			results = append(results, r)
		}
		doc++
	}
	return results
}

// kubectlObjects decodes one document as kubectl does and validates each
// object it holds (one, or a list's items).
func kubectlObjects(raw []byte) []result {
	obj, _, err := unstructured.UnstructuredJSONScheme.Decode(raw, nil, nil)
	if err != nil {
		// Not a Kubernetes object (no kind, not a mapping): kubectl refuses
		// it, and so would the oracle's caller; dapilint skips such YAML
		// (values files, CI configs). Report it as skipped.
		return []result{{Errors: []fieldError{}, Skipped: "not a Kubernetes object: " + firstLine(err.Error())}}
	}
	list, ok := obj.(*unstructured.UnstructuredList)
	if !ok {
		return []result{validateObject(obj.(*unstructured.Unstructured))}
	}
	gvk := list.GroupVersionKind()
	if r, refused := checkKind(gvk.GroupVersion().String(), gvk.Kind, true); refused {
		return []result{r}
	}
	out := make([]result, 0, len(list.Items))
	for i := range list.Items {
		r := validateObject(&list.Items[i])
		r.Item = ptr(i)
		out = append(out, r)
	}
	return out
}

// validateObject encodes an object as kubectl sends it and validates that.
func validateObject(u *unstructured.Unstructured) result {
	body, err := runtime.Encode(unstructured.UnstructuredJSONScheme, u)
	if err != nil {
		return result{Errors: []fieldError{}, Rejected: true, DecodeError: "kubectl cannot encode the object: " + err.Error()}
	}
	return validateDoc(body)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
