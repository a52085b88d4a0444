package reporter

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/loader"
	"github.com/dapilint/dapilint/rules"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
// written for GitHub code scanning
// (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
// and checked with Microsoft's validator (sarif_validate_test.go).
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFSrcRoot is the uriBaseId that file locations are relative to.
	SARIFSrcRoot = "%SRCROOT%"
	// SARIFFingerprintKey names dapilint's entry in partialFingerprints;
	// its version changes whenever the hashed fields change (v2: the
	// message is no longer hashed).
	SARIFFingerprintKey = "dapilintFindingHash/v2"
)

// SARIFLog is a SARIF log (only the parts dapilint writes).
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is one run of the tool.
type SARIFRun struct {
	Tool               SARIFTool                        `json:"tool"`
	Invocations        []SARIFInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]SARIFArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []SARIFResult                    `json:"results"`
	ColumnKind         string                           `json:"columnKind"`
	// VersionControlProvenance names the repository and commit, when the
	// run was in a git repository with a remote.
	VersionControlProvenance []SARIFVersionControlDetails `json:"versionControlProvenance,omitempty"`
}

// SARIFVersionControlDetails is the repository a run linted, mapped to
// %SRCROOT%.
type SARIFVersionControlDetails struct {
	RepositoryURI string             `json:"repositoryUri"`
	RevisionID    string             `json:"revisionId,omitempty"`
	Branch        string             `json:"branch,omitempty"`
	MappedTo      *SARIFBaseLocation `json:"mappedTo,omitempty"`
}

// SARIFBaseLocation is an artifact location that is a base URI itself.
type SARIFBaseLocation struct {
	URIBaseID string `json:"uriBaseId"`
}

// SARIFTool describes dapilint.
type SARIFTool struct {
	Driver SARIFToolComponent `json:"driver"`
}

// SARIFToolComponent is the tool's driver.
type SARIFToolComponent struct {
	Name            string                     `json:"name"`
	Version         string                     `json:"version"`
	SemanticVersion string                     `json:"semanticVersion,omitempty"`
	InformationURI  string                     `json:"informationUri"`
	Rules           []SARIFReportingDescriptor `json:"rules"`
}

// SARIFReportingDescriptor describes a rule.
type SARIFReportingDescriptor struct {
	ID                   string                      `json:"id"`
	Name                 string                      `json:"name"`
	ShortDescription     SARIFMultiformatMessage     `json:"shortDescription"`
	FullDescription      SARIFMultiformatMessage     `json:"fullDescription"`
	Help                 SARIFMultiformatMessage     `json:"help"`
	HelpURI              string                      `json:"helpUri"`
	DefaultConfiguration SARIFReportingConfiguration `json:"defaultConfiguration"`
	Properties           SARIFRuleProperties         `json:"properties"`
}

// SARIFRuleProperties is a rule's property bag.
type SARIFRuleProperties struct {
	Tags      []string `json:"tags"`
	Precision string   `json:"precision"`
	// Fixable is whether the rule's findings may carry a safe fix, the
	// only kind a SARIF result's fixes hold; UnsafeFixes whether they may
	// carry an unsafe one, which SARIF leaves out (see
	// docs/output-formats.md).
	Fixable     bool `json:"fixable"`
	UnsafeFixes bool `json:"unsafeFixes,omitempty"`
}

// SARIFMultiformatMessage is plain text with an optional Markdown form.
type SARIFMultiformatMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// SARIFReportingConfiguration is a rule's configuration. Enabled is a
// pointer because SARIF's default is true.
type SARIFReportingConfiguration struct {
	Enabled *bool  `json:"enabled,omitempty"`
	Level   string `json:"level,omitempty"`
}

// SARIFInvocation is the run's invocation.
type SARIFInvocation struct {
	ExecutionSuccessful        bool                         `json:"executionSuccessful"`
	RuleConfigurationOverrides []SARIFConfigurationOverride `json:"ruleConfigurationOverrides,omitempty"`
	ToolExecutionNotifications []SARIFNotification          `json:"toolExecutionNotifications,omitempty"`
}

// SARIFConfigurationOverride records a rule configured other than by
// default.
type SARIFConfigurationOverride struct {
	Descriptor    SARIFDescriptorReference    `json:"descriptor"`
	Configuration SARIFReportingConfiguration `json:"configuration"`
}

// SARIFDescriptorReference points into tool.driver.rules.
type SARIFDescriptorReference struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// SARIFNotification reports a problem of the run itself (an unreadable
// input).
type SARIFNotification struct {
	Level     string          `json:"level"`
	Message   SARIFMessage    `json:"message"`
	Locations []SARIFLocation `json:"locations,omitempty"`
}

