package reporter

import (
	"io"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// JSONVersion is the version of the JSON format (docs/json-format.md). It
// changes only when a field is removed, renamed or changes meaning; new
// fields may be added within a version.
const JSONVersion = 1

// JSONDocument is the JSON format's top-level object.
type JSONDocument struct {
	Version     int              `json:"version"`
	Tool        JSONTool         `json:"tool"`
	Summary     JSONSummary      `json:"summary"`
	Findings    []JSONFinding    `json:"findings"`
	InputErrors []JSONInputError `json:"inputErrors"`
	// SkippedFiles are the files not linted, with the reason.
	SkippedFiles []JSONSkippedFile `json:"skippedFiles"`
}

// JSONSkippedFile is a file that was not linted: a template outside a
// chart, a Kustomize patch.
type JSONSkippedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// JSONTool identifies the program that wrote the document.
type JSONTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"informationUri"`
}

// JSONSummary is the run's totals.
type JSONSummary struct {
	Files             int `json:"files"`
	Charts            int `json:"charts"`
	Kustomizations    int `json:"kustomizations"`
	FilesWithFindings int `json:"filesWithFindings"`
	Documents         int `json:"documents"`
	Objects           int `json:"objects"`
	Skipped           int `json:"skipped"`
	Errors            int `json:"errors"`
	Warnings          int `json:"warnings"`
	Infos             int `json:"infos"`
	ReadErrors        int `json:"readErrors"`
	Excluded          int `json:"excluded"`
	Ignored           int `json:"ignored"`
	Baselined         int `json:"baselined"`
	BaselineUnmatched int `json:"baselineUnmatched"`
	// Fixable and UnsafeFixable count the findings with a safe or an
	// unsafe fix; Fixed and FilesFixed what --fix fixed (or --diff would).
	Fixable       int `json:"fixable"`
	UnsafeFixable int `json:"unsafeFixable"`
	Fixed         int `json:"fixed"`
	FilesFixed    int `json:"filesFixed"`
}

// JSONFinding is one finding.
type JSONFinding struct {
	RuleID    string     `json:"ruleId"`
	RuleName  string     `json:"ruleName"`
	Severity  string     `json:"severity"`
	Message   string     `json:"message"`
	File      string     `json:"file"`
	Range     JSONRange  `json:"range"`
	FieldPath string     `json:"fieldPath"`
	Object    JSONObject `json:"object"`
	Fix       *JSONFix   `json:"fix"`
	// Rendered is present on findings on rendered output only.
	Rendered *JSONRendered `json:"rendered,omitempty"`
}

// JSONRendered says where a finding on rendered output (a Helm chart, a
// kustomization, a helm template stream) was found, and how its position
// was traced back to its source.
type JSONRendered struct {
	Tool        string   `json:"tool"`
	Input       string   `json:"input"`
	ValuesSets  []string `json:"valuesSets,omitempty"`
	Template    string   `json:"template,omitempty"`
	Via         string   `json:"via,omitempty"`
	Approximate bool     `json:"approximate"`
	Note        string   `json:"note,omitempty"`
}

// JSONRange is a half-open span: End is just past the last character.
type JSONRange struct {
	Start JSONPos `json:"start"`
	End   JSONPos `json:"end"`
}

// JSONPos is a position: 1-based line and column (in Unicode code points)
// and 0-based byte offset.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// JSONObject is the Kubernetes object a finding is in.
type JSONObject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
	Document   int    `json:"document"`
	Item       *int   `json:"item"`
}

// JSONFix is a suggested fix. Applicability is "safe" (--fix applies it),
// "unsafe" (--unsafe-fixes) or "display-only" (never applied).
type JSONFix struct {
	Message       string     `json:"message"`
	Applicability string     `json:"applicability"`
	Edits         []JSONEdit `json:"edits"`
}

// JSONEdit replaces the text in Range with NewText.
type JSONEdit struct {
	Range   JSONRange `json:"range"`
	NewText string    `json:"newText"`
}

// JSONInputError is an input that could not be read.
type JSONInputError struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

type jsonReporter struct {
	w        io.Writer
	doc      JSONDocument
	findings *itemSpool
}

// NewJSON returns the JSON reporter. It encodes each finding as it comes
// into a spool (see spool.go), and writes the whole document at Finish,
// once the summary is known.
func NewJSON(w io.Writer, opts Options) Reporter {
	return &jsonReporter{w: w, findings: newItemSpool(2), doc: JSONDocument{
		Version:      JSONVersion,
		Tool:         JSONTool{Name: ToolName, Version: opts.Version, InformationURI: InformationURI},
		Findings:     []JSONFinding{},
		InputErrors:  []JSONInputError{},
		SkippedFiles: []JSONSkippedFile{},
	}}
}

func (j *jsonReporter) File(res lint.FileResult) error {
	for _, f := range res.Findings {
		j.findings.add(NewJSONFinding(f))
	}
	return j.findings.err
}

// NewJSONFinding converts a finding to its JSON form.
func NewJSONFinding(f rules.Finding) JSONFinding {
	jf := JSONFinding{
		RuleID:    f.Rule.ID,
		RuleName:  f.Rule.Name,
		Severity:  f.Severity.String(),
		Message:   f.Message,
		File:      f.File,
		Range:     jsonRange(f.Range),
		FieldPath: f.Path,
		Object:    jsonObject(f.Object),
		Rendered:  jsonRendered(f.Rendered),
	}
	if f.Fix != nil {
		fix := &JSONFix{Message: f.Fix.Message, Applicability: f.Fix.Applicability.String(), Edits: []JSONEdit{}}
		for _, e := range f.Fix.Edits {
			fix.Edits = append(fix.Edits, JSONEdit{Range: jsonRange(e.Range), NewText: e.New})
		}
		jf.Fix = fix
	}
	return jf
}

// jsonObject is the object a finding is in, as JSON and SARIF write it.
func jsonObject(o rules.ObjectRef) JSONObject {
	jo := JSONObject{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Document: o.Doc}
	if o.Item >= 0 {
		jo.Item = &o.Item
	}
	return jo
}

// jsonRendered is where a finding on rendered output was found, as JSON
// and SARIF write it; nil for other findings.
func jsonRendered(r *rules.Rendered) *JSONRendered {
	if r == nil {
		return nil
	}
	return &JSONRendered{Tool: r.Tool, Input: r.Input, ValuesSets: r.ValuesSets, Template: r.Template,
		Via: r.Via, Approximate: r.Approximate, Note: r.Note}
}

func jsonRange(r loader.Range) JSONRange {
	return JSONRange{
		Start: JSONPos{Line: r.Start.Line, Column: r.Start.Col, Offset: r.Start.Offset},
		End:   JSONPos{Line: r.End.Line, Column: r.End.Col, Offset: r.End.Offset},
	}
}

func (j *jsonReporter) Finish(s Summary) error {
	j.doc.Summary = JSONSummary{
		Files:             s.Files,
		Charts:            s.Charts,
		Kustomizations:    s.Kustomizations,
		FilesWithFindings: s.FilesWithFindings,
		Documents:         s.Documents,
		Objects:           s.Objects,
		Skipped:           s.Skipped,
		Errors:            s.Errors,
		Warnings:          s.Warnings,
		Infos:             s.Infos,
		ReadErrors:        s.ReadErrors,
		Excluded:          s.Excluded,
		Ignored:           s.Ignored,
		Baselined:         s.Baselined,
		BaselineUnmatched: s.BaselineUnmatched,
		Fixable:           s.Fixable,
		UnsafeFixable:     s.UnsafeFixable,
		Fixed:             s.Fixed,
		FilesFixed:        s.FilesFixed,
	}
	for _, e := range s.InputErrors {
		j.doc.InputErrors = append(j.doc.InputErrors, JSONInputError(e))
	}
	for _, e := range s.SkippedFiles {
		j.doc.SkippedFiles = append(j.doc.SkippedFiles, JSONSkippedFile(e))
	}
	return j.findings.writeDocument(j.w, j.doc, "\n  \"findings\": []")
}
