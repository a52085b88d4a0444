package sourcemap

import (
	"strings"
	"testing"

	"github.com/dapilint/dapilint/loader"
)

// matchLines matches rendered against tmpl and returns, per rendered
// line, the 1-based template line that wrote it (0: none).
func matchLines(t *testing.T, tmpl, rendered string) []int {
	t.Helper()
	tm := parseTemplate("t.yaml", []byte(tmpl))
	src := loader.NewSource("t.yaml", []byte(tmpl))
	lines := strings.Split(rendered, "\n")
	var out []int
	for i, j := range tm.match(lines) {
		_ = i
		if j < 0 {
			out = append(out, 0)
			continue
		}
		out = append(out, src.PosOfOffset(tm.firstText(tm.lines[j])).Line)
	}
	return out
}

func TestMatchLines(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, rendered string
		want                 []int
	}{{
		name: "trim markers join lines; include output matches no line",
		tmpl: `metadata:
  labels:
    {{- include "x.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
`,
		rendered: `metadata:
  labels:
    app: web
spec:
  replicas: 3
`,
		want: []int{1, 2, 0, 4, 5, 0},
	}, {
		// toYaml output that looks like a later, hard-coded block must
		// not be taken for it: that would skip "env:", which every
		// rendering writes.
		name: "no forward jump over a line every rendering writes",
		tmpl: `containers:
  - name: app
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    env:
      - name: A
        value: "1"
  - name: sidecar
    securityContext:
      readOnlyRootFilesystem: true
`,
		rendered: `containers:
  - name: app
    securityContext:
      readOnlyRootFilesystem: true
    env:
      - name: A
        value: "1"
  - name: sidecar
    securityContext:
      readOnlyRootFilesystem: true
`,
		want: []int{1, 2, 3, 0, 5, 6, 7, 8, 9, 10, 0},
	}, {
		name: "the output goes back only inside a range loop",
		tmpl: `env:
{{- range .Values.env }}
  - name: {{ .name }}
    value: {{ .value | quote }}
{{- end }}
  - name: LAST
    value: "x"
`,
		rendered: `env:
  - name: A
    value: "1"
  - name: B
    value: "2"
  - name: LAST
    value: "x"
`,
		want: []int{1, 3, 4, 3, 4, 6, 7, 0},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := matchLines(t, tc.tmpl, tc.rendered)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("rendered line %d: template line %d, want %d (all: %v)", i+1, got[i], tc.want[i], got)
				}
			}
		})
	}
}

func TestValuesPath(t *testing.T) {
	for action, want := range map[string]string{
		".Values.podInfo.fieldPath":         "podInfo.fieldPath",
		`.Values.a.b | default "x" | quote`: "a.b",
		`index .Values "my-key" "sub"`:      "my-key.sub",
		`toYaml .Values.env | nindent 12`:   "env",
		`include "x" .`:                     "",
	} {
		p, ok := valuesPath(action)
		if got := pathString(p); got != want || ok != (want != "") {
			t.Errorf("valuesPath(%q) = %q, %v; want %q", action, got, ok, want)
		}
	}
}
