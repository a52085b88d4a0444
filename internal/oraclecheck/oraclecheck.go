// Package oraclecheck holds dapilint to the API server: it compares
// dapilint's errors on one document with the verdict of the
// apiserver-oracle (tools/apiserver-oracle: the real Kubernetes 1.36
// validation, reading input as kubectl does) on the same document.
//
// It is where dapilint's contract is written down as code: Classify says
// which API server rejections dapilint reports, and under which rule;
// everything else in a pod spec is out of scope. The rule fixtures' tests
// (rules/apiserver_oracle_test.go) and the conformance sweep
// (internal/conformance, make conformance) both use it.
package oraclecheck

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
	corev1 "k8s.io/api/core/v1"
)

// Error is one field error of the oracle's output.
type Error struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
	Origin  string `json:"origin"`
}

// Verdict is one line of the oracle's output: its verdict on one object.
type Verdict struct {
	File         string   `json:"file"`
	Doc          int      `json:"doc"`
	Line         int      `json:"line"`
	Item         *int     `json:"item"`
	APIVersion   string   `json:"apiVersion"`
	Kind         string   `json:"kind"`
	Name         string   `json:"name"`
	Rejected     bool     `json:"rejected"`
	Errors       []Error  `json:"errors"`
	DecodeError  string   `json:"decodeError"`
	StrictErrors []string `json:"strictErrors"`
	Skipped      string   `json:"skipped"`
}

// Key identifies an object in a file: its document and list item (-1 when
// it is not in a list).
type Key struct{ Doc, Item int }

// Key returns the verdict's object key.
func (v Verdict) Key() Key {
	if v.Item != nil {
		return Key{v.Doc, *v.Item}
	}
	return Key{v.Doc, -1}
}

// NeverStart lists the errors dapilint reports beyond the API server, with
// the reason: the API server accepts the object, but its pod can never
// start. They are documented as such (README, docs/rules.md).
var NeverStart = map[string]string{
	"DA205": "a containerName naming no container: the kubelet cannot resolve the reference, so the pod never starts",
	"DA208": "a downwardAPI file path inside another file path of the same volume: the mount fails",
}

// NotRejections are error-severity input rules whose findings the API
// server does not refuse.
var NotRejections = map[string]string{
	"DA003": "a repeated key: kubectl keeps the last value and the API server never sees the first",
}

var (
	envAnchorRE       = regexp.MustCompile(`^(.*\.(?:containers|initContainers|ephemeralContainers)\[\d+\]\.env\[\d+\])(\.|$)`)
	resourcesAnchorRE = regexp.MustCompile(`^(.*\.(?:containers|initContainers)\[\d+\]\.resources)(\.|$|\[)`)
	volumeAnchorRE    = regexp.MustCompile(`^(.*\.volumes\[(\d+)\])(\.|$)`)
	mountAnchorRE     = regexp.MustCompile(`^(.*\.(?:containers|initContainers|ephemeralContainers)\[\d+\]\.volumeMounts\[\d+\])\.name$`)
	notFoundRE        = regexp.MustCompile(`^Not found: "(.*)"$`)
	sourceRE          = regexp.MustCompile(`\.volumes\[(\d+)\]\.projected\.sources\[(\d+)\]`)
)

