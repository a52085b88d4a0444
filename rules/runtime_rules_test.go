package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// runtimeCase lints a manifest with one DA2xx rule and checks each
// finding's severity and fix, which the fixtures' "# want" syntax does not
// express.
type runtimeCase struct {
	name     string
	rule     *rules.Rule
	manifest string
	want     []wantFinding
}

type wantFinding struct {
	line     int
	severity rules.Severity
	message  string // regexp
	fix      string // the replacement text, or "" for no fix
}

func lintOne(t *testing.T, r *rules.Rule, manifest string) []rules.Finding {
	t.Helper()
	cfg := lint.Config{Rules: []*rules.Rule{r}}
	for _, ir := range rules.All {
		if strings.HasPrefix(ir.ID, "DA0") {
			cfg.Rules = append(cfg.Rules, ir)
		}
	}
	fs := lint.Bytes("case.yaml", []byte(manifest), cfg)
	for _, f := range fs {
		if f.Rule != r {
			t.Fatalf("manifest does not load cleanly: %s: %s", f.Rule.ID, f.Message)
		}
	}
	return fs
}

func TestRuntimeSeveritiesAndFixes(t *testing.T) {
	cases := []runtimeCase{
		{
			name: "stable key is silent, others warn",
			rule: rules.EnvLabelFrozen,
			manifest: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres
        env:
        - {name: ORDINAL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']"}}}
        - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
`,
			want: []wantFinding{
				{14, rules.Warning, `gets label "app" once`, ""},
			},
		},
		{
			name: "request defaulted from the limit is silent, no limit either warns",
			rule: rules.RequestNotSet,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    resources: {limits: {memory: 64Mi}}
    env:
    - {name: A, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
    - {name: B, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
`,
			want: []wantFinding{
				{11, rules.Warning, `reads 0`, ""},
			},
		},
		{
			name: "a path inside another is an error, a duplicate a warning",
			rule: rules.DownwardPathCollision,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: busybox}]
  volumes:
  - name: v
    downwardAPI:
      items:
      - {path: a, fieldRef: {fieldPath: metadata.name}}
      - {path: a/b, fieldRef: {fieldPath: metadata.name}}
      - {path: ./a, fieldRef: {fieldPath: metadata.uid}}
`,
			want: []wantFinding{
				{11, rules.Error, `both a file and a directory`, ""},
				{12, rules.Warning, `both clean to "a"`, ""},
			},
		},
		{
			name: "unknown container is an error with a fix; ephemeral containers are never found",
			rule: rules.ContainerNameNotFound,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: nginx
    image: nginx
    env:
    - {name: A, valueFrom: {resourceFieldRef: {containerName: ngnix, resource: limits.cpu}}}
    - {name: B, valueFrom: {resourceFieldRef: {containerName: debugger, resource: limits.cpu}}}
  ephemeralContainers:
  - {name: debugger, image: busybox}
`,
			want: []wantFinding{
				{9, rules.Error, `did you mean "nginx"`, "nginx"},
				{10, rules.Error, `names an ephemeral container, which the kubelet never looks up`, ""},
			},
		},
		{
			name: "decimal mode fix writes the octal mode",
			rule: rules.FileModeDecimal,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: busybox}]
  volumes:
  - name: v
    downwardAPI:
      items:
      - {path: a, fieldRef: {fieldPath: metadata.name}, mode: 400}
