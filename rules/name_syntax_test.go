package rules

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/validate/content"
)

// The plain-words reasons must agree with the API server's validators on
// every verdict (they explain it, never make it), and say what is wrong
// with the value at hand.
func TestNameSyntaxWords(t *testing.T) {
	long := strings.Repeat("a", 64)
	cases := []struct {
		syntax nameSyntax
		value  string
		want   string // "" for valid
	}{
		{dnsLabel, "pod-info", ""},
		{dnsLabel, "pod_info", "it contains '_'; use only lowercase letters, digits and '-'"},
		{dnsLabel, "Pod", "it must be lowercase"},
		{dnsLabel, "Pod_Info", "it contains upper-case letters and '_'; use only lowercase letters, digits and '-'"},
		{dnsLabel, "a.b", "it contains '.'; use only lowercase letters, digits and '-'"},
		{dnsLabel, "-a", "it must start and end with a lowercase letter or digit"},
		{dnsLabel, long, "it is 64 characters long; at most 63 are allowed"},
		{dnsLabel, "a b!c@d#", "it contains ' ', '!', '@' and more; use only lowercase letters, digits and '-'"},
		{dnsSubdomain, "example.com", ""},
		{dnsSubdomain, "a..b", "it must start and end with a lowercase letter or digit, and so must each part between dots"},
		{dnsSubdomain, "a.-b", "it must start and end with a lowercase letter or digit, and so must each part between dots"},
		{configMapKey, "a b", "it contains ' '; use only letters, digits, '-', '_' and '.'"},
		{configMapKey, "..", "must not be '..'"}, // no words of ours: the API server's
		{configMapKey, "..a", "must not start with '..'"},
		{envVarName, "A=B", "it contains '='; use only printable ASCII characters other than '='"},
		{envVarName, "A\tB", `it contains '\t'; use only printable ASCII characters other than '='`},
	}
	for _, c := range cases {
		got := c.syntax.whyInvalid(c.value)
		if got != c.want {
			t.Errorf("whyInvalid(%q) = %q, want %q", c.value, got, c.want)
		}
		if (got == "") != (len(c.syntax.check(c.value)) == 0) {
			t.Errorf("whyInvalid(%q) = %q disagrees with the API server's check %q", c.value, got, c.syntax.check(c.value))
		}
	}
}

func TestLabelKeyWords(t *testing.T) {
	cases := []struct{ key, want string }{
		{"app.kubernetes.io/name", ""},
		{"Bad Key!", "it contains ' ' and '!'; use only letters, digits, '-', '_' and '.'"},
		{"a']['b", `it contains "'", ']' and '['; use only letters, digits, '-', '_' and '.'`},
		{"Example.COM/team", "its prefix must be lowercase"},
		{"example.com/team/owner", "it has more than one '/'; only one may follow a DNS subdomain prefix"},
		{"/app", "its prefix before '/' is empty"},
		{"example.com/", "its name after '/' is empty"},
		{"example.com/-x", "its name after '/' must start and end with a letter or digit"},
		{"", "it is empty"},
		{strings.Repeat("k", 64), "it is 64 characters long; at most 63 are allowed"},
		{strings.Repeat("é", 32), "it contains 'é'; use only letters, digits, '-', '_' and '.'; it is 64 bytes long; at most 63 are allowed"},
	}
	for _, c := range cases {
		got := whyInvalidLabelKey(c.key)
		if got != c.want {
			t.Errorf("whyInvalidLabelKey(%q) = %q, want %q", c.key, got, c.want)
		}
		if (got == "") != (len(content.IsLabelKey(c.key)) == 0) {
			t.Errorf("whyInvalidLabelKey(%q) = %q disagrees with the API server's check %q", c.key, got, content.IsLabelKey(c.key))
		}
	}
}
