package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// EnvNameContradictsField reports env vars whose name clearly says one
// thing while their Downward API source gives another (POD_IP from
// metadata.namespace).
var EnvNameContradictsField = &Rule{
	ID:       "DA210",
	Name:     "env-name-contradicts-field",
	Title:    "An env var's name contradicts the Downward API field it reads",
	Severity: Warning,
	Default:  true,
	Fixes:    UnsafeFixes,
	Doc: `Downward API env blocks are copied from manifest to manifest, and a
pasted block whose ` + "`name`" + ` was changed but whose ` + "`fieldPath`" + ` was not is
accepted by the API server: ` + "`POD_IP`" + ` then holds the namespace, ` + "`NODE_NAME`" + ` the
pod's service account. The application gets a well-formed but wrong value
and fails far from the cause. This exact slip appears in a widely read
tutorial.

dapilint splits the name into words (at ` + "`_`" + `, ` + "`-`" + `, ` + "`.`" + ` and camelCase
boundaries, and known compounds such as ` + "`NODENAME`" + ` or ` + "`PODIP`" + `) and only
acts on words with one clear meaning:

| words in the name | must read |
|---|---|
| ` + "`NAMESPACE`" + ` | ` + "`metadata.namespace`" + ` |
| ` + "`SERVICE ACCOUNT`" + ` | ` + "`spec.serviceAccountName`" + ` |
| ` + "`IP`" + `, ` + "`IPS`" + ` | ` + "`status.podIP(s)`" + ` or ` + "`status.hostIP(s)`" + `; with ` + "`POD`" + `: not the host's; with ` + "`NODE`" + `: not the pod's (unless ` + "`hostNetwork: true`" + `, where they are equal) |
| ` + "`UID`" + ` | ` + "`metadata.uid`" + ` |
| ` + "`POD NAME`" + ` | ` + "`metadata.name`" + ` |
| ` + "`NODE`" + ` | ` + "`spec.nodeName`" + ` (or the node's IP, or an application-level node name; see below) |
| ` + "`CPU`" + `, ` + "`CORES`" + ` / ` + "`MEM`" + `, ` + "`MEMORY`" + `, ` + "`RAM`" + `, ` + "`HEAP`" + ` | a cpu / memory resource |
| ` + "`LIMIT`" + ` / ` + "`REQUEST`" + ` | ` + "`limits.*`" + ` / ` + "`requests.*`" + ` |

It stays quiet on names real manifests use correctly, which the test suite
checks against a corpus of env names from widely used charts and operators:

* ` + "`HOST`" + ` alone means different things (` + "`JAEGER_AGENT_HOST`" + ` and ` + "`DD_AGENT_HOST`" + `
  read ` + "`status.hostIP`" + `, ` + "`HOSTNAME`" + ` reads ` + "`metadata.name`" + ` or ` + "`spec.nodeName`" + `,
  Dapr's ` + "`DAPR_HOST_IP`" + ` reads ` + "`status.podIP`" + `), so it is never acted on;
* ` + "`NODE_NAME`" + ` (and Elasticsearch's ` + "`node.name`" + `) from ` + "`metadata.name`" + ` is how
  Elasticsearch, OpenSearch and similar clusters name their own nodes after
  the pod, so it is only reported in a DaemonSet (whose pods are per node)
  or when the name says Kubernetes (` + "`K8S_NODE_NAME`" + `, ` + "`KUBERNETES_NODE_NAME`" + `,
  ` + "`KUBE_NODE_NAME`" + `);
* ` + "`NODE_ID`" + ` from ` + "`metadata.uid`" + ` and ` + "`NODE_ADDRESS`" + ` from ` + "`status.podIP`" + ` are
  application-level node identities, and are left alone;
* labels and annotations can hold anything and are never checked.

**Fix:** read the field the name promises (dapilint proposes it when there
is only one), or rename the variable.`,
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    env:
    - name: POD_IP
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
`,
	Run: runEnvNameContradictsField,
}

// fieldMeaning says what a fieldPath gives, for messages.
var fieldMeaning = map[string]string{
	"metadata.name":           "the pod's name",
	"metadata.namespace":      "the pod's namespace",
	"metadata.uid":            "the pod's UID",
	"spec.nodeName":           "the node's name",
	"spec.serviceAccountName": "the pod's service account name",
	"status.hostIP":           "the node's IP address",
	"status.hostIPs":          "the node's IP addresses",
	"status.podIP":            "the pod's IP address",
	"status.podIPs":           "the pod's IP addresses",
}

// compoundWords splits words that names often write without a separator.
var compoundWords = map[string][]string{
	"PODIP": {"POD", "IP"}, "PODIPS": {"POD", "IPS"}, "HOSTIP": {"HOST", "IP"}, "HOSTIPS": {"HOST", "IPS"},
	"NODEIP": {"NODE", "IP"}, "NODEIPS": {"NODE", "IPS"}, "PODNAME": {"POD", "NAME"}, "NODENAME": {"NODE", "NAME"},
	"PODNAMESPACE": {"POD", "NAMESPACE"}, "PODUID": {"POD", "UID"}, "HOSTNAME": {"HOST", "NAME"},
	"SERVICEACCOUNT": {"SERVICE", "ACCOUNT"}, "SERVICEACCOUNTNAME": {"SERVICE", "ACCOUNT", "NAME"},
	"PODSERVICEACCOUNT": {"POD", "SERVICE", "ACCOUNT"}, "NODEID": {"NODE", "ID"}, "PODID": {"POD", "ID"},
	"CPULIMIT": {"CPU", "LIMIT"}, "CPUREQUEST": {"CPU", "REQUEST"}, "MEMLIMIT": {"MEM", "LIMIT"},
	"MEMREQUEST": {"MEM", "REQUEST"}, "MEMORYLIMIT": {"MEMORY", "LIMIT"}, "MEMORYREQUEST": {"MEMORY", "REQUEST"},
}

// nameWords splits an env var name into upper-case words at non-alphanumeric
// characters and camelCase boundaries ("podIPAddress" gives POD, IP,
// ADDRESS), then splits known compounds.
func nameWords(name string) []string {
	var words []string
	rs := []rune(name)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToUpper(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(r):
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i) // "IPAddress": IP | Address
			start = i
		}
	}
	flush(len(rs))
	var out []string
	for _, w := range words {
		if parts, ok := compoundWords[w]; ok {
			out = append(out, parts...)
		} else {
			out = append(out, w)
		}
	}
	return out
}

// contradiction is what a name promises and the field it should read.
type contradiction struct {
	promise string // "the pod's IP address"
	want    string // the fieldPath or resource to suggest, or ""
}

func hasWord(words []string, ws ...string) bool {
	for _, w := range ws {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}

// adjacent reports whether a is directly followed by b in words.
func adjacent(words []string, a, b string) bool {
	for i := 0; i+1 < len(words); i++ {
		if words[i] == a && words[i+1] == b {
			return true
		}
	}
	return false
}

// checkFieldName decides whether an env var name contradicts a fieldPath
// (already normalised by plainFieldPath). kind is the object's kind.
func checkFieldName(name, fieldPath, kind string, hostNetwork bool) (contradiction, bool) {
	w := nameWords(name)
	isIP := func(p string) bool { return strings.HasPrefix(p, "status.") }
	isPodIP := fieldPath == "status.podIP" || fieldPath == "status.podIPs"
	isHostIP := fieldPath == "status.hostIP" || fieldPath == "status.hostIPs"
	plural := strings.HasSuffix(fieldPath, "IPs") || hasWord(w, "IPS")
	addr := "IP address"
	if plural {
		addr = "IP addresses"
	}
	ipField := func(host bool) string {
		f := "status.podIP"
		if host {
			f = "status.hostIP"
		}
		if plural {
			f += "s"
		}
		return f
	}
	switch {
	case hasWord(w, "NAMESPACE", "NAMESPACES"):
		if fieldPath != "metadata.namespace" {
			return contradiction{"a namespace", "metadata.namespace"}, true
		}
	case adjacent(w, "SERVICE", "ACCOUNT"):
		if fieldPath != "spec.serviceAccountName" {
			return contradiction{"a service account", "spec.serviceAccountName"}, true
		}
	case hasWord(w, "IP", "IPS", "IPV4", "IPV6"):
		pod, node, host := hasWord(w, "POD"), hasWord(w, "NODE"), hasWord(w, "HOST")
		switch {
		case !isIP(fieldPath):
			switch {
			case pod && !node && !host:
				return contradiction{"the pod's " + addr, ipField(false)}, true
			case (node || host) && !pod:
				return contradiction{"the node's " + addr, ipField(true)}, true
			}
			if plural {
				return contradiction{"IP addresses", ""}, true
			}
			return contradiction{"an IP address", ""}, true
		case hostNetwork:
			// The pod's and the node's IPs are the same.
		case pod && !node && !host && isHostIP:
			return contradiction{"the pod's " + addr, ipField(false)}, true
		case node && !pod && !host && isPodIP:
			return contradiction{"the node's " + addr, ipField(true)}, true
		}
	case hasWord(w, "UID"):
		if fieldPath != "metadata.uid" {
			return contradiction{"a UID", "metadata.uid"}, true
		}
	case adjacent(w, "POD", "NAME") && !hasWord(w, "NODE", "HOST"):
		if fieldPath != "metadata.name" {
			return contradiction{"the pod's name", "metadata.name"}, true
		}
	case hasWord(w, "NODE", "NODES") && !hasWord(w, "POD"):
		switch fieldPath {
		case "metadata.namespace", "spec.serviceAccountName":
			return contradiction{"the node", "spec.nodeName"}, true
		case "metadata.name":
			// Application-level node names (Elasticsearch node.name,
			// NODE_NAME) are the pod's name, except where the pod is one
			// per node or the name says it means the Kubernetes node.
			if kind == "DaemonSet" || hasWord(w, "K8S", "KUBERNETES", "KUBE") {
				return contradiction{"the Kubernetes node", "spec.nodeName"}, true
			}
		}
	}
	return contradiction{}, false
}

// checkResourceName decides whether an env var name contradicts a
// resourceFieldRef resource.
func checkResourceName(name, res string) (contradiction, bool) {
	w := nameWords(name)
	kind, rname, ok := SplitResource(res)
	if !ok {
		return contradiction{}, false
	}
	cpu := hasWord(w, "CPU", "CPUS", "VCPU", "VCPUS", "CORES", "MILLICORES")
	mem := hasWord(w, "MEM", "MEMORY", "RAM", "HEAP")
	switch {
	case cpu && !mem && rname != "cpu":
		return contradiction{"a cpu value", kind + ".cpu"}, true
	case mem && !cpu && rname != "memory" && !strings.HasPrefix(rname, "hugepages-"):
		return contradiction{"a memory value", kind + ".memory"}, true
	}
	limit := hasWord(w, "LIMIT", "LIMITS")
	request := hasWord(w, "REQUEST", "REQUESTS", "REQ")
	switch {
	case limit && !request && kind == "requests":
		return contradiction{"a limit", "limits." + rname}, true
	case request && !limit && kind == "limits":
		return contradiction{"a request", "requests." + rname}, true
	}
	return contradiction{}, false
}

func runEnvNameContradictsField(p *Pass) {
	for _, t := range p.Object.Pods {
		for _, e := range t.Env() {
			vf := e.Var.ValueFrom
			if vf == nil {
				continue
			}
			switch {
			case vf.FieldRef != nil:
				fp := plainFieldPath(vf.FieldRef)
				if fp == "" {
					continue
				}
				c, bad := checkFieldName(e.Var.Name, fp, p.Object.Kind, t.Spec.HostNetwork)
				if !bad {
					continue
				}
				at := e.Path.Child("valueFrom", "fieldRef", "fieldPath")
				msg := fmt.Sprintf("env var %q is named like %s but reads %s (%s)", e.Var.Name, c.promise, vf.FieldRef.FieldPath, fieldMeaning[fp])
				if c.want == "" {
					p.Report(at, msg+"; read status.podIP or status.hostIP, or rename the variable")
					continue
				}
				p.Report(at, fmt.Sprintf("%s; read %s, or rename the variable", msg, c.want),
					UnsafeFix("read "+c.want, String(c.want)))
			case vf.ResourceFieldRef != nil:
				r := vf.ResourceFieldRef
				if !supportedResource(r.Resource) {
					continue // rejected by the API server: DA1xx
				}
				c, bad := checkResourceName(e.Var.Name, r.Resource)
				if !bad {
					continue
				}
				at := e.Path.Child("valueFrom", "resourceFieldRef", "resource")
				msg := fmt.Sprintf("env var %q is named like %s but reads %s; read %s, or rename the variable", e.Var.Name, c.promise, r.Resource, c.want)
				if r.Divisor.IsZero() {
					p.Report(at, msg, UnsafeFix("read "+c.want, String(c.want)))
				} else {
					p.Report(at, msg) // the divisor may not fit the other resource
				}
			}
		}
	}
}
