package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dapilint/dapilint/lint"
	"github.com/dapilint/dapilint/rules"
)

// envNameCase is one env var: its name, what it reads (a fieldPath, or a
// resource when it starts with limits. or requests.), and the context that
// matters to DA210.
type envNameCase struct {
	name, source string
	kind         string // Pod unless set
	hostNetwork  bool
	origin       string // where the pairing is used (for the quiet corpus)
}

// quietEnvNames are env name / field pairs as widely used charts,
// operators and docs write them. DA210 must stay quiet on all of them.
var quietEnvNames = []envNameCase{
	// Kubernetes docs (inject-data-application/environment-variable-expose-pod-information).
	{name: "MY_NODE_NAME", source: "spec.nodeName", origin: "kubernetes.io docs"},
	{name: "MY_POD_NAME", source: "metadata.name", origin: "kubernetes.io docs"},
	{name: "MY_POD_NAMESPACE", source: "metadata.namespace", origin: "kubernetes.io docs"},
	{name: "MY_POD_IP", source: "status.podIP", origin: "kubernetes.io docs, Bitnami charts"},
	{name: "MY_POD_SERVICE_ACCOUNT", source: "spec.serviceAccountName", origin: "kubernetes.io docs"},
	{name: "MY_CPU_REQUEST", source: "requests.cpu", origin: "kubernetes.io docs"},
	{name: "MY_CPU_LIMIT", source: "limits.cpu", origin: "kubernetes.io docs"},
	{name: "MY_MEM_REQUEST", source: "requests.memory", origin: "kubernetes.io docs"},
	{name: "MY_MEM_LIMIT", source: "limits.memory", origin: "kubernetes.io docs"},
	// The classic set (ingress-nginx, kube-state-metrics, Flannel, Traefik, Rook, Longhorn, ...).
	{name: "POD_NAME", source: "metadata.name", origin: "ingress-nginx"},
	{name: "POD_NAMESPACE", source: "metadata.namespace", origin: "ingress-nginx"},
	{name: "POD_IP", source: "status.podIP", origin: "Cassandra StatefulSet example"},
	{name: "POD_IPS", source: "status.podIPs", origin: "dual-stack examples"},
	{name: "POD_UID", source: "metadata.uid", origin: "common"},
	{name: "POD_SERVICE_ACCOUNT", source: "spec.serviceAccountName", origin: "KodeKloud tasks"},
	{name: "NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "fluent-bit, kube-proxy, Velero"},
	{name: "NODE_IP", source: "status.hostIP", origin: "YugabyteDB chart, Kubernetes in Action"},
	{name: "HOST_IP", source: "status.hostIP", origin: "Istio, Consul, Vault, Knative"},
	{name: "HOST_IPS", source: "status.hostIPs", origin: "dual-stack examples"},
	{name: "NAMESPACE", source: "metadata.namespace", origin: "Consul, Dapr, Elasticsearch"},
	{name: "NODE", source: "spec.nodeName", kind: "DaemonSet", origin: "Consul client"},
	{name: "ADVERTISE_IP", source: "status.podIP", origin: "Consul"},
	{name: "HOSTNAME", source: "metadata.name", kind: "StatefulSet", origin: "Vault"},
	{name: "HOSTNAME", source: "spec.nodeName", kind: "DaemonSet", origin: "Promtail, Grafana Agent"},
	// CNI, CSI and node agents.
	{name: "K8S_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "Cilium"},
	{name: "CILIUM_K8S_NAMESPACE", source: "metadata.namespace", kind: "DaemonSet", origin: "Cilium"},
	{name: "NODENAME", source: "spec.nodeName", kind: "DaemonSet", origin: "Calico"},
	{name: "KUBERNETES_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "common"},
	{name: "KUBE_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "CSI node-driver-registrar"},
	{name: "CSI_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "AWS EBS CSI driver"},
	{name: "NODE_ID", source: "spec.nodeName", kind: "DaemonSet", origin: "CSI hostpath driver"},
	{name: "METALLB_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "MetalLB speaker"},
	{name: "METALLB_HOST", source: "status.hostIP", kind: "DaemonSet", origin: "MetalLB speaker"},
	{name: "METALLB_ML_BIND_ADDR", source: "status.podIP", kind: "DaemonSet", origin: "MetalLB speaker"},
	{name: "METALLB_ML_NAMESPACE", source: "metadata.namespace", kind: "DaemonSet", origin: "MetalLB speaker"},
	{name: "NRIA_DISPLAY_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "New Relic infrastructure"},
	{name: "NRK8S_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "New Relic infrastructure"},
	// Observability.
	{name: "JAEGER_AGENT_HOST", source: "status.hostIP", origin: "Jaeger client docs"},
	{name: "DD_AGENT_HOST", source: "status.hostIP", origin: "Datadog"},
	{name: "DD_KUBERNETES_KUBELET_HOST", source: "status.hostIP", kind: "DaemonSet", origin: "Datadog agent"},
	{name: "DD_ENTITY_ID", source: "metadata.uid", origin: "Datadog admission controller"},
	{name: "OTEL_RESOURCE_ATTRIBUTES_POD_NAME", source: "metadata.name", origin: "OpenTelemetry operator"},
	{name: "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", source: "spec.nodeName", origin: "OpenTelemetry operator"},
	{name: "OTEL_RESOURCE_ATTRIBUTES_POD_UID", source: "metadata.uid", origin: "OpenTelemetry operator"},
	{name: "K8S_POD_NAME", source: "metadata.name", origin: "OpenTelemetry collector chart"},
	{name: "K8S_NAMESPACE", source: "metadata.namespace", origin: "OpenTelemetry collector chart"},
	{name: "K8S_POD_IP", source: "status.podIP", origin: "OpenTelemetry collector chart"},
	{name: "K8S_POD_UID", source: "metadata.uid", origin: "OpenTelemetry collector chart"},
	{name: "OTEL_K8S_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "OpenTelemetry collector chart"},
	{name: "VECTOR_SELF_NODE_NAME", source: "spec.nodeName", kind: "DaemonSet", origin: "Vector chart"},
	{name: "VECTOR_SELF_POD_NAME", source: "metadata.name", kind: "DaemonSet", origin: "Vector chart"},
	{name: "VECTOR_SELF_POD_NAMESPACE", source: "metadata.namespace", kind: "DaemonSet", origin: "Vector chart"},
	// Meshes and runtimes.
	{name: "INSTANCE_IP", source: "status.podIP", origin: "Istio sidecar"},
	{name: "SERVICE_ACCOUNT", source: "spec.serviceAccountName", origin: "Istio sidecar, Dapr"},
	{name: "ISTIO_CPU_LIMIT", source: "limits.cpu", origin: "Istio sidecar"},
	{name: "DAPR_HOST_IP", source: "status.podIP", origin: "Dapr sidecar"},
	{name: "_pod_name", source: "metadata.name", origin: "Linkerd proxy"},
	{name: "_pod_ns", source: "metadata.namespace", origin: "Linkerd proxy"},
	{name: "_pod_nodeName", source: "spec.nodeName", origin: "Linkerd proxy"},
	{name: "LINKERD2_PROXY_CORES", source: "limits.cpu", origin: "Linkerd proxy"},
	{name: "SERVING_POD", source: "metadata.name", origin: "Knative queue-proxy"},
	{name: "SERVING_POD_IP", source: "status.podIP", origin: "Knative queue-proxy"},
	{name: "SYSTEM_NAMESPACE", source: "metadata.namespace", origin: "Knative, Tekton"},
	{name: "VAULT_K8S_POD_NAME", source: "metadata.name", kind: "StatefulSet", origin: "Vault chart"},
	{name: "VAULT_K8S_NAMESPACE", source: "metadata.namespace", kind: "StatefulSet", origin: "Vault chart"},
	{name: "WATCH_NAMESPACE", source: "metadata.namespace", origin: "operator-sdk"},
	{name: "OPERATOR_NAMESPACE", source: "metadata.namespace", origin: "operators"},
	{name: "SPARK_DRIVER_BIND_ADDRESS", source: "status.podIP", origin: "Spark on Kubernetes"},
	{name: "GOMAXPROCS", source: "limits.cpu", origin: "Go services, Istio"},
	{name: "GOMEMLIMIT", source: "limits.memory", origin: "Cilium, Istio"},
	{name: "CONTAINER_MEMORY_LIMIT", source: "limits.memory", origin: "JVM charts"},
	{name: "MEMORY_LIMIT", source: "limits.memory", origin: "common"},
	{name: "CPU_REQUEST", source: "requests.cpu", origin: "common"},
	{name: "JAVA_HEAP_MAX", source: "limits.memory", origin: "JVM charts"},
	// Application-level node names: Elasticsearch and OpenSearch name their
	// nodes after the pod.
	{name: "node.name", source: "metadata.name", kind: "StatefulSet", origin: "Elasticsearch"},
	{name: "NODE_NAME", source: "metadata.name", kind: "StatefulSet", origin: "Elasticsearch/OpenSearch images (node.name: ${NODE_NAME})"},
	{name: "NODE_ADDRESS", source: "status.podIP", kind: "StatefulSet", origin: "clustered databases"},
	// With hostNetwork the pod's and the node's IPs are the same.
	{name: "POD_IP", source: "status.hostIP", kind: "DaemonSet", hostNetwork: true, origin: "host-network agents"},
	{name: "NODE_IP", source: "status.podIP", kind: "DaemonSet", hostNetwork: true, origin: "host-network agents"},
}

// firingEnvNames are contradictions DA210 must report.
var firingEnvNames = []envNameCase{
	{name: "POD_IP", source: "metadata.namespace"},
	{name: "MY_POD_IP", source: "metadata.name"},
	{name: "podIP", source: "metadata.name"},
	{name: "POD_IP", source: "status.hostIP"},
	{name: "NODE_IP", source: "status.podIP"},
	{name: "HOST_IP", source: "spec.nodeName"},
	{name: "INSTANCE_IP", source: "metadata.uid"},
	{name: "POD_NAMESPACE", source: "metadata.name"},
	{name: "MY_POD_NAMESPACE", source: "status.podIP"},
	{name: "WATCH_NAMESPACE", source: "spec.serviceAccountName"},
	{name: "POD_NAME", source: "metadata.namespace"},
	{name: "POD_NAME", source: "spec.nodeName"},
	{name: "MY_POD_NAME", source: "metadata.uid"},
	{name: "NODE_NAME", source: "metadata.namespace"},
	{name: "NODE_NAME", source: "spec.serviceAccountName"},
	{name: "NODE_NAME", source: "metadata.name", kind: "DaemonSet"},
	{name: "KUBERNETES_NODE_NAME", source: "metadata.name"},
	{name: "K8S_NODE_NAME", source: "metadata.name"},
	{name: "POD_UID", source: "metadata.name"},
	{name: "SERVICE_ACCOUNT", source: "metadata.name"},
	{name: "MY_POD_SERVICE_ACCOUNT", source: "metadata.namespace"},
	{name: "MY_CPU_LIMIT", source: "limits.memory"},
	{name: "MY_MEM_LIMIT", source: "limits.cpu"},
	{name: "MEMORY_LIMIT", source: "requests.memory"},
	{name: "CPU_REQUEST", source: "limits.cpu"},
}

// envNameManifest renders a workload with one env var.
func envNameManifest(c envNameCase) string {
	valueFrom := fmt.Sprintf("fieldRef:\n                fieldPath: %s", c.source)
	if strings.HasPrefix(c.source, "limits.") || strings.HasPrefix(c.source, "requests.") {
		valueFrom = fmt.Sprintf("resourceFieldRef:\n                resource: %s", c.source)
	}
	kind := c.kind
	if kind == "" {
		kind = "Deployment"
	}
	return fmt.Sprintf(`apiVersion: apps/v1
kind: %s
metadata:
  name: app
spec:
  serviceName: app
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      hostNetwork: %t
      containers:
      - name: app
        image: example/app
        resources:
          requests: {cpu: "1", memory: 1Gi}
          limits: {cpu: "1", memory: 1Gi}
        env:
          - name: %q
            valueFrom:
              %s
`, kind, c.hostNetwork, c.name, valueFrom)
}

func lintEnvName(t *testing.T, c envNameCase) []rules.Finding {
	t.Helper()
	m := envNameManifest(c)
	if c.kind != "StatefulSet" {
		m = strings.Replace(m, "  serviceName: app\n", "", 1)
	}
	cfg := lint.Config{Rules: []*rules.Rule{rules.EnvNameContradictsField}}
	for _, r := range rules.All {
		if strings.HasPrefix(r.ID, "DA0") {
			cfg.Rules = append(cfg.Rules, r) // so that a broken manifest cannot pass quietly
		}
	}
	fs := lint.Bytes(c.name+".yaml", []byte(m), cfg)
	for _, f := range fs {
		if f.Rule != rules.EnvNameContradictsField {
			t.Fatalf("%s: manifest does not load cleanly: %s: %s", c.name, f.Rule.ID, f.Message)
		}
	}
	return fs
}

// TestEnvNameCorpusQuiet checks DA210 against env names real manifests use
// correctly.
func TestEnvNameCorpusQuiet(t *testing.T) {
	if len(quietEnvNames) < 60 {
		t.Fatalf("the quiet corpus has %d cases, want at least 60", len(quietEnvNames))
	}
	for _, c := range quietEnvNames {
		for _, f := range lintEnvName(t, c) {
			t.Errorf("%s from %s (%s, %s): unexpected DA210: %s", c.name, c.source, c.kind, c.origin, f.Message)
		}
	}
}

// TestEnvNameCorpusFiring checks that DA210 reports clear contradictions,
// with a message that names the variable and the field it reads.
func TestEnvNameCorpusFiring(t *testing.T) {
	if len(firingEnvNames) < 15 {
		t.Fatalf("the firing corpus has %d cases, want at least 15", len(firingEnvNames))
	}
	for _, c := range firingEnvNames {
		fs := lintEnvName(t, c)
		if len(fs) != 1 {
			t.Errorf("%s from %s (%s): got %d DA210 findings, want 1", c.name, c.source, c.kind, len(fs))
			continue
		}
		msg := fs[0].Message
		if !strings.Contains(msg, fmt.Sprintf("%q", c.name)) || !strings.Contains(msg, c.source) {
			t.Errorf("%s from %s: message does not name the variable and its source: %s", c.name, c.source, msg)
		}
	}
}
