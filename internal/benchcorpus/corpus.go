// Package benchcorpus generates the manifests repository that dapilint's
// whole-process benchmarks (make bench) run on: workloads of every
// pod-carrying kind with Downward API env vars and volumes, Services and
// ConfigMaps (with embedded files) as the noise a real repository has, in
// the block style that kubectl, Helm and people write, with an occasional
// mistake. It is deterministic: the same scale gives the same bytes.
package benchcorpus

import (
	"fmt"
	"strings"
)

// DocsPerFile is how many documents each generated file holds.
const DocsPerFile = 5

// FilesPerScale is how many files scale 1 generates (10,000 documents,
// about 30 MB).
const FilesPerScale = 2000

// File is one generated manifest file.
type File struct {
	Name string
	Data []byte
	Docs int
}

// Generate calls emit for each file of the corpus at the given scale, in
// order; scale 4 is four times scale 1's files (not copies: every file
// differs).
func Generate(scale int, emit func(File)) {
	g := &gen{state: 0x9e3779b97f4a7c15}
	for i := range FilesPerScale * scale {
		var b strings.Builder
		for d := range DocsPerFile {
			if d > 0 {
				b.WriteString("---\n")
			}
			g.document(&b, i*DocsPerFile+d)
		}
		emit(File{Name: fmt.Sprintf("team-%02d/app-%05d.yaml", i%40, i), Data: []byte(b.String()), Docs: DocsPerFile})
	}
}

// gen is a small deterministic generator (splitmix64): the corpus must
// not change with the Go release's math/rand.
type gen struct{ state uint64 }

func (g *gen) next() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// n returns a number in [0, k).
func (g *gen) n(k int) int { return int(g.next() % uint64(k)) }

// chance is true with probability p percent.
func (g *gen) chance(p int) bool { return g.n(100) < p }

func (g *gen) pick(xs ...string) string { return xs[g.n(len(xs))] }

var (
	words  = []string{"web", "api", "worker", "billing", "search", "auth", "cart", "orders", "gateway", "metrics", "ledger", "mailer", "indexer", "catalog", "payments", "session"}
	teams  = []string{"shop", "platform", "data", "identity", "growth", "infra"}
	images = []string{"nginx:1.27.3", "registry.example.com/%s/%s:v2.%d.0", "ghcr.io/example/%s-%s:1.%d", "docker.io/library/redis:7.%d", "quay.io/example/%s/%s@sha256:0f3c1e5a9b6d4f2e8c7a1b3d5e9f0a2c4b6d8e1f3a5c7e9b1d3f5a7c9e1b3d5f"}
	fields = []string{"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.podIP", "status.hostIP", "status.podIPs", "metadata.labels['app.kubernetes.io/name']", "metadata.annotations['example.com/build']"}
)

func (g *gen) image(team, name string) string {
	f := g.pick(images...)
	switch strings.Count(f, "%") {
	case 1:
		return fmt.Sprintf(f, g.n(9))
	case 2:
		return fmt.Sprintf(f, team, name)
	case 3:
		return fmt.Sprintf(f, team, name, g.n(30))
	}
	return f
}

// document writes document number i: two in ten are noise (a Service or a
// ConfigMap), the others workloads of every kind.
func (g *gen) document(b *strings.Builder, i int) {
	name := fmt.Sprintf("%s-%d", words[g.n(len(words))], i)
	team := teams[g.n(len(teams))]
	switch k := g.n(20); {
	case k < 2:
		g.service(b, name, team)
	case k < 4:
		g.configMap(b, name, team)
	case k < 10:
		g.workload(b, "apps/v1", "Deployment", name, team)
	case k < 12:
		g.workload(b, "apps/v1", "StatefulSet", name, team)
	case k < 14:
		g.workload(b, "apps/v1", "DaemonSet", name, team)
	case k < 16:
		g.workload(b, "batch/v1", "Job", name, team)
	case k < 18:
		g.workload(b, "batch/v1", "CronJob", name, team)
	default:
		g.workload(b, "v1", "Pod", name, team)
	}
}

