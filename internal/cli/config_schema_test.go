package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

// The configuration is described three times: by the parser
// (parseConfig), by the JSON Schema (docs/config.schema.json) and by the
// reference page (docs/configuration.md). These tests keep them in step.

const (
	schemaFile = "../../docs/config.schema.json"
	configDoc  = "../../docs/configuration.md"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// yamlToJSONValue reads YAML as the schema validator's instance.
func yamlToJSONValue(t *testing.T, src string) any {
	t.Helper()
	data, err := yaml.YAMLToJSON([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// documentedExamples are the YAML blocks of docs/configuration.md and the
// README's configuration example.
func documentedExamples(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for _, doc := range []string{configDoc, "../../README.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatch(string(data), -1) {
			src := m[1]
			// The README shows other YAML too (workflows, pre-commit):
			// only blocks that say they are .dapilint.yaml count there.
			if doc != configDoc && !strings.HasPrefix(src, "# .dapilint.yaml") {
				continue
			}
			out[filepath.Base(doc)+" block "+string(rune('0'+i/10))+string(rune('0'+i%10))] = src
		}
	}
	return out
}

// TestDocumentedExamplesValidate checks every documented configuration
// example against the JSON Schema (with a real JSON Schema validator) and
// with dapilint's own parser.
func TestDocumentedExamplesValidate(t *testing.T) {
	schema := compileSchema(t)
	examples := documentedExamples(t)
	if len(examples) < 10 {
		t.Fatalf("only %d configuration examples found in the docs", len(examples))
	}
	for name, src := range examples {
		if err := schema.Validate(yamlToJSONValue(t, src)); err != nil {
			t.Errorf("%s does not validate against the schema: %v\n%s", name, err, src)
		}
		if _, err := parseConfig(name, t.TempDir(), []byte(src)); err != nil {
			t.Errorf("%s is refused by dapilint: %v\n%s", name, err, src)
		}
	}
}

// TestSchemaRejects checks that the schema, like the parser, refuses
// common mistakes: so that an editor flags them before a run does.
func TestSchemaRejects(t *testing.T) {
	schema := compileSchema(t)
	for _, src := range []string{
		"disabel: [DA202]\n",
		"enable: {DA202: true}\n",
		"fail-level: warnings\n",
		"severity: {DA204: fatal}\n",
		"overrides: [{disable: [DA202]}]\n",
		"overrides: [{files: [a], severty: {}}]\n",
		"respect-gitignore: maybe\n",
		"baseline: \"\"\n",
		"- enable\n",
		"workloads: [{apiVersion: v1, kind: Widget, pod-templates: [spec.template]}]\n",
		"workloads: [{apiVersion: example.com/v1, kind: Widget}]\n",
		"workloads: [{apiVersion: example.com/v1, kind: Widget, pod-templates: ['spec.tasks[x].template']}]\n",
		"workloads: [{apiVersion: example.com/v1, kind: Widget, pod-templates: [spec..template]}]\n",
		"workloads: [{apiVersion: example.com/v1, kind: Widget, pod-templates: [spec.temp*]}]\n",
		"workloads: [{apiVersion: example.com/v1, kind: Widget, pod-template: [spec.template]}]\n",
		"workloads: {apiVersion: example.com/v1, kind: Widget, pod-templates: [spec.template]}\n",
	} {
		if err := schema.Validate(yamlToJSONValue(t, src)); err == nil {
			t.Errorf("the schema accepts %q", src)
		}
		if _, err := parseConfig("c.yaml", t.TempDir(), []byte(src)); err == nil {
			t.Errorf("dapilint accepts %q", src)
		}
	}
}

// TestEveryKeyDescribed checks that the parser's keys are exactly the
// schema's, and that the reference page has a section for each.
func TestEveryKeyDescribed(t *testing.T) {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]struct {
			Items struct {
				Properties map[string]any `json:"properties"`
			} `json:"items"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	top := map[string]any{}
	for k := range schema.Properties {
		top[k] = nil
	}
	if got, want := keys(top), slices.Sorted(slices.Values(configKeys)); !slices.Equal(got, want) {
		t.Errorf("schema keys %v, parser keys %v", got, want)
	}
	if got, want := keys(schema.Properties["overrides"].Items.Properties), slices.Sorted(slices.Values(overrideKeys)); !slices.Equal(got, want) {
		t.Errorf("schema override keys %v, parser keys %v", got, want)
	}
	if got, want := keys(schema.Properties["workloads"].Items.Properties), slices.Sorted(slices.Values(workloadKeys)); !slices.Equal(got, want) {
		t.Errorf("schema workload keys %v, parser keys %v", got, want)
	}
	doc, err := os.ReadFile(configDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range configKeys {
		if !strings.Contains(string(doc), "\n### `"+k+"`\n") {
			t.Errorf("docs/configuration.md has no section ### `%s`", k)
		}
	}
}
