package loader

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/internal/benchcorpus"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	kjson "sigs.k8s.io/json"
	sigsyaml "sigs.k8s.io/yaml"
)

// reference decodes one document the way kubectl and the API server do:
// sigs.k8s.io/yaml to JSON, then strict JSON decoding into the typed
// struct. It returns the typed object (nil for kinds without a pod spec)
// and whether the real pipeline refuses the document.
func reference(t testing.TB, doc []byte) (obj any, refused bool) {
	js, err := sigsyaml.YAMLToJSON(doc)
	if err != nil {
		return nil, true
	}
	// kubectl decodes the document into an unstructured object and encodes
	// it again: that is what the API server receives.
	var u map[string]any
	if err := utiljson.Unmarshal(js, &u); err != nil {
		return nil, false // not an object: nothing dapilint checks
	}
	if js, err = json.Marshal(u); err != nil {
		return nil, true
	}
	var meta struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := sigsyaml.Unmarshal(js, &meta); err != nil {
		return nil, false
	}
	info, ok := kinds[meta.Kind]
	if !ok || meta.APIVersion != info.apiVersion {
		return nil, false
	}
	obj = info.newObj()
	strictErrs, err := kjson.UnmarshalStrict(js, obj)
	return obj, err != nil || len(strictErrs) > 0
}

// checkDifferential holds the loader to the real pipeline on one file: a
// document the pipeline decodes cleanly must load without problems (a
// duplicate key excepted: the pipeline silently keeps the last value, which
// dapilint reports) into an identical typed object; a document it refuses
// must yield at least one problem.
//
// strictParse also requires the two YAML parsers (yaml.v3 here, go-yaml v2
// in kubectl) to agree on what parses; the fuzzer turns it off, since it
// finds inputs no manifest contains (`""0`) on which they differ.
func checkDifferential(t testing.TB, name string, data []byte, strictParse bool) (compared, refusedDocs int) {
	// Both YAML front ends: the block-YAML fast path with the full parser
	// behind it, as dapilint runs, and the full parser alone.
	for _, blockPath := range []bool{true, false} {
		c, r := checkDifferentialPath(t, name, data, strictParse, blockPath)
		compared, refusedDocs = compared+c, refusedDocs+r
	}
	return compared / 2, refusedDocs / 2
}

func checkDifferentialPath(t testing.TB, name string, data []byte, strictParse, blockPath bool) (compared, refusedDocs int) {
	f := load(name, data, Options{}, blockPath, nil)
	if blockPath {
		name += " (fast path)"
	}
	objects := map[int]*Object{}
	for _, o := range f.Objects {
		if o.Item < 0 {
			objects[o.Doc] = o
		}
	}
	fileProblems, kindProblems := map[int]bool{}, map[int]bool{}
	for _, p := range f.Problems {
		// Syntax errors are recomputed below per document; a separator
		// error belongs to no document.
		switch p.Kind {
		case SyntaxError:
		case UnknownKind, UnservedVersion:
			// Discovery's verdict: the reference below does not map kinds
			// (the conformance sweep holds these to the oracle).
			kindProblems[p.Doc] = true
		default:
			fileProblems[p.Doc] = true
		}
	}
	doc := 0
	for _, raw := range splitDocuments(NewSource(name, data)) {
		if raw.err != nil {
			continue
		}
		if raw.root != nil {
			// JSON documents skip the YAML conversion in kubectl too.
			doc++
			continue
		}
		root, _, perr := parseDocumentWith(raw, false, blockPath)
		if perr == nil && (root == nil || root.IsNull()) {
			continue
		}
		want, refused := reference(t, raw.data)
		got := objects[doc]
		switch {
		case kindProblems[doc]:
		case perr != nil || fileProblems[doc]:
			if !refused && (strictParse || perr == nil) {
				if _, yerr := sigsyaml.YAMLToJSON(raw.data); yerr == nil {
					t.Errorf("%s doc %d: dapilint reports a problem but kubectl reads it: %v", name, doc, perr)
				}
			}
		case want == nil:
			// Not a pod-carrying kind: nothing to compare.
		case refused:
			refusedDocs++
			if got == nil || len(got.Problems) == 0 {
				t.Errorf("%s doc %d: kubectl refuses this document but dapilint reports no problem", name, doc)
			}
		default:
			compared++
			if got == nil {
				t.Errorf("%s doc %d: kubectl decodes a %T but dapilint loaded no object", name, doc, want)
				break
			}
			for _, p := range got.Problems {
				if p.Kind != DuplicateKey {
					t.Errorf("%s doc %d: kubectl accepts this document but dapilint reports %q at %s", name, doc, p.Message, p.Path)
				}
			}
			if !reflect.DeepEqual(got.Typed, want) {
				t.Errorf("%s doc %d: typed object differs from kubectl's decoding", name, doc)
			}
		}
		doc++
	}
	return compared, refusedDocs
}

// TestDifferentialFixtures runs the differential check over every YAML
// fixture in the repository.
func TestDifferentialFixtures(t *testing.T) {
	var files []string
	for _, root := range []string{"../rules/testdata", "../testdata", "../examples", "testdata"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) < 5 {
		t.Fatalf("found only %d fixtures", len(files))
	}
	var compared, refused int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c, r := checkDifferential(t, f, data, true)
		compared, refused = compared+c, refused+r
	}
	// The fixtures hold both kinds of document; if either count is zero
	// the comparison has stopped seeing them.
	if compared < 10 || refused < 10 {
		t.Errorf("compared %d accepted and %d refused documents; expected at least 10 of each", compared, refused)
	}
	t.Logf("%d files: %d documents decoded identically, %d refused by both", len(files), compared, refused)
}

// FuzzDifferential mutates manifests and holds the loader, on both YAML
// front ends, to the real pipeline on whatever still parses; it must never
// panic.
func FuzzDifferential(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	n := 0
	benchcorpus.Generate(1, func(file benchcorpus.File) {
		if n++; n <= 10 {
			f.Add(file.Data)
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDifferential(t, "fuzz.yaml", data, false)
	})
}