// Classify maps an API server error to the rules that must report it and
// to the place (a field path prefix) where they must. It returns no rules
// for errors outside dapilint's scope.
func Classify(e Error, obj *loader.Object) (ids []string, anchor string) {
	f := e.Field
	if m := envAnchorRE.FindStringSubmatch(f); m != nil {
		anchor = m[1]
		rest := strings.TrimPrefix(f, anchor)
		switch {
		case strings.HasPrefix(rest, ".valueFrom.resourceFieldRef."):
			return resourceFieldRefRule(f), anchor
		case strings.HasPrefix(rest, ".valueFrom.fieldRef"):
			return fieldRefRule(e), anchor
		case strings.HasPrefix(rest, ".valueFrom.configMapKeyRef."), strings.HasPrefix(rest, ".valueFrom.secretKeyRef."),
			strings.HasPrefix(rest, ".valueFrom.fileKeyRef."):
			return []string{"DA115"}, anchor
		case rest == ".valueFrom":
			return []string{"DA111"}, anchor
		case rest == ".name":
			return []string{"DA113"}, anchor
		}
		return nil, ""
	}
	if m := resourcesAnchorRE.FindStringSubmatch(f); m != nil {
		if strings.Contains(f, ".resources.claims") {
			return nil, "" // dynamic resource claims: out of scope
		}
		return []string{"DA118"}, m[1]
	}
	if m := mountAnchorRE.FindStringSubmatch(f); m != nil {
		if e.Type == "FieldValueRequired" {
			return []string{"DA112"}, m[1]
		}
		if e.Type == "FieldValueNotFound" {
			if n := notFoundRE.FindStringSubmatch(e.Message); n != nil && podDefinesVolume(obj, f, n[1]) {
				return nil, "" // the volume exists but failed validation: that is what to report
			}
			return []string{"DA112"}, m[1]
		}
		return nil, ""
	}
	m := volumeAnchorRE.FindStringSubmatch(f)
	if m == nil {
		return nil, ""
	}
	anchor = m[1]
	rest := strings.TrimPrefix(f, anchor)
	vol := volumeAt(obj, anchor)
	if vol == nil {
		return nil, ""
	}
	downward := loader.HasDownwardAPI(vol)
	switch {
	case e.Detail == "may not specify more than 1 volume type" && downward:
		return []string{"DA114"}, anchor
	case e.Detail == "may not specify more than 1 volume type per source" && sourceHasDownwardAPI(vol, f):
		return []string{"DA114"}, anchor
	case strings.Contains(e.Detail, "must be a number between 0 and 0777"):
		return []string{"DA109"}, anchor // modes of any volume
	case !downward:
		return nil, "" // only volumes with a Downward API source are checked whole
	case strings.Contains(rest, "downwardAPI") && strings.Contains(rest, ".resourceFieldRef."):
		return resourceFieldRefRule(f), anchor
	case strings.Contains(rest, "downwardAPI") && strings.Contains(rest, ".fieldRef"):
		return fieldRefRule(e), anchor
	case strings.HasSuffix(rest, "downwardAPI") && strings.Contains(e.Detail, "fieldRef and resourceFieldRef"),
		strings.HasSuffix(rest, "downwardAPI") && strings.Contains(e.Detail, "one of fieldRef and resourceFieldRef"):
		return []string{"DA107"}, anchor
	case strings.HasSuffix(rest, "downwardAPI.path"):
		return []string{"DA108"}, anchor
	case rest == ".projected" && e.Detail == "conflicting duplicate paths":
		return []string{"DA110"}, anchor
	case rest == ".name":
		return []string{"DA116"}, anchor
	case strings.HasPrefix(rest, ".projected.sources[") && strings.Contains(e.Detail, "must not be specified when serviceAccountName is not set"):
		// Only without admission: the ServiceAccount admission plugin sets
		// serviceAccountName before validation in a real cluster.
		return nil, ""
	case strings.HasPrefix(rest, ".projected.sources["), rest == ".projected.path":
		return []string{"DA117"}, anchor
	}
	return nil, ""
}

func fieldRefRule(e Error) []string {
	switch {
	case strings.Contains(e.Detail, "unsupported pod version"):
		return []string{"DA103"}
	case strings.HasSuffix(e.Field, ".fieldRef"):
		return []string{"DA102"} // key errors are reported on fieldRef itself
	}
	return []string{"DA101"}
}

func resourceFieldRefRule(f string) []string {
	switch {
	case strings.HasSuffix(f, ".containerName"):
		return []string{"DA105"}
	case strings.HasSuffix(f, ".resource"):
		return []string{"DA104"}
	case strings.HasSuffix(f, ".divisor"):
		return []string{"DA106"}
	}
	return nil
}

// podTemplateAt finds the pod spec a field path belongs to.
func podTemplateAt(obj *loader.Object, path string) *loader.PodTemplate {
	for _, t := range obj.Pods {
		if strings.HasPrefix(path, t.SpecPath.String()+".") {
			return t
		}
	}
	return nil
}

func podDefinesVolume(obj *loader.Object, path, name string) bool {
	if t := podTemplateAt(obj, path); t != nil {
		for _, v := range t.Spec.Volumes {
			if v.Name == name {
				return true
			}
		}
	}
	return false
}

