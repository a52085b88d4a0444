package rules

// UnservedAPIVersion reports objects of a built-in kind under an
// apiVersion the API server does not serve.
var UnservedAPIVersion = &Rule{
	ID:       "DA006",
	Name:     "unserved-api-version",
	Title:    "A built-in kind under an apiVersion the API server does not serve",
	Severity: Error,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `Pod-carrying kinds are served only under ` + "`v1`" + ` (Pod, PodTemplate,
ReplicationController), ` + "`apps/v1`" + ` (Deployment, ReplicaSet, StatefulSet,
DaemonSet) and ` + "`batch/v1`" + ` (Job, CronJob). Older versions such as
` + "`extensions/v1beta1`" + `, ` + "`apps/v1beta2`" + ` or ` + "`batch/v1beta1`" + ` were removed, and
kubectl answers ` + "`no matches for kind`" + `. A workload without an apiVersion is
refused too. dapilint still checks such an object's Downward API usage
against the current types.

The same holds for every kind of the groups built into the API server: an
` + "`Ingress`" + ` under ` + "`networking.k8s.io/v1beta1`" + ` or a ` + "`CronJob`" + ` under ` + "`batch/v1beta1`" + `
is refused, and dapilint names the version that is served. A kind that merely
shares its name with a built-in one in another group (a custom resource such as
Volcano's ` + "`batch.volcano.sh/v1alpha1`" + ` Job) is not a built-in object and is left alone.`,
	Example: `apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx
`,
}
