package rules

// UnknownKind reports a kind that a built-in API group does not have.
var UnknownKind = &Rule{
	ID:       "DA008",
	Name:     "unknown-kind",
	Title:    "A kind the API server does not serve in a built-in group",
	Severity: Error,
	Default:  true,
	Fixes:    SafeFixes,
	Doc: `kubectl finds where to send an object by its ` + "`apiVersion`" + ` and ` + "`kind`" + `, from the
API server's discovery. A kind that the group version does not serve (a typo such as
` + "`Deploymnet`" + ` in ` + "`apps/v1`" + `, ` + "`Ingress`" + ` in ` + "`v1`" + `) is refused before anything is
sent: ` + "`no matches for kind \"Deploymnet\" in version \"apps/v1\"`" + `. Kinds are
case-sensitive: discovery also maps the lower-case ` + "`pod`" + `, but the API server's
decoder does not know it and refuses the object (` + "`no kind \"pod\" is registered`" + `).
Either way nothing in the object is created, and nothing in it was checked.

This applies to the groups built into the Kubernetes 1.36 API server (` + "`v1`" + `,
` + "`apps`" + `, ` + "`batch`" + `, ` + "`networking.k8s.io`" + `, …, with the kinds each serves by
default). Other groups are custom resources, which dapilint cannot know and leaves alone.
dapilint suggests the kind you probably meant, or the group that serves it.

Source: the REST mapping built from discovery (` + "`k8s.io/client-go/restmapper`" + `) and
` + "`runtime.Scheme`" + ` decoding in the API server.`,
	Example: `apiVersion: apps/v1
kind: Deploymnet
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`,
}