func (g *gen) meta(b *strings.Builder, ind, name, team string, top bool) {
	fmt.Fprintf(b, "%smetadata:\n", ind)
	if top {
		fmt.Fprintf(b, "%s  name: %s\n%s  namespace: %s\n", ind, name, ind, team)
	}
	fmt.Fprintf(b, "%s  labels:\n%s    app.kubernetes.io/name: %s\n%s    app.kubernetes.io/part-of: %s\n", ind, ind, name, ind, team)
	if g.chance(60) {
		fmt.Fprintf(b, "%s    app.kubernetes.io/managed-by: Helm\n%s    helm.sh/chart: %s-0.%d.%d\n", ind, ind, name, g.n(20), g.n(9))
	}
	if g.chance(50) {
		fmt.Fprintf(b, "%s  annotations:\n%s    prometheus.io/scrape: \"true\"\n%s    prometheus.io/port: \"%d\"\n", ind, ind, ind, 9000+g.n(100))
		if g.chance(30) {
			fmt.Fprintf(b, "%s    example.com/owner: '%s@example.com'\n", ind, team)
		}
	}
}

func (g *gen) service(b *strings.Builder, name, team string) {
	b.WriteString("apiVersion: v1\nkind: Service\n")
	g.meta(b, "", name, team, true)
	fmt.Fprintf(b, "spec:\n  type: %s\n  selector:\n    app.kubernetes.io/name: %s\n  ports:\n", g.pick("ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"), name)
	for p := range 1 + g.n(3) {
		fmt.Fprintf(b, "  - name: %s\n    port: %d\n    targetPort: %d\n    protocol: TCP\n", g.pick("http", "grpc", "metrics")+fmt.Sprint(p), 80+p*1000, 8080+p)
	}
}

func (g *gen) configMap(b *strings.Builder, name, team string) {
	b.WriteString("apiVersion: v1\nkind: ConfigMap\n")
	g.meta(b, "", name+"-config", team, true)
	b.WriteString("data:\n")
	fmt.Fprintf(b, "  LOG_LEVEL: %s\n  FEATURE_FLAGS: \"search,checkout\"\n", g.pick("info", "debug", "warn"))
	b.WriteString("  application.yaml: |\n")
	for l := range 20 + g.n(40) {
		fmt.Fprintf(b, "    %s:\n      enabled: %v\n      url: http://%s.%s.svc:%d/v%d\n", words[(l+g.n(3))%len(words)]+fmt.Sprint(l), g.chance(50), name, team, 8000+l, 1+g.n(3))
	}
	b.WriteString("  nginx.conf: |\n    server {\n      listen 8080;\n")
	for l := range 5 + g.n(15) {
		fmt.Fprintf(b, "      location /%s/ { proxy_pass http://%s:%d; }\n", words[l%len(words)], words[(l+1)%len(words)], 8000+l)
	}
	b.WriteString("    }\n")
}