// SARIFMessage is a plain-text message.
type SARIFMessage struct {
	Text string `json:"text"`
}

// SARIFResult is one finding.
type SARIFResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             SARIFMessage      `json:"message"`
	Locations           []SARIFLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Fixes               []SARIFFix        `json:"fixes,omitempty"`
	Properties          SARIFResultProps  `json:"properties"`
}

// SARIFResultProps is a result's property bag: where in the Kubernetes
// object the finding is (as in the JSON format).
type SARIFResultProps struct {
	FieldPath string        `json:"fieldPath"`
	Object    JSONObject    `json:"object"`
	Rendered  *JSONRendered `json:"rendered,omitempty"`
}

// SARIFLocation is a place in a file.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysicalLocation `json:"physicalLocation"`
}

// SARIFPhysicalLocation is a region of an artifact.
type SARIFPhysicalLocation struct {
	ArtifactLocation SARIFArtifactLocation `json:"artifactLocation"`
	Region           *SARIFRegion          `json:"region,omitempty"`
	ContextRegion    *SARIFRegion          `json:"contextRegion,omitempty"`
}

// SARIFArtifactLocation is a file: a URI reference, relative to UriBaseID
// when that is set.
type SARIFArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// SARIFRegion is a text region. Columns count Unicode code points
// (run.columnKind), and so do CharOffset and CharLength.
type SARIFRegion struct {
	StartLine   int                   `json:"startLine"`
	StartColumn int                   `json:"startColumn"`
	EndLine     int                   `json:"endLine"`
	EndColumn   int                   `json:"endColumn"`
	CharOffset  int                   `json:"charOffset"`
	CharLength  int                   `json:"charLength"`
	Snippet     *SARIFArtifactContent `json:"snippet,omitempty"`
}

// SARIFArtifactContent is literal file text.
type SARIFArtifactContent struct {
	Text string `json:"text"`
}

// SARIFFix is a suggested fix.
type SARIFFix struct {
	Description     SARIFMessage          `json:"description"`
	ArtifactChanges []SARIFArtifactChange `json:"artifactChanges"`
}

// SARIFArtifactChange is a fix's edits to one file.
type SARIFArtifactChange struct {
	ArtifactLocation SARIFArtifactLocation `json:"artifactLocation"`
	Replacements     []SARIFReplacement    `json:"replacements"`
}

// SARIFReplacement replaces DeletedRegion with InsertedContent.
type SARIFReplacement struct {
	DeletedRegion   SARIFRegion          `json:"deletedRegion"`
	InsertedContent SARIFArtifactContent `json:"insertedContent"`
}

type sarifReporter struct {
	w       io.Writer
	opts    Options
	rules   []*rules.Rule
	index   map[*rules.Rule]int
	results *itemSpool
	// seen counts fingerprints (by their digest, half the size of the hex
	// text), so that identical findings get distinct occurrence numbers.
	seen map[[sha256.Size]byte]int
}

// NewSARIF returns the SARIF reporter. It encodes each result as it comes
// into a spool (see spool.go), and writes the whole log at Finish, once
// the rule table and the invocation are known.
func NewSARIF(w io.Writer, opts Options) Reporter {
	s := &sarifReporter{w: w, opts: opts, index: map[*rules.Rule]int{}, results: newItemSpool(4), seen: map[[sha256.Size]byte]int{}}
	for _, r := range opts.Rules {
		s.ruleIndex(r)
	}
	return s
}

// ruleIndex returns r's index in tool.driver.rules, adding it if needed.
func (s *sarifReporter) ruleIndex(r *rules.Rule) int {
	if i, ok := s.index[r]; ok {
		return i
	}
	s.index[r] = len(s.rules)
	s.rules = append(s.rules, r)
	return s.index[r]
}

