package rules

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// VolumeItemPath reports downwardAPI volume item paths the API server
// rejects.
var VolumeItemPath = &Rule{
	ID:       "DA108",
	Name:     "volume-item-path",
	Title:    "A downwardAPI volume item path the API server does not accept",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `The ` + "`path`" + ` of a downwardAPI volume item is the file's name relative to the mount
point. The API server requires it to be:

- present and non-empty (` + "`Required value`" + `);
- relative: no leading ` + "`/`" + ` (` + "`must be a relative path`" + `);
- without a ` + "`..`" + ` element (` + "`must not contain '..'`" + `, reported once even for ` + "`../../x`" + `);
- not starting with ` + "`..`" + ` (` + "`must not start with '..'`" + `): names such as ` + "`..data`" + ` are
  reserved for the kubelet's atomic writer, which swaps a ` + "`..data`" + ` symlink on every update.

The path ` + "`..`" + ` itself breaks both of the last two rules and gets both errors, as from the
API server. The same rules apply to items of a projected volume's downwardAPI
source. Paths such as ` + "`./a`" + `, ` + "`a//b`" + ` or ` + "`.`" + ` pass the API server (they may still fail
or collide at mount time).

To fix, use a plain relative file name such as ` + "`labels`" + ` or ` + "`pod/name`" + `; dapilint offers
the path without its leading ` + "`/`" + `.

Source: ` + "`validateDownwardAPIVolumeFile`" + ` and ` + "`ValidateLocalNonReservedPath`" + ` (Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `).`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - {name: podinfo, mountPath: /etc/podinfo}
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: /etc/podinfo/labels
        fieldRef: {fieldPath: metadata.labels}
`,
	Run: runVolumeItemPath,
}

func runVolumeItemPath(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, f := range t.DownwardAPIFiles() {
			reportPathErrors(p, f.Path.Child("path"), f.File.Path)
		}
	}
}

type pathError struct {
	msg      string
	fix      string
	required bool
}

// localPathErrors mirrors the API server's checks of an item path: Required
// when empty, then ValidateLocalNonReservedPath.
func localPathErrors(p string) []pathError {
	if p == "" {
		return []pathError{{msg: "volume item has no path; set the file name, relative to the mount point", required: true}}
	}
	var out []pathError
	if path.IsAbs(p) {
		e := pathError{msg: fmt.Sprintf("path %q must be relative to the mount point, without a leading '/'", p)}
		if rel := strings.TrimLeft(p, "/"); rel != "" && len(localPathErrors(rel)) == 0 {
			e.fix = rel
			e.msg += fmt.Sprintf(" (did you mean %q?)", rel)
		}
		out = append(out, e)
	}
	if hasBackstep(p) {
		out = append(out, pathError{msg: fmt.Sprintf("path %q must not contain a '..' element: files cannot be written outside the volume", p)})
	}
	if strings.HasPrefix(p, "..") && !strings.HasPrefix(p, "../") {
		out = append(out, pathError{msg: fmt.Sprintf("path %q must not start with '..': names starting with '..' are reserved for the kubelet's atomic writer", p)})
	}
	return out
}

// hasBackstep mirrors validatePathNoBacksteps: a ".." element anywhere.
func hasBackstep(path string) bool {
	return slices.Contains(strings.Split(path, "/"), "..")
}