// workload writes a pod-carrying object: the pod spec sits at the depth
// its kind puts it.
func (g *gen) workload(b *strings.Builder, apiVersion, kind, name, team string) {
	fmt.Fprintf(b, "apiVersion: %s\nkind: %s\n", apiVersion, kind)
	if g.chance(15) {
		fmt.Fprintf(b, "# %s for the %s team; edit the chart, not this file\n", kind, team)
	}
	g.meta(b, "", name, team, true)
	ind := "  "
	switch kind {
	case "Pod":
		b.WriteString("spec:\n")
		g.podSpec(b, ind, name, team)
		return
	case "CronJob":
		fmt.Fprintf(b, "spec:\n  schedule: \"%d */%d * * *\"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: %d\n      template:\n", g.n(60), 1+g.n(6), g.n(6))
		ind = "        "
	case "Job":
		fmt.Fprintf(b, "spec:\n  backoffLimit: %d\n  template:\n", g.n(6))
		ind = "    "
	default:
		b.WriteString("spec:\n")
		if kind != "DaemonSet" {
			fmt.Fprintf(b, "  replicas: %d\n", 1+g.n(5))
		}
		if kind == "StatefulSet" {
			fmt.Fprintf(b, "  serviceName: %s\n", name)
		}
		fmt.Fprintf(b, "  selector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n  template:\n", name)
		ind = "    "
	}
	g.meta(b, ind, name, team, false)
	fmt.Fprintf(b, "%sspec:\n", ind)
	g.podSpec(b, ind+"  ", name, team)
	if kind == "Job" || kind == "CronJob" {
		fmt.Fprintf(b, "%s  restartPolicy: OnFailure\n", ind)
	}
	if kind == "StatefulSet" {
		fmt.Fprintf(b, "  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [\"ReadWriteOnce\"]\n      resources:\n        requests:\n          storage: %dGi\n", 1+g.n(100))
	}
}

func (g *gen) podSpec(b *strings.Builder, ind, name, team string) {
	fmt.Fprintf(b, "%sserviceAccountName: %s\n", ind, name)
	if g.chance(40) {
		fmt.Fprintf(b, "%ssecurityContext:\n%s  runAsNonRoot: true\n%s  runAsUser: %d\n%s  fsGroup: 2000\n", ind, ind, ind, 1000+g.n(1000), ind)
	}
	if g.chance(30) {
		fmt.Fprintf(b, "%snodeSelector:\n%s  kubernetes.io/os: linux\n", ind, ind)
	}
	if g.chance(20) {
		fmt.Fprintf(b, "%stolerations:\n%s- key: dedicated\n%s  operator: Equal\n%s  value: %s\n%s  effect: NoSchedule\n", ind, ind, ind, ind, team, ind)
	}
	containers := []string{name}
	if g.chance(30) {
		containers = append(containers, g.pick("sidecar", "proxy", "log-shipper"))
	}
	if g.chance(20) {
		fmt.Fprintf(b, "%sinitContainers:\n", ind)
		g.container(b, ind, "init-"+name, team, containers, false)
	}
	fmt.Fprintf(b, "%scontainers:\n", ind)
	for i, c := range containers {
		g.container(b, ind, c, team, containers, i == 0)
	}
	fmt.Fprintf(b, "%svolumes:\n", ind)
	fmt.Fprintf(b, "%s- name: podinfo\n%s  downwardAPI:\n%s    items:\n", ind, ind, ind)
	fmt.Fprintf(b, "%s    - path: labels\n%s      fieldRef:\n%s        fieldPath: metadata.labels\n", ind, ind, ind)
	fmt.Fprintf(b, "%s    - path: annotations\n%s      fieldRef:\n%s        fieldPath: metadata.annotations\n", ind, ind, ind)
	if g.chance(60) {
		fmt.Fprintf(b, "%s    - path: cpu_limit\n%s      resourceFieldRef:\n", ind, ind)
		if !g.chance(3) { // a mistake: the container name is required in a volume
			fmt.Fprintf(b, "%s        containerName: %s\n", ind, containers[0])
		}
		fmt.Fprintf(b, "%s        resource: limits.cpu\n%s        divisor: 1m\n", ind, ind)
	}
	if g.chance(40) {
		fmt.Fprintf(b, "%s- name: token\n%s  projected:\n%s    sources:\n%s    - serviceAccountToken:\n%s        path: token\n%s        expirationSeconds: 3600\n", ind, ind, ind, ind, ind, ind)
		fmt.Fprintf(b, "%s    - downwardAPI:\n%s        items:\n%s        - path: namespace\n%s          fieldRef:\n%s            fieldPath: metadata.namespace\n", ind, ind, ind, ind, ind)
	}
	fmt.Fprintf(b, "%s- name: config\n%s  configMap:\n%s    name: %s-config\n%s    defaultMode: 0644\n", ind, ind, ind, name, ind)
	fmt.Fprintf(b, "%s- name: tmp\n%s  emptyDir: {}\n", ind, ind)
}

