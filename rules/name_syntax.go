package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/util/validation"
)

// The API server checks names and keys with apimachinery's validators,
// whose messages spell out the whole syntax with a regular expression and
// examples ("a lowercase RFC 1123 label must consist of …, regex used for
// validation is '…'"): hundreds of characters, most of them about what is
// right rather than what is wrong. A finding says instead, in a few words,
// what is wrong with the value at hand. The validator alone decides
// whether the value is valid; these words only explain its verdict, and
// when they find nothing to say, the finding quotes the validator.

// nameSyntax is one of the API server's syntaxes for names, in words.
type nameSyntax struct {
	check func(string) []string // the API server's check
	max   int                   // longest value accepted; 0 for no limit
	ok    func(rune) bool       // the characters it may hold
	chars string                // those characters, in words
	edges string                // what must start and end it (and each part between dots, with dots); "" for anything ok
	dots  bool                  // a dot-separated list of parts (a DNS subdomain)
}

func isLowerAlnum(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
func isAlnum(r rune) bool      { return isLowerAlnum(r) || r >= 'A' && r <= 'Z' }

var (
	// dnsLabel is an RFC 1123 label: a volume name.
	dnsLabel = nameSyntax{
		check: validation.IsDNS1123Label, max: validation.DNS1123LabelMaxLength,
		ok:    func(r rune) bool { return isLowerAlnum(r) || r == '-' },
		chars: "lowercase letters, digits and '-'", edges: "a lowercase letter or digit",
	}
	// dnsSubdomain is an RFC 1123 subdomain: an object name, or the prefix
	// of a label key.
	dnsSubdomain = nameSyntax{
		check: validation.IsDNS1123Subdomain, max: validation.DNS1123SubdomainMaxLength,
		ok:    func(r rune) bool { return isLowerAlnum(r) || r == '-' || r == '.' },
		chars: "lowercase letters, digits, '-' and '.'", edges: "a lowercase letter or digit", dots: true,
	}
	// labelName is the name part of a label key, after the optional prefix.
	labelName = nameSyntax{
		max:   validation.LabelValueMaxLength,
		ok:    func(r rune) bool { return isAlnum(r) || r == '-' || r == '_' || r == '.' },
		chars: "letters, digits, '-', '_' and '.'", edges: "a letter or digit",
	}
	// configMapKey is a key of a ConfigMap or Secret.
	configMapKey = nameSyntax{
		check: validation.IsConfigMapKey, max: validation.DNS1123SubdomainMaxLength,
		ok:    func(r rune) bool { return isAlnum(r) || r == '-' || r == '_' || r == '.' },
		chars: "letters, digits, '-', '_' and '.'",
	}
	// envVarName is an environment variable name as the API server accepts
	// it since RelaxedEnvironmentVariableValidation.
	envVarName = nameSyntax{
		check: validation.IsRelaxedEnvVarName,
		ok:    func(r rune) bool { return r <= unicode.MaxASCII && unicode.IsPrint(r) && r != '=' },
		chars: "printable ASCII characters other than '='",
	}
)

// whyInvalid says in a few words why the API server rejects v, or returns
// "" when it accepts it.
func (s nameSyntax) whyInvalid(v string) string {
	errs := s.check(v)
	if len(errs) == 0 {
		return ""
	}
	if why := s.problem("it", v); why != "" {
		return why
	}
	return strings.Join(errs, "; ")
}

// problem describes what breaks the syntax in v, whose name in the
// sentence is subject ("it", "its prefix"), or returns "" when it finds
// nothing.
func (s nameSyntax) problem(subject, v string) string {
	if v == "" {
		return subject + " is empty"
	}
	var why []string
	var bad []string
	upper := false // it has upper-case letters, which are allowed in lower case
	for _, r := range v {
		switch q := quoteChar(r); {
		case s.ok(r):
		case unicode.IsUpper(r) && s.ok(unicode.ToLower(r)):
			upper = true
		case !slices.Contains(bad, q):
			bad = append(bad, q)
		}
	}
	if len(bad) > 3 {
		bad = append(bad[:3], "more")
	}
	switch {
	case upper && len(bad) == 0:
		why = append(why, subject+" must be lowercase")
	case upper:
		why = append(why, fmt.Sprintf("%s contains upper-case letters and %s; use only %s", subject, joinList(bad, "and"), s.chars))
	case len(bad) > 0:
		why = append(why, fmt.Sprintf("%s contains %s; use only %s", subject, joinList(bad, "and"), s.chars))
	case s.edges != "" && !s.edgesOK(v):
		if s.dots {
			why = append(why, fmt.Sprintf("%s must start and end with %s, and so must each part between dots", subject, s.edges))
		} else {
			why = append(why, fmt.Sprintf("%s must start and end with %s", subject, s.edges))
		}
	}
	if s.max > 0 && len(v) > s.max {
		unit := "characters"
		if utf8.RuneCountInString(v) != len(v) {
			unit = "bytes" // the limit counts bytes
		}
		why = append(why, fmt.Sprintf("%s is %d %s long; at most %d are allowed", subject, len(v), unit, s.max))
	}
	return strings.Join(why, "; ")
}

// edgesOK reports whether v, and with dots each part of it, starts and
// ends with a letter or digit.
func (s nameSyntax) edgesOK(v string) bool {
	parts := []string{v}
	if s.dots {
		parts = strings.Split(v, ".")
	}
	for _, p := range parts {
		if p == "" || !s.edge(rune(p[0])) || !s.edge(rune(p[len(p)-1])) {
			return false
		}
	}
	return true
}

// edge reports whether r may start or end a value: an allowed letter or
// digit.
func (s nameSyntax) edge(r rune) bool { return s.ok(r) && isAlnum(r) }

// whyInvalidLabelKey says in a few words why the API server rejects a
// label key (a qualified name: an optional DNS subdomain prefix and '/',
// then a name), or returns "" when it accepts it.
func whyInvalidLabelKey(key string) string {
	errs := content.IsLabelKey(key)
	if len(errs) == 0 {
		return ""
	}
	why := ""
	switch prefix, name, _ := strings.Cut(key, "/"); {
	case strings.Count(key, "/") > 1:
		why = "it has more than one '/'; only one may follow a DNS subdomain prefix"
	case strings.Contains(key, "/") && prefix == "":
		why = "its prefix before '/' is empty"
	case strings.Contains(key, "/") && len(dnsSubdomain.check(prefix)) > 0:
		why = dnsSubdomain.problem("its prefix", prefix)
	case strings.Contains(key, "/"):
		why = labelName.problem("its name after '/'", name)
	default:
		why = labelName.problem("it", key)
	}
	if why == "" {
		return strings.Join(errs, "; ")
	}
	return why
}

// quoteChar renders a character for a message: ' ', '_', '\t', and "'".
func quoteChar(r rune) string {
	if r == '\'' {
		return `"'"`
	}
	return strconv.QuoteRune(r)
}