func (s *sarifReporter) File(res lint.FileResult) error {
	if len(res.Findings) == 0 && len(res.Baselined) == 0 {
		return nil
	}
	// With a baseline, the findings it matched are results too, marked
	// unchanged; the others are new. Results stay in file order.
	type result struct {
		f     rules.Finding
		state string
	}
	results := make([]result, 0, len(res.Findings)+len(res.Baselined))
	for _, f := range res.Findings {
		results = append(results, result{f, sarifState(s.opts.Baseline, "new")})
	}
	if s.opts.Baseline {
		for _, f := range res.Baselined {
			results = append(results, result{f, "unchanged"})
		}
		slices.SortStableFunc(results, func(a, b result) int { return lint.CompareFindings(a.f, b.f) })
	}
	// Findings on rendered output are in the files they were traced to,
	// so each source has its own character counter.
	counters := map[*loader.Source]*charCounter{}
	for _, rs := range results {
		f := rs.f
		src := sourceOf(res, f)
		loc := SARIFArtifactFor(f.File, s.opts.WorkDir, s.opts.SrcRoot)
		cc := counters[src]
		if cc == nil {
			cc = &charCounter{}
			if src != nil {
				cc.data = src.Data
			}
			counters[src] = cc
		}
		region := sarifRegion(cc, f.Range, true)
		phys := SARIFPhysicalLocation{ArtifactLocation: loc, Region: &region}
		if src != nil && !src.Binary {
			if ctx := contextRegion(cc, src, f.Range); ctx != nil && *ctx != region {
				phys.ContextRegion = ctx
			}
		}
		// The fingerprint leaves out the position and the message, so that
		// edits elsewhere in the file (which move the finding) and reworded
		// messages do not make it a new alert: it is the baseline's
		// rules.Fingerprint, with the file's URI, and ":N" counting
		// identical fingerprints in the run from 1.
		digest := rules.FingerprintSum(f, loc.URI)
		s.seen[digest]++
		text := sentence(f.Message)
		for _, n := range RenderedNotes(f) {
			text += "\n" + sentence(strings.ToUpper(n[:1])+n[1:])
		}
		r := SARIFResult{
			RuleID:              f.Rule.ID,
			RuleIndex:           s.ruleIndex(f.Rule),
			Level:               SARIFLevel(f.Severity),
			Message:             SARIFMessage{Text: text},
			Locations:           []SARIFLocation{{PhysicalLocation: phys}},
			PartialFingerprints: map[string]string{SARIFFingerprintKey: hex.EncodeToString(digest[:]) + ":" + strconv.Itoa(s.seen[digest])},
			BaselineState:       rs.state,
			Properties:          SARIFResultProps{FieldPath: f.Path, Object: jsonObject(f.Object), Rendered: jsonRendered(f.Rendered)},
		}
		// Only safe fixes go into SARIF: a viewer may offer them with one
		// click, and an unsafe fix is a guess (the message names it).
		if f.Fix != nil && f.Fix.Applicability == rules.Safe && len(f.Fix.Edits) > 0 {
			change := SARIFArtifactChange{ArtifactLocation: loc}
			for _, e := range f.Fix.Edits {
				change.Replacements = append(change.Replacements, SARIFReplacement{
					DeletedRegion:   sarifRegion(cc, e.Range, false),
					InsertedContent: SARIFArtifactContent{Text: e.New},
				})
			}
			desc := f.Fix.Message
			if desc == "" {
				desc = "apply the suggested change"
			}
			r.Fixes = []SARIFFix{{Description: SARIFMessage{Text: sentence(desc)}, ArtifactChanges: []SARIFArtifactChange{change}}}
		}
		s.results.add(r)
	}
	return s.results.err
}

// sarifState is a result's baselineState: state when a baseline is in
// use, else none.
func sarifState(baseline bool, state string) string {
	if baseline {
		return state
	}
	return ""
}

// SARIFLevel maps a severity to a SARIF level.
func SARIFLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

