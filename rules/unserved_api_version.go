package rules

// UnservedAPIVersion reports workloads under an apiVersion the API server
// does not serve.
var UnservedAPIVersion = &Rule{
	ID:       "DA006",
	Name:     "unserved-api-version",
	Title:    "A workload under an apiVersion the API server does not serve",
	Severity: Error,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `Pod-carrying kinds are served only under ` + "`v1`" + ` (Pod, PodTemplate,
ReplicationController), ` + "`apps/v1`" + ` (Deployment, ReplicaSet, StatefulSet,
DaemonSet) and ` + "`batch/v1`" + ` (Job, CronJob). Older versions such as
` + "`extensions/v1beta1`" + `, ` + "`apps/v1beta2`" + ` or ` + "`batch/v1beta1`" + ` were removed, and
kubectl answers ` + "`no matches for kind`" + `. A workload without an apiVersion is
refused too. dapilint still checks such an object's Downward API usage
against the current types.`,
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
