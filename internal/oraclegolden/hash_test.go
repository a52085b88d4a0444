package oraclegolden

import "testing"

func TestStripComments(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a: 1 # want DA101 `x`\n", "a: 1\n"},
		{"# leading\na: 1\n", "\na: 1\n"},
		{"a: \"x # not a comment\" # comment\n", "a: \"x # not a comment\"\n"},
		{"a: 'it''s # here' # c\n", "a: 'it''s # here'\n"},
		{"a: x#y\n", "a: x#y\n"},
		{"a: |\n  # kept: block content\n  b\nc: 1 # gone\n", "a: |\n  # kept: block content\n  b\nc: 1\n"},
		{"- >-\n  # kept\n- x # gone\n", "- >-\n  # kept\n- x\n"},
	}
	for _, c := range cases {
		if got := string(StripComments([]byte(c.in))); got != c.want {
			t.Errorf("StripComments(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if Hash([]byte("a: 1 # one\n")) != Hash([]byte("a: 1   # two\n")) {
		t.Error("comments changed the hash")
	}
	if Hash([]byte("a: 1\n")) == Hash([]byte("a: 2\n")) {
		t.Error("a value change did not change the hash")
	}
}