// sentence ends a message with a period, as SARIF's authoring guidance
// asks of plain-text messages.
func sentence(s string) string {
	s = strings.TrimRight(s, " \t\n")
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// charCounter converts byte offsets to code point offsets, counting from
// the last offset asked for (findings come in order, so each file is
// counted about once).
type charCounter struct {
	data       []byte
	off, chars int
}

func (c *charCounter) at(off int) int {
	off = min(max(off, 0), len(c.data))
	if off >= c.off {
		c.chars += utf8.RuneCount(c.data[c.off:off])
	} else {
		c.chars -= utf8.RuneCount(c.data[off:c.off])
	}
	c.off = off
	return c.chars
}

func sarifRegion(cc *charCounter, r loader.Range, snippet bool) SARIFRegion {
	start, end := r.Start, r.End
	if start.Line < 1 {
		start = loader.Pos{Line: 1, Col: 1}
	}
	if end.Line < start.Line || (end.Line == start.Line && end.Col < start.Col) {
		end = start
	}
	reg := SARIFRegion{StartLine: start.Line, StartColumn: start.Col, EndLine: end.Line, EndColumn: end.Col}
	reg.CharOffset = cc.at(start.Offset)
	reg.CharLength = cc.at(end.Offset) - reg.CharOffset
	if snippet && end.Offset > start.Offset && end.Offset <= len(cc.data) {
		reg.Snippet = &SARIFArtifactContent{Text: string(cc.data[start.Offset:end.Offset])}
	}
	return reg
}

// contextRegion is the whole lines of r, with the line before and after.
func contextRegion(cc *charCounter, src *loader.Source, r loader.Range) *SARIFRegion {
	if r.Start.Line < 1 || r.Start.Line > src.LineCount() {
		return nil
	}
	first := max(r.Start.Line-1, 1)
	last := min(max(r.End.Line, r.Start.Line)+1, src.LineCount())
	for last > first && src.Line(last) == "" {
		last--
	}
	start := src.PosAt(first, 1)
	endOff := src.PosAt(last, 1).Offset + len(src.Line(last))
	end := src.PosOfOffset(endOff)
	return new(sarifRegion(cc, loader.Range{Start: start, End: end}, true))
}

// SARIFArtifactFor returns the artifact location of a file name (relative
// to workDir, or srcRoot when workDir is ""): relative to %SRCROOT% when
// the file is under srcRoot, an absolute file: URI otherwise. Separators
// are forward slashes, and characters outside RFC 3986's path characters
// are percent-encoded as UTF-8.
func SARIFArtifactFor(name, workDir, srcRoot string) SARIFArtifactLocation {
	if rel, ok := underRoot(name, workDir, srcRoot); ok {
		return SARIFArtifactLocation{URI: encodeURIPath(filepath.ToSlash(rel), false), URIBaseID: SARIFSrcRoot}
	}
	p := filepath.Clean(name)
	if !filepath.IsAbs(p) {
		p = filepath.Join(cmp.Or(workDir, srcRoot), p)
	}
	return SARIFArtifactLocation{URI: FileURI(p)}
}

// underRoot returns a file name (relative to workDir, or srcRoot when
// workDir is "") relative to srcRoot, when it is inside it. With no
// srcRoot, a relative name that stays inside its directory is its own.
func underRoot(name, workDir, srcRoot string) (string, bool) {
	p := filepath.Clean(name)
	if srcRoot == "" {
		return p, !filepath.IsAbs(p) && !escapes(p)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(cmp.Or(workDir, srcRoot), p)
	}
	rel, err := filepath.Rel(srcRoot, p)
	if err != nil || escapes(rel) {
		return "", false
	}
	return rel, true
}

func escapes(rel string) bool {
	return rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// FileURI is the file: URI of an absolute path ("/a b" → "file:///a%20b",
// `C:\x` → "file:///C:/x").
func FileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + encodeURIPath(p, true)
}

// encodeURIPath percent-encodes what RFC 3986 does not allow in a path:
// every byte but unreserved characters, sub-delims, '@' and '/', and ':'
// (allowed only where it cannot be read as a scheme).
func encodeURIPath(p string, colon bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=@/", c) >= 0, c == ':' && colon:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?` +
	`(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$`)

// SARIFVersions turns dapilint's version into SARIF's version: the same
// string as dapilint version and JSON report, without the leading "v",
// because SARIF asks for a version that starts with a digit (the
// validator's SARIF2005); "(devel)" becomes "0.0.0-devel". semanticVersion
// is set only when the version is a semantic version.
func SARIFVersions(v string) (version, semantic string) {
	version = strings.TrimPrefix(v, "v")
	if version == "" || version[0] < '0' || version[0] > '9' {
		tag := strings.Trim(regexp.MustCompile(`[^0-9A-Za-z-]+`).ReplaceAllString(v, "-"), "-")
		if tag == "" {
			tag = "unknown"
		}
		return "0.0.0-" + tag, ""
	}
	if semverRE.MatchString(version) {
		semantic = version
	}
	return version, semantic
}

// ruleTags are the SARIF tags of a rule: its group by ID range.
func ruleTags(r *rules.Rule) []string {
	tags := []string{"kubernetes", "downward-api"}
	switch {
	case strings.HasPrefix(r.ID, "DA0"):
		tags = append(tags, "input")
	case strings.HasPrefix(r.ID, "DA1"):
		tags = append(tags, "apiserver-rejects")
	case strings.HasPrefix(r.ID, "DA2"):
		tags = append(tags, "runtime")
	case strings.HasPrefix(r.ID, "DA9"):
		tags = append(tags, "directive")
	}
	return append(tags, "correctness")
}

// FirstParagraph is the first paragraph of Markdown text, on one line.
func FirstParagraph(md string) string {
	md = strings.TrimSpace(md)
	if i := strings.Index(md, "\n\n"); i >= 0 {
		md = md[:i]
	}
	return strings.Join(strings.Fields(md), " ")
}

// SARIFRule describes a rule for tool.driver.rules, with the
// documentation of dapilint's version (see RuleHelpURIFor).
func SARIFRule(r *rules.Rule, version string) SARIFReportingDescriptor {
	help := strings.TrimSpace(r.Doc)
	markdown := help
	if r.Example != "" {
		help += "\n\nExample:\n\n" + r.Example
		markdown += "\n\n**Example**\n\n```yaml\n" + strings.TrimRight(r.Example, "\n") + "\n```"
	}
	helpURI := RuleHelpURIFor(r, version)
	markdown += fmt.Sprintf("\n\n[%s in the dapilint rule reference](%s)", r.ID, helpURI)
	d := SARIFReportingDescriptor{
		ID:               r.ID,
		Name:             r.Name,
		ShortDescription: SARIFMultiformatMessage{Text: sentence(r.Title)},
		FullDescription:  SARIFMultiformatMessage{Text: sentence(FirstParagraph(r.Doc))},
		Help:             SARIFMultiformatMessage{Text: help, Markdown: markdown},
		HelpURI:          helpURI,
		DefaultConfiguration: SARIFReportingConfiguration{
			Level: SARIFLevel(r.Severity),
		},
		Properties: SARIFRuleProperties{Tags: ruleTags(r), Precision: "very-high",
			Fixable: r.Fixes.Has(rules.Safe), UnsafeFixes: r.Fixes.Has(rules.Unsafe)},
	}
	if !r.Default {
		d.DefaultConfiguration.Enabled = new(false)
	}
	return d
}

func (s *sarifReporter) Finish(sum Summary) error {
	version, semantic := SARIFVersions(s.opts.Version)
	run := SARIFRun{
		Tool: SARIFTool{Driver: SARIFToolComponent{
			Name:            ToolName,
			Version:         version,
			SemanticVersion: semantic,
			InformationURI:  InformationURI,
			Rules:           []SARIFReportingDescriptor{},
		}},
		Results:    []SARIFResult{},
		ColumnKind: "unicodeCodePoints",
	}
	for _, r := range s.rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, SARIFRule(r, s.opts.Version))
	}
	if s.opts.SrcRoot != "" {
		base := FileURI(s.opts.SrcRoot)
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		run.OriginalURIBaseIDs = map[string]SARIFArtifactLocation{SARIFSrcRoot: {URI: base}}
		if vc := s.opts.VCS; vc != nil && vc.RepositoryURI != "" {
			run.VersionControlProvenance = []SARIFVersionControlDetails{{
				RepositoryURI: vc.RepositoryURI, RevisionID: vc.RevisionID, Branch: vc.Branch,
				MappedTo: &SARIFBaseLocation{URIBaseID: SARIFSrcRoot},
			}}
		}
	}
	inv := SARIFInvocation{ExecutionSuccessful: len(sum.InputErrors) == 0 && sum.ReadErrors == 0}
	inv.RuleConfigurationOverrides = s.overrides()
	for _, e := range sum.InputErrors {
		n := SARIFNotification{Level: "error", Message: SARIFMessage{Text: sentence(e.Message)}}
		if e.File != "" {
			n.Locations = []SARIFLocation{{PhysicalLocation: SARIFPhysicalLocation{ArtifactLocation: SARIFArtifactFor(e.File, s.opts.WorkDir, s.opts.SrcRoot)}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []SARIFInvocation{inv}
	log := SARIFLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []SARIFRun{run}}
	return s.results.writeDocument(s.w, log, "\n      \"results\": []")
}

// overrides records the rules whose configuration in this run differs
// from their defaults: enabled or disabled, or another severity.
func (s *sarifReporter) overrides() []SARIFConfigurationOverride {
	var enabled map[*rules.Rule]bool
	if s.opts.Enabled != nil {
		enabled = map[*rules.Rule]bool{}
		for _, r := range s.opts.Enabled {
			enabled[r] = true
		}
	}
	var out []SARIFConfigurationOverride
	for i, r := range s.rules {
		// A configuration's level defaults to "warning", so it is always
		// written.
		cfg := SARIFReportingConfiguration{Level: SARIFLevel(r.Severity)}
		changed := false
		if enabled != nil && enabled[r] != r.Default {
			cfg.Enabled = new(enabled[r])
			changed = true
		}
		if sev, ok := s.opts.Severity[r.ID]; ok && sev != r.Severity {
			cfg.Level = SARIFLevel(sev)
			changed = true
		}
		if changed {
			out = append(out, SARIFConfigurationOverride{Descriptor: SARIFDescriptorReference{ID: r.ID, Index: i}, Configuration: cfg})
		}
	}
	return out
}
