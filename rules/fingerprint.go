package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// Fingerprint identifies a finding across runs and edits: the SHA-256, in
// hex, of the rule ID, the file, the object's kind, namespace and name and
// the field path (StablePath when set, which names list items by their key),
// separated by NUL bytes. It leaves out what unrelated edits change: the
// position (lines shift when something is inserted above), the document's
// index (documents are inserted and reordered), list indexes where items
// have a name (an env var is inserted above), and the message (wording
// changes between versions). file is the caller's stable name for
// the file: SARIF uses its artifact URI, the baseline the path relative to
// the baseline file.
//
// Findings of the same rule at the same field of the same object share a
// fingerprint; callers count them.
func Fingerprint(f Finding, file string) string {
	sum := FingerprintSum(f, file)
	return hex.EncodeToString(sum[:])
}

// FingerprintSum is Fingerprint's digest before it is written in hex, for
// callers that count fingerprints (half the size of the hex text).
func FingerprintSum(f Finding, file string) [sha256.Size]byte {
	h := sha256.New()
	for _, part := range []string{f.Rule.ID, file, f.Object.Kind, f.Object.Namespace, f.Object.Name, FingerprintPath(f)} {
		io.WriteString(h, part)
		h.Write([]byte{0})
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// FingerprintPath is the field path a fingerprint uses.
func FingerprintPath(f Finding) string {
	if f.StablePath != "" {
		return f.StablePath
	}
	return f.Path
}
