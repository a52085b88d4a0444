package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dapilint/dapilint/loader"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FileModeRange reports mode and defaultMode values outside 0..0777 in
// any volume that has them.
var FileModeRange = &Rule{
	ID:       "DA109",
	Name:     "file-mode-range",
	Title:    "A file mode outside 0 to 0777",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `` + "`mode`" + ` (of a volume item) and ` + "`defaultMode`" + ` (of a downwardAPI or projected volume)
are permission bits, and the API server accepts only 0 to 0777 octal (0 to 511
decimal): ` + "`Invalid value: 644: must be a number between 0 and 0777 (octal), both inclusive`" + `.
It prints the value in decimal.

The usual cause is a mode written without its leading zero. YAML reads ` + "`0644`" + ` as
octal (420) but ` + "`644`" + ` as the decimal number 644, which is out of range, so the object is
rejected. (Decimal values that happen to be in range, such as ` + "`400`" + `, are accepted but
give unexpected permissions: 400 is 0620.) JSON has no octal numbers at all: write the
decimal value, 420 for 0644. A quoted ` + "`\"0644\"`" + ` is a string and does not decode (DA004).

This rule checks every volume that has modes: downwardAPI, projected, secret and
configMap volumes (` + "`defaultMode`" + `, and the ` + "`mode`" + ` of every item). When the digits look
like an octal mode, dapilint suggests it with the leading zero.

Source: ` + "`validateDownwardAPIVolumeSource`" + `, ` + "`validateDownwardAPIVolumeFile`" + `,
` + "`validateProjectedVolumeSource`" + `, ` + "`validateSecretVolumeSource`" + `,
` + "`validateConfigMapVolumeSource`" + ` and ` + "`validateKeyToPath`" + ` in Kubernetes 1.36
` + "`pkg/apis/core/validation/validation.go`" + `.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    volumeMounts:
    - {name: podinfo, mountPath: /etc/podinfo}
  volumes:
  - name: podinfo
    downwardAPI:
      defaultMode: 644
      items:
      - path: name
        fieldRef: {fieldPath: metadata.name}
`,
	Run: runFileModeRange,
}

func runFileModeRange(p *Pass) {
	check := func(at *field.Path, mode *int32) {
		if mode == nil || (*mode >= 0 && *mode <= 0o777) {
			return
		}
		p.Report(at, modeMessage(p.Object, at, *mode), modeFix(p.Object, at)...)
	}
	items := func(at *field.Path, items []corev1.KeyToPath) {
		for j := range items {
			check(at.Child("items").Index(j).Child("mode"), items[j].Mode)
		}
	}
	for _, t := range p.Object.Pods {
		for i := range t.Spec.Volumes {
			v := &t.Spec.Volumes[i]
			vp := t.SpecPath.Child("volumes").Index(i)
			// With several types, the API server validates only the first.
			typ := validatedType(v)
			if s := v.Secret; s != nil && typ == "secret" {
				check(vp.Child("secret", "defaultMode"), s.DefaultMode)
				items(vp.Child("secret"), s.Items)
			}
			if c := v.ConfigMap; c != nil && typ == "configMap" {
				check(vp.Child("configMap", "defaultMode"), c.DefaultMode)
				items(vp.Child("configMap"), c.Items)
			}
			if d := v.DownwardAPI; d != nil && typ == "downwardAPI" {
				check(vp.Child("downwardAPI", "defaultMode"), d.DefaultMode)
				for j := range d.Items {
					check(vp.Child("downwardAPI", "items").Index(j).Child("mode"), d.Items[j].Mode)
				}
			}
			if pr := v.Projected; pr != nil && typ == "projected" {
				check(vp.Child("projected", "defaultMode"), pr.DefaultMode)
				for k, s := range pr.Sources {
					sp := vp.Child("projected", "sources").Index(k)
					if s.Secret != nil {
						items(sp.Child("secret"), s.Secret.Items)
					}
					if s.ConfigMap != nil {
						items(sp.Child("configMap"), s.ConfigMap.Items)
					}
					if s.DownwardAPI != nil {
						for j := range s.DownwardAPI.Items {
							check(sp.Child("downwardAPI", "items").Index(j).Child("mode"), s.DownwardAPI.Items[j].Mode)
						}
					}
				}
			}
		}
	}
}

func modeMessage(o *loader.Object, at *field.Path, mode int32) string {
	text := strconv.Itoa(int(mode))
	shown := text
	if n := sourceNode(o, at); n != nil && n.Value != text {
		shown = fmt.Sprintf("%s (%s in decimal)", n.Value, text)
	}
	msg := fmt.Sprintf("mode %s is out of range: file modes must be between 0 and 0777 octal (0 to 511 decimal)", shown)
	if oct, json, ok := octalLooking(o, at); ok {
		if json {
			msg += fmt.Sprintf("; JSON numbers are decimal, so write %d for %s octal", oct, "0"+text)
		} else {
			msg += fmt.Sprintf("; YAML reads %s as a decimal number (did you mean 0%s?)", text, text)
		}
	}
	return msg
}

func modeFix(o *loader.Object, at *field.Path) []ReportOption {
	oct, json, ok := octalLooking(o, at)
	if !ok {
		return nil
	}
	n := sourceNode(o, at)
	if json {
		return []ReportOption{SafeFix(fmt.Sprintf("use %d (0%s octal)", oct, n.Value), loader.ModeScalar(oct))}
	}
	return []ReportOption{SafeFix("use octal 0"+n.Value, loader.ModeScalar(oct))}
}

// octalLooking reports whether the mode at path is written as plain digits
// 0-7 without a leading zero that, read as octal, are a valid mode (644,
// 755): then it was meant as octal. oct is that octal value.
func octalLooking(o *loader.Object, at *field.Path) (oct int64, json, ok bool) {
	n := sourceNode(o, at)
	if n == nil || n.Kind != loader.ScalarNode || n.Style != loader.Plain || n.Tag != "" || len(n.Value) < 3 || n.Value[0] == '0' ||
		strings.Trim(n.Value, "01234567") != "" { // digits only: -0644 is no octal-looking mode
		return 0, false, false
	}
	v, err := strconv.ParseInt(n.Value, 8, 32)
	if err != nil || v > 0o777 {
		return 0, false, false
	}
	return v, n.JSON, true
}
