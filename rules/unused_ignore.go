package rules

// UnusedIgnore reports an ignore comment or annotation that silenced
// nothing.
var UnusedIgnore = &Rule{
	ID:       "DA901",
	Name:     "unused-ignore",
	Title:    "An ignore comment or annotation that silenced nothing",
	Severity: Warning,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `An ignore (` + "`# dapilint:ignore DA202`" + `, ` + "`# dapilint:ignore-file DA202`" + ` or the annotation
` + "`ignore-check.dapilint.io/DA202`" + `) names a rule that reported nothing where the ignore
applies. Either the problem was fixed and the ignore stayed behind, or the ignore
is not where it needs to be: a comment on its own line applies to the key or list
item on the very next line (a blank line in between detaches it), and a trailing
comment to its own line and the key or list item starting there.

A stale ignore is worse than none: it silently hides the next problem of that kind
at that place. Remove it; the fix does when the ignore names only this rule.

Only rules that ran are checked: an ignore of a rule that is disabled for the
file (by ` + "`--disable`" + `, the configuration or an override) is not reported, and
` + "`--no-ignore`" + ` turns this check off along with the ignores.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    resources:
      limits:
        memory: 128Mi
    env:
    - name: MEMORY_LIMIT
      valueFrom:
        resourceFieldRef:
          resource: limits.memory # dapilint:ignore DA202 -- the limit is set by a LimitRange
`,
}