var envName = strings.NewReplacer(".", "_", "[", "_", "]", "", "'", "", "/", "_", "-", "_")

func (g *gen) container(b *strings.Builder, ind, name, team string, containers []string, main bool) {
	fmt.Fprintf(b, "%s- name: %s\n%s  image: %s\n%s  imagePullPolicy: IfNotPresent\n", ind, name, ind, g.image(team, name), ind)
	if g.chance(40) {
		fmt.Fprintf(b, "%s  args:\n%s  - --port=8080\n%s  - --log-format=json\n", ind, ind, ind)
	}
	if main {
		fmt.Fprintf(b, "%s  ports:\n%s  - name: http\n%s    containerPort: 8080\n%s    protocol: TCP\n", ind, ind, ind, ind)
	}
	fmt.Fprintf(b, "%s  env:\n", ind)
	for i := range 3 + g.n(8) {
		f := fields[g.n(len(fields))]
		if g.chance(2) { // a mistake: a path the API server does not accept
			f = g.pick("metadata.lables", "status.podIp", "spec.node")
		}
		env := strings.ToUpper(envName.Replace(f))
		fmt.Fprintf(b, "%s  - name: %s_%d\n%s    valueFrom:\n%s      fieldRef:\n%s        fieldPath: %s\n", ind, env, i, ind, ind, ind, f)
	}
	fmt.Fprintf(b, "%s  - name: MEMORY_LIMIT_MB\n%s    valueFrom:\n%s      resourceFieldRef:\n%s        resource: limits.memory\n%s        divisor: 1Mi\n", ind, ind, ind, ind, ind)
	if len(containers) > 1 && g.chance(50) {
		fmt.Fprintf(b, "%s        containerName: %s\n", ind, containers[len(containers)-1])
	}
	fmt.Fprintf(b, "%s  - name: LOG_LEVEL\n%s    value: %s\n", ind, ind, g.pick("info", "\"debug\"", "'warn'"))
	if !g.chance(5) { // sometimes no resources at all: a warning
		fmt.Fprintf(b, "%s  resources:\n%s    requests:\n%s      cpu: %dm\n%s      memory: %dMi\n", ind, ind, ind, 50*(1+g.n(10)), ind, 64*(1+g.n(8)))
		if !g.chance(10) {
			fmt.Fprintf(b, "%s    limits:\n%s      cpu: \"%d\"\n%s      memory: %dMi\n", ind, ind, 1+g.n(4), ind, 512*(1+g.n(4)))
		}
	}
	if main {
		fmt.Fprintf(b, "%s  livenessProbe:\n%s    httpGet:\n%s      path: /healthz\n%s      port: http\n%s    initialDelaySeconds: %d\n", ind, ind, ind, ind, ind, 5+g.n(20))
		fmt.Fprintf(b, "%s  readinessProbe:\n%s    httpGet:\n%s      path: /ready\n%s      port: http\n", ind, ind, ind, ind)
	}
	fmt.Fprintf(b, "%s  volumeMounts:\n%s  - name: podinfo\n%s    mountPath: /etc/podinfo\n%s    readOnly: true\n%s  - name: config\n%s    mountPath: /etc/%s\n%s  - name: tmp\n%s    mountPath: /tmp\n", ind, ind, ind, ind, ind, ind, name, ind, ind)
	if g.chance(30) {
		fmt.Fprintf(b, "%s  securityContext:\n%s    allowPrivilegeEscalation: false\n%s    readOnlyRootFilesystem: true\n%s    capabilities:\n%s      drop: [\"ALL\"]\n", ind, ind, ind, ind, ind)
	}
}