func volumeAt(obj *loader.Object, volumeAnchor string) *corev1.Volume {
	t := podTemplateAt(obj, volumeAnchor)
	m := volumeAnchorRE.FindStringSubmatch(volumeAnchor)
	if t == nil || m == nil {
		return nil
	}
	i, _ := strconv.Atoi(m[2])
	if i >= len(t.Spec.Volumes) {
		return nil
	}
	return &t.Spec.Volumes[i]
}

func sourceHasDownwardAPI(v *corev1.Volume, path string) bool {
	m := sourceRE.FindStringSubmatch(path)
	if m == nil || v.Projected == nil {
		return false
	}
	k, _ := strconv.Atoi(m[2])
	return k < len(v.Projected.Sources) && v.Projected.Sources[k].DownwardAPI != nil
}

func under(path, anchor string) bool {
	return path == anchor || strings.HasPrefix(path, anchor+".") || strings.HasPrefix(path, anchor+"[")
}

// Mismatch is one way dapilint and the API server disagree on a document.
type Mismatch struct {
	// Miss is true when the API server rejects something dapilint does not
	// report; false for an error dapilint reports that the API server
	// does not make (a false error).
	Miss bool
	Text string
}

func (m Mismatch) String() string {
	if m.Miss {
		return "miss: " + m.Text
	}
	return "false error: " + m.Text
}

// Compare checks dapilint's findings on one object against the oracle's
// verdict on it, and returns what disagrees (nothing when they agree).
// obj is the object dapilint loaded there (nil when it loaded none, e.g.
// for a document it could not read or a kind it skips); findings are the
// object's, or the document's for problems that belong to no object.
//
// They agree when: a document the oracle cannot decode (decodeError) or
// refuses in strict decoding has an input error (DA0xx); every API server
// error in scope (Classify) has a finding of its rule under its place; and
// every error finding is backed by such an API server error at its place,
// or is one of the deliberate NeverStart errors. A document the oracle
// skips (not a pod-carrying kind) must have no errors.
func Compare(v Verdict, obj *loader.Object, findings []rules.Finding) []Mismatch {
	var out []Mismatch
	miss := func(s string) { out = append(out, Mismatch{Miss: true, Text: s}) }
	falseErr := func(s string) { out = append(out, Mismatch{Text: s}) }
	var errs []rules.Finding
	for _, f := range findings {
		if f.Severity == rules.Error && NotRejections[f.Rule.ID] == "" {
			errs = append(errs, f)
		}
	}
	isInput := func(f rules.Finding) bool { return strings.HasPrefix(f.Rule.ID, "DA0") }
	describe := func(f rules.Finding) string {
		return fmt.Sprintf("%s %s (line %d): %s", f.Rule.ID, f.Path, f.Range.Start.Line, f.Message)
	}
	switch {
	case v.Skipped != "":
		for _, f := range errs {
			falseErr("the oracle skips this document (" + v.Skipped + ") but dapilint reports " + describe(f))
		}
		return out
	case v.DecodeError != "" || len(v.StrictErrors) > 0:
		for _, f := range errs {
			if isInput(f) {
				return nil
			}
		}
		why := v.DecodeError
		if why == "" {
			why = strings.Join(v.StrictErrors, "; ")
		}
		miss("kubectl or the API server refuses to decode it (" + why + ") but dapilint reports no input error")
		return out
	}
	for _, f := range errs {
		if isInput(f) {
			falseErr("the API server decodes it, but dapilint reports the input error " + describe(f))
		}
	}
	if obj == nil {
		if len(v.Errors) > 0 {
			miss("the API server validated it, but dapilint loaded no object there")
		}
		return out
	}
	for _, e := range v.Errors {
		ids, anchor := Classify(e, obj)
		if len(ids) == 0 {
			continue
		}
		found := false
		for _, f := range errs {
			for _, id := range ids {
				found = found || (f.Rule.ID == id && under(f.Path, anchor))
			}
		}
		if !found {
			miss(fmt.Sprintf("the API server rejects it with %s: %s, but dapilint reports no %s under %s", e.Field, e.Message, strings.Join(ids, "/"), anchor))
		}
	}
	for _, f := range errs {
		if isInput(f) || NeverStart[f.Rule.ID] != "" {
			continue
		}
		backed := false
		for _, e := range v.Errors {
			if ids, anchor := Classify(e, obj); len(ids) > 0 && under(f.Path, anchor) {
				backed = true
			}
		}
		if !backed {
			falseErr("dapilint reports " + describe(f) + ", where the API server reports no error in scope")
		}
	}
	return out
}
