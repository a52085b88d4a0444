package rules

import (
	"fmt"
	"io/fs"
	"strconv"

	"github.com/dapilint/dapilint/loader"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FileModeDecimal reports modes written as decimal numbers that look like
// octal permissions (mode: 400).
var FileModeDecimal = &Rule{
	ID:       "DA209",
	Name:     "file-mode-decimal",
	Title:    "A file mode written in decimal that reads like octal",
	Severity: Warning,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `` + "`mode`" + ` and ` + "`defaultMode`" + ` are plain integers. YAML reads ` + "`0400`" + ` (and ` + "`0o400`" + `)
as octal, but ` + "`400`" + ` as the decimal number 400, which is octal **0620**
(` + "`rw--w----`" + `): the owner can no longer only read the file, the group can
write it (YAML reads ` + "`400`" + ` as the decimal number 400). The API server accepts any value up to 511
(0777), so nothing complains.

dapilint reports a mode written as three plain digits, without a leading
zero, that is an ordinary permission when read as octal (` + "`400`" + `, ` + "`440`" + `,
` + "`444`" + `, ` + "`500`" + `), and says which permission the number really gives.
Values above 511 (` + "`644`" + `, ` + "`600`" + `, ` + "`755`" + `) are rejected by the API server
(` + "`must be a number between 0 and 0777 (octal), both inclusive`" + `) and are
reported by the DA1xx rules, not here. Decimal values written on purpose,
such as ` + "`420`" + ` (0644), ` + "`256`" + ` (0400), ` + "`292`" + ` (0444) or ` + "`511`" + ` (0777), do
not read as an ordinary octal permission and are left alone, as are quoted
and JSON-style values of other lengths.

It checks ` + "`mode`" + ` of every downwardAPI item and the ` + "`defaultMode`" + ` of every
downwardAPI volume and of every projected volume with a downwardAPI source.

**Fix:** write the mode in octal with a leading zero (` + "`0400`" + `), or as the
decimal number of that permission (` + "`256`" + `) in JSON.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - name: podinfo
      mountPath: /etc/podinfo
  volumes:
  - name: podinfo
    downwardAPI:
      defaultMode: 444
      items:
      - path: name
        fieldRef:
          fieldPath: metadata.name
`,
	Run: runFileModeDecimal,
}

func runFileModeDecimal(p *Pass) {
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			if !loader.HasDownwardAPI(v) {
				continue
			}
			vp := t.SpecPath.Child("volumes").Index(i)
			if v.DownwardAPI != nil {
				checkMode(p, vp.Child("downwardAPI", "defaultMode"), v.DownwardAPI.DefaultMode)
			} else {
				checkMode(p, vp.Child("projected", "defaultMode"), v.Projected.DefaultMode)
			}
		}
		for _, f := range t.DownwardAPIFiles() {
			checkMode(p, f.Path.Child("mode"), f.File.Mode)
		}
	}
}

func checkMode(p *Pass, at *field.Path, mode *int32) {
	if mode == nil || *mode > 0o777 || *mode < 0 {
		return
	}
	loc := p.Object.Locate(at)
	n := loc.Value
	if !loc.Exact || n == nil || n.Kind != loader.ScalarNode || n.Style != loader.Plain || n.Tag != "" {
		return
	}
	octal, ok := octalLookingMode(n.Value)
	if !ok || strconv.Itoa(int(*mode)) != n.Value {
		return
	}
	real := fs.FileMode(*mode).Perm()
	want := fs.FileMode(octal).Perm()
	msg := fmt.Sprintf("mode %s is the decimal number %s, which is octal %#o (%s), not %#o (%s); write %#o for that permission",
		n.Value, n.Value, int(*mode), real.String()[1:], octal, want.String()[1:], octal)
	fixMsg := fmt.Sprintf("write the octal mode %#o", octal)
	if n.JSON {
		// JSON has no octal numbers: the mode is written in decimal.
		msg = fmt.Sprintf("mode %s is the decimal number %s, which is octal %#o (%s), not %#o (%s); JSON numbers are decimal, so write %d for that permission",
			n.Value, n.Value, int(*mode), real.String()[1:], octal, want.String()[1:], octal)
		fixMsg = fmt.Sprintf("write %d (%#o octal)", octal, octal)
	}
	p.Report(at, msg, SafeFix(fixMsg, loader.ModeScalar(int64(octal))))
}

// octalLookingMode reports whether s, three plain digits without a leading
// zero, reads as an ordinary permission in octal: every digit one of 0, 4,
// 5, 6, 7 (no write-only or execute-only classes), the owner at least
// readable, and the group's and others' permissions each a subset of the
// class before (e.g. 400, 440, 444, 500; not 420, 256, 511).
func octalLookingMode(s string) (int, bool) {
	if len(s) != 3 || s[0] == '0' {
		return 0, false
	}
	var d [3]int
	for i := range 3 {
		c := s[i]
		if c < '0' || c > '7' {
			return 0, false
		}
		d[i] = int(c - '0')
		switch d[i] {
		case 0, 4, 5, 6, 7:
		default:
			return 0, false
		}
	}
	if d[0] < 4 || d[1]&^d[0] != 0 || d[2]&^d[1] != 0 {
		return 0, false
	}
	return d[0]<<6 | d[1]<<3 | d[2], true
}
