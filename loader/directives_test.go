package loader

import (
	"strings"
	"testing"
)

// TestDirectives checks which comments are directives and what each is
// attached to, by the text its scope spans.
func TestDirectives(t *testing.T) {
	src := `# dapilint:ignore-file DA204 -- whole file
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  # dapilint:ignore DA202 -- above a key
  # another comment between is fine
  containers:
  - name: web # dapilint:ignore DA1 -- trailing, on a list item
    image: nginx
    args:
    - |
      # dapilint:ignore DA9 -- block scalar text, not a comment
    - "# dapilint:ignore DA9 in a string"
    # dapilint:ignore DA3 -- above an item, but a blank line follows

    - detached
    env: [{name: A}, {name: B}] # dapilint:ignore DA2 # a note after it
  # dapilint:ignore DA4 -- above the last item
  - name: side
    image: busybox
---
# dapilint:ignore-file DA5 -- a later document
apiVersion: v1
kind: Pod
metadata: {name: two} # not a directive: dapilint:ignore DA6
`
	f := Load("d.yaml", []byte(src))
	type want struct {
		text              string
		ownLine, attached bool
		top, fileTop      bool
		scopeFirst        string // first line of the scope's text
		scopeLast         string // last line of it
		doc               int
	}
	wants := []want{
		// The loader places every directive; ignore-file uses Top and
		// FileTop, not the scope.
		{"ignore-file DA204 -- whole file", true, true, true, true, "apiVersion: v1", "apiVersion: v1", 0},
		{"ignore DA202 -- above a key", true, true, false, false, "containers:", "    image: busybox", 0},
		{"ignore DA1 -- trailing, on a list item", false, true, false, false, "  - name: web # dapilint:ignore DA1 -- trailing, on a list item", "    env: [{name: A}, {name: B}]", 0},
		{"ignore DA3 -- above an item, but a blank line follows", true, false, false, false, "", "", 0},
		{"ignore DA2", false, true, false, false, "    env: [{name: A}, {name: B}] ", "    env: [{name: A}, {name: B}] ", 0},
		{"ignore DA4 -- above the last item", true, true, false, false, "name: side", "    image: busybox", 0},
		{"ignore-file DA5 -- a later document", true, true, true, false, "apiVersion: v1", "apiVersion: v1", 1},
	}
	if len(f.Directives) != len(wants) {
		for _, d := range f.Directives {
			t.Logf("%q", d.Text)
		}
		t.Fatalf("%d directives, want %d", len(f.Directives), len(wants))
	}
	for i, w := range wants {
		d := f.Directives[i]
		if d.Text != w.text || d.OwnLine != w.ownLine || d.Attached != w.attached || d.Top != w.top || d.FileTop != w.fileTop || d.Doc != w.doc {
			t.Errorf("directive %d: %+v\nwant %+v", i, d, w)
			continue
		}
		if got := src[d.TextOffset : d.TextOffset+len(d.Text)]; got != d.Text {
			t.Errorf("directive %d: TextOffset points at %q", i, got)
		}
		if got := src[d.Comment.Start.Offset:d.Comment.End.Offset]; got != "# dapilint:"+d.Text {
			t.Errorf("directive %d: Comment spans %q", i, got)
		}
		if !w.attached {
			continue
		}
		scope := src[d.Scope.Start.Offset:d.Scope.End.Offset]
		lines := strings.Split(scope, "\n")
		if lines[0] != w.scopeFirst || lines[len(lines)-1] != w.scopeLast {
			t.Errorf("directive %d: scope %q…%q, want %q…%q", i, lines[0], lines[len(lines)-1], w.scopeFirst, w.scopeLast)
		}
	}
	// The second document's span starts after the separator.
	if d := f.Directives[6]; !strings.HasPrefix(src[d.Document.Start.Offset:], "# dapilint:ignore-file DA5") {
		t.Errorf("document span starts at %q", src[d.Document.Start.Offset:][:20])
	}
}

// TestDirectivesAliasBomb checks that placing a directive does not expand
// aliases.
func TestDirectivesAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a" + string(rune('a'+i)) + ": &a" + string(rune('a'+i)) + " [")
		prev := "a0"
		if i > 1 {
			prev = "a" + string(rune('a'+i-1))
		}
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
	}
	b.WriteString("# dapilint:ignore DA202\nlast: 1 # dapilint:ignore DA204\n")
	f := Load("bomb.yaml", []byte(b.String()))
	// The loader refuses the bomb as kubectl's YAML conversion does
	// ("excessive aliasing"), quickly; without it, both directives would be
	// placed without expanding the aliases.
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "excessive aliasing") {
		if len(f.Directives) != 2 || !f.Directives[0].Attached {
			t.Fatalf("problems %+v, directives: %+v", f.Problems, f.Directives)
		}
	}
}

// TestSourceSubtreeRange checks the span of a subtree: from its first
// character to the end of its last token (a block scalar's token is its
// indicator: findings point at node starts, which all lie inside).
func TestSourceSubtreeRange(t *testing.T) {
	src := "a:\n  b: [1, 2]\n  c: |\n    text\nd: 1\n"
	s := NewSource("s.yaml", []byte(src))
	root, _, p := parseDocument(splitDocuments(NewSource("t.yaml", []byte(src)))[0], false)
	if p != nil {
		t.Fatal(p.Message)
	}
	r := s.SubtreeRange(root.Get("a"))
	if got := src[r.Start.Offset:r.End.Offset]; got != "b: [1, 2]\n  c: |" {
		t.Errorf("SubtreeRange(a) = %q", got)
	}
}

func TestStablePath(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: p}}
spec:
  containers:
  - name: web
    env:
    - {name: A, value: x}
    - name: B
    volumeMounts:
    - {name: info, mountPath: /etc/info}
  - image: unnamed
  volumes:
  - name: info
    projected:
      sources:
      - downwardAPI:
          items:
          - path: labels
`
	o := Load("p.yaml", []byte(src)).Objects[0]
	for path, want := range map[string]string{
		"spec.containers[0].env[1].valueFrom":                       "spec.containers[name=web].env[name=B].valueFrom",
		"spec.containers[0].volumeMounts[0].mountPath":              "spec.containers[name=web].volumeMounts[mountPath=/etc/info].mountPath",
		"spec.containers[1].image":                                  "spec.containers[1].image",
		"spec.volumes[0].projected.sources[0].downwardAPI.items[0]": "spec.volumes[name=info].projected.sources[0].downwardAPI.items[path=labels]",
		"metadata.labels[app]":                                      "metadata.labels[app]",
		"spec.containers[5].env[0]":                                 "spec.containers[5].env[0]",
	} {
		if got := o.StablePath(path); got != want {
			t.Errorf("StablePath(%s) = %s, want %s", path, got, want)
		}
	}
}