`,
			want: []wantFinding{{10, rules.Warning, `octal 0620 \(rw--w----\), not 0400`, "0400"}},
		},
		{
			name: "JSON input: decimal modes are checked too",
			rule: rules.FileModeDecimal,
			manifest: `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
 "spec": {"containers": [{"name": "c", "image": "busybox"}],
  "volumes": [{"name": "v", "downwardAPI": {"defaultMode": 444, "items": [{"path": "a", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}}
`,
			want: []wantFinding{{3, rules.Warning, `mode 444 is the decimal number 444.*write 292`, "292"}}, // JSON has no octal
		},
		{
			name: "divisor fix adds the number",
			rule: rules.DivisorParsesAsZero,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    resources: {limits: {memory: 1Gi}}
    env:
    - {name: A, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: Gi}}}
    - {name: B, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: Ki}}}
`,
			want: []wantFinding{
				{10, rules.Warning, `divisor "Gi" has no number.*write 1Gi`, "1Gi"},
				{11, rules.Warning, `divisor "Ki" has no number.*limits.cpu reads whole cores`, ""},
			},
		},
		{
			name: "cpu rounding is info, at an explicit divisor, with no fix (divisor 1m is a guess)",
			rule: rules.CPUValueRoundedUp,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    resources: {requests: {cpu: 100m}, limits: {cpu: 2500m}}
    env:
    - {name: A, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
    - {name: B, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1}}}
`,
			want: []wantFinding{
				{10, rules.Info, `reads "1", not 0.1`, ""},
				{11, rules.Info, `reads "3", not 2.5.*if the application needs the fraction`, ""},
			},
		},
		{
			name: "hugepages typo fix",
			rule: rules.HugePagesNotRequested,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    resources: {limits: {hugepages-1Gi: 2Gi, memory: 1Gi}}
    env:
    - {name: A, valueFrom: {resourceFieldRef: {resource: limits.hugepages-1G}}}
`,
			want: []wantFinding{{10, rules.Warning, `did you mean limits.hugepages-1Gi`, "limits.hugepages-1Gi"}},
		},
		{
			name: "env name fix proposes the promised field",
			rule: rules.EnvNameContradictsField,
			manifest: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: BIND_IP, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
`,
			want: []wantFinding{
				{9, rules.Warning, `read status.podIP`, "status.podIP"},
				{10, rules.Warning, `named like an IP address.*read status.podIP or status.hostIP`, ""},
			},
		},
		{
			name: "label typo fix",
			rule: rules.LabelKeyNotDefined,
			manifest: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app.kubernetes.io/name: web}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - {name: A, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app.kubernetes.io/nmae']"}}}
`,
			want: []wantFinding{{11, rules.Warning, `did you mean "app.kubernetes.io/name"`, `"metadata.labels['app.kubernetes.io/name']"`}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := lintOne(t, c.rule, c.manifest)
			if len(fs) != len(c.want) {
				for _, f := range fs {
					t.Logf("got %d:%d %s: %s", f.Range.Start.Line, f.Range.Start.Col, f.Severity, f.Message)
				}
				t.Fatalf("got %d findings, want %d", len(fs), len(c.want))
			}
			for i, w := range c.want {
				f := fs[i]
				if f.Range.Start.Line != w.line || f.Severity != w.severity || !regexp.MustCompile(w.message).MatchString(f.Message) {
					t.Errorf("finding %d: got line %d %s %q, want line %d %s /%s/", i, f.Range.Start.Line, f.Severity, f.Message, w.line, w.severity, w.message)
				}
				got := ""
				if f.Fix != nil {
					got = f.Fix.Edits[0].New
				}
				if got != w.fix {
					t.Errorf("finding %d: fix %q, want %q", i, got, w.fix)
				}
			}
		})
	}
}

// TestRuntimeRuleSet checks the DA2xx registry: IDs in order, the pedantic
// rules off by default and everything else on, and every rule's ID used by
// a fixture directory.
func TestRuntimeRuleSet(t *testing.T) {
	var ids []string
	for _, r := range rules.All {
		if !strings.HasPrefix(r.ID, "DA2") {
			continue
		}
		ids = append(ids, r.ID)
		if r.Default != (r.Group != rules.Pedantic) {
			t.Errorf("%s: Default = %t", r.ID, r.Default)
		}
		if _, err := os.Stat(filepath.Join("testdata", r.ID)); err != nil {
			t.Errorf("%s: no testdata: %v", r.ID, err)
		}
	}
	if len(ids) < 12 {
		t.Errorf("only %d DA2xx rules: %v", len(ids), ids)
	}
	if slices.Contains(rules.Defaults(), rules.ContainerNoLimits) {
		t.Error("DA214 must be off by default")
	}
	if m := rules.Match("DA214"); len(m) != 1 || m[0] != rules.ContainerNoLimits {
		t.Error("--enable DA214 does not select container-no-limits")
	}
	pedantic := rules.Match("pedantic")
	if !slices.Equal(pedantic, []*rules.Rule{rules.EnvLabelFrozen, rules.CPUValueRoundedUp, rules.ContainerNoLimits}) {
		t.Errorf("--enable pedantic selects %v, want DA204, DA212, DA214", pedantic)
	}
	if r := rules.Lookup("container-no-limits"); r != rules.ContainerNoLimits {
		t.Error("container-no-limits is not found by name")
	}
	if rules.ContainerNameNotFound.Severity != rules.Error || rules.CPUValueRoundedUp.Severity != rules.Info {
		t.Error("DA205 must be an error and DA212 an info")
	}
}
