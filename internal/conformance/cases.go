package main

// obj is a JSON object under construction.
type obj = map[string]any

// A specCase changes the base pod spec: one mistake the API server rejects,
// or one thing it accepts, next to the Downward API.
type specCase struct {
	name   string
	mutate func(spec obj)
}

// basePodSpec is a valid pod spec with Downward API usage everywhere:
// env fieldRef and resourceFieldRef, a downwardAPI volume, a projected
// volume with a token and a ConfigMap, an emptyDir for env files.
func basePodSpec() obj {
	return obj{
		"serviceAccountName": "web",
		"containers": []any{obj{
			"name":  "web",
			"image": "nginx:1.27",
			"env": []any{
				obj{"name": "POD_NAME", "valueFrom": obj{"fieldRef": obj{"fieldPath": "metadata.name"}}},
				obj{"name": "MEMORY", "valueFrom": obj{"resourceFieldRef": obj{"resource": "limits.memory", "divisor": "1Mi"}}},
			},
			"resources": obj{"limits": obj{"cpu": "500m", "memory": "256Mi"}, "requests": obj{"cpu": "250m", "memory": "128Mi"}},
			"volumeMounts": []any{
				obj{"name": "podinfo", "mountPath": "/etc/podinfo"},
				obj{"name": "projected", "mountPath": "/etc/projected"},
				obj{"name": "env", "mountPath": "/env"},
			},
		}},
		"volumes": []any{
			obj{"name": "podinfo", "downwardAPI": obj{"defaultMode": 420, "items": []any{
				obj{"path": "labels", "fieldRef": obj{"fieldPath": "metadata.labels"}},
				obj{"path": "cpu", "resourceFieldRef": obj{"containerName": "web", "resource": "limits.cpu", "divisor": "1m"}},
			}}},
			obj{"name": "projected", "projected": obj{"sources": []any{
				obj{"downwardAPI": obj{"items": []any{obj{"path": "name", "fieldRef": obj{"fieldPath": "metadata.name"}}}}},
				obj{"serviceAccountToken": obj{"path": "token", "expirationSeconds": 3600}},
				obj{"configMap": obj{"name": "web", "items": []any{obj{"key": "app", "path": "app"}}}},
			}}},
			obj{"name": "env", "emptyDir": obj{}},
		},
	}
}

// Paths into the base spec.
func container(s obj) obj     { return s["containers"].([]any)[0].(obj) }
func env(s obj, i int) obj    { return container(s)["env"].([]any)[i].(obj) }
func volume(s obj, i int) obj { return s["volumes"].([]any)[i].(obj) }
func downwardItems(s obj) []any {
	return volume(s, 0)["downwardAPI"].(obj)["items"].([]any)
}
func item(s obj, i int) obj         { return downwardItems(s)[i].(obj) }
func sources(s obj) []any           { return volume(s, 1)["projected"].(obj)["sources"].([]any) }
func source(s obj, i int) obj       { return sources(s)[i].(obj) }
func resources(s obj, k string) obj { return container(s)["resources"].(obj)[k].(obj) }

func addEnv(s obj, e obj) {
	c := container(s)
	c["env"] = append(c["env"].([]any), e)
}

func addVolume(s obj, v obj) { s["volumes"] = append(s["volumes"].([]any), v) }

func fieldRefEnv(path string) func(obj) {
	return func(s obj) { env(s, 0)["valueFrom"] = obj{"fieldRef": obj{"fieldPath": path}} }
}

func fieldRefEnvVersion(version, path string) func(obj) {
	return func(s obj) {
		env(s, 0)["valueFrom"] = obj{"fieldRef": obj{"apiVersion": version, "fieldPath": path}}
	}
}

func fieldRefItem(path string) func(obj) {
	return func(s obj) { item(s, 0)["fieldRef"] = obj{"fieldPath": path} }
}

func resourceEnv(resource string, divisor any) func(obj) {
	return func(s obj) {
		r := obj{"resource": resource}
		if divisor != nil {
			r["divisor"] = divisor
		}
		env(s, 1)["valueFrom"] = obj{"resourceFieldRef": r}
	}
}

func set(path func(obj) obj, key string, v any) func(obj) {
	return func(s obj) { path(s)[key] = v }
}

func del(path func(obj) obj, key string) func(obj) {
	return func(s obj) { delete(path(s), key) }
}

func all(fs ...func(obj)) func(obj) {
	return func(s obj) {
		for _, f := range fs {
			f(s)
		}
	}
}

func at(f func(obj, int) obj, i int) func(obj) obj { return func(s obj) obj { return f(s, i) } }

var (
	v0    = at(volume, 0)
	v1    = at(volume, 1)
	item0 = at(item, 0)
	item1 = at(item, 1)
	dapi  = func(s obj) obj { return volume(s, 0)["downwardAPI"].(obj) }
	proj  = func(s obj) obj { return volume(s, 1)["projected"].(obj) }
	token = func(s obj) obj { return source(s, 1)["serviceAccountToken"].(obj) }
	cm    = func(s obj) obj { return source(s, 2)["configMap"].(obj) }
	lims  = func(s obj) obj { return resources(s, "limits") }
	reqs  = func(s obj) obj { return resources(s, "requests") }
)

// specCases are the variations of the pod spec, each on its own.
var specCases = []specCase{
	{"base", func(obj) {}},
	// fieldRef in env.
	{"env metadata.namespace", fieldRefEnv("metadata.namespace")},
	{"env metadata.uid", fieldRefEnv("metadata.uid")},
	{"env label key", fieldRefEnv("metadata.labels['app']")},
	{"env annotation key", fieldRefEnv("metadata.annotations['Example.COM/Owner']")},
	{"env spec.nodeName", fieldRefEnv("spec.nodeName")},
	{"env spec.serviceAccountName", fieldRefEnv("spec.serviceAccountName")},
	{"env status.hostIPs", fieldRefEnv("status.hostIPs")},
	{"env status.podIPs", fieldRefEnv("status.podIPs")},
	{"env spec.host alias", fieldRefEnv("spec.host")},
	{"env whole labels", fieldRefEnv("metadata.labels")},
	{"env typo", fieldRefEnv("matadata.name")},
	{"env status.phase", fieldRefEnv("status.phase")},
	{"env subscript on nodeName", fieldRefEnv("spec.nodeName['x']")},
	{"env bad label key", fieldRefEnv("metadata.labels['Bad Key!']")},
	{"env label key upper prefix", fieldRefEnv("metadata.labels['Example.COM/key']")},
	{"env double-quoted key", fieldRefEnv(`metadata.labels["app"]`)},
	{"env empty fieldPath", fieldRefEnv("")},
	{"env apiVersion v1", fieldRefEnvVersion("v1", "metadata.name")},
	{"env apiVersion v2", fieldRefEnvVersion("v2", "metadata.name")},
	{"env apiVersion and bad path", fieldRefEnvVersion("apps/v1", "metadata.labels")},
	{"env apiVersion and empty path", fieldRefEnvVersion("v2", "")},
	// resourceFieldRef in env.
	{"env requests.cpu", resourceEnv("requests.cpu", nil)},
	{"env cpu divisor 1m", resourceEnv("limits.cpu", "1m")},
	{"env cpu divisor 1Ki", resourceEnv("limits.cpu", "1Ki")},
	{"env memory divisor 1m", resourceEnv("limits.memory", "1m")},
	{"env memory divisor 1024", resourceEnv("limits.memory", 1024)},
	{"env memory divisor quoted 1024", resourceEnv("limits.memory", "1024")},
	{"env memory divisor 1e3", resourceEnv("limits.memory", 1000.0)},
	{"env memory divisor 0.5", resourceEnv("limits.memory", 0.5)},
	{"env memory divisor m", resourceEnv("limits.memory", "m")},
	{"env ephemeral-storage divisor 1Gi", resourceEnv("requests.ephemeral-storage", "1Gi")},
	{"env hugepages", resourceEnv("limits.hugepages-2Mi", nil)},
	{"env hugepages divisor 1m", resourceEnv("limits.hugepages-1Gi", "1m")},
	{"env gpu", resourceEnv("limits.nvidia.com/gpu", nil)},
	{"env empty resource", resourceEnv("", nil)},
	{"env resource typo", resourceEnv("limits.memroy", nil)},
	{"env containerName", set(func(s obj) obj { return env(s, 1)["valueFrom"].(obj)["resourceFieldRef"].(obj) }, "containerName", "web")},
	// downwardAPI volume items.
	{"volume whole annotations", fieldRefItem("metadata.annotations")},
	{"volume label key", fieldRefItem("metadata.labels['app']")},
	{"volume status.podIP", fieldRefItem("status.podIP")},
	{"volume spec.nodeName", fieldRefItem("spec.nodeName")},
	{"volume spec.host", fieldRefItem("spec.host")},
	{"volume typo", fieldRefItem("metadata.lables")},
	{"volume bad annotation key", fieldRefItem("metadata.annotations['a/b/c']")},
	{"volume no containerName", del(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "containerName")},
	{"volume no containerName bad resource", all(
		del(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "containerName"),
		set(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "resource", "limits.pods"))},
	{"volume bad resource", set(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "resource", "limits.pods")},
	{"volume divisor 1", set(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "divisor", "1")},
	{"volume divisor 1Mi on cpu", set(func(s obj) obj { return item(s, 1)["resourceFieldRef"].(obj) }, "divisor", "1Mi")},
	{"volume both refs", set(item0, "resourceFieldRef", obj{"containerName": "web", "resource": "limits.cpu"})},
	{"volume no ref", del(item0, "fieldRef")},
	{"volume absolute path", set(item0, "path", "/labels")},
	{"volume dotdot path", set(item0, "path", "../labels")},
	{"volume reserved path", set(item0, "path", "..data")},
	{"volume dotdot alone", set(item0, "path", "..")},
	{"volume empty path", set(item0, "path", "")},
	{"volume dot path", set(item0, "path", "./labels")},
	{"volume mode 0644", set(item0, "mode", 0o644)},
	{"volume mode 644", set(item0, "mode", 644)},
	{"volume mode 400", set(item0, "mode", 400)},
	{"volume mode negative", set(item1, "mode", -1)},
	{"volume defaultMode 511", set(dapi, "defaultMode", 511)},
	{"volume defaultMode 512", set(dapi, "defaultMode", 512)},
	{"volume duplicate paths", set(item1, "path", "labels")},
	{"volume name invalid", all(set(v0, "name", "pod_info"), set(func(s obj) obj { return container(s)["volumeMounts"].([]any)[0].(obj) }, "name", "pod_info"))},
	{"volume name empty", set(v0, "name", "")},
	{"volume name duplicate", set(v1, "name", "podinfo")},
	{"volume two types", set(v0, "emptyDir", obj{})},
	// Projected volume sources.
	{"projected defaultMode 0600", set(proj, "defaultMode", 0o600)},
	{"projected defaultMode 600", set(proj, "defaultMode", 600)},
	{"projected duplicate path", set(func(s obj) obj { return cm(s)["items"].([]any)[0].(obj) }, "path", "name")},
	{"projected duplicate with token", set(token, "path", "name")},
	{"projected token short", set(token, "expirationSeconds", 300)},
	{"projected token long", set(token, "expirationSeconds", 5000000000)},
	{"projected token zero", set(token, "expirationSeconds", 0)},
	{"projected token default", del(token, "expirationSeconds")},
	{"projected token abs path", set(token, "path", "/token")},
	{"projected token no path", set(token, "path", "")},
	{"projected token dotdot", set(token, "path", "../token")},
	{"projected configMap no name", del(cm, "name")},
	{"projected configMap no key", set(func(s obj) obj { return cm(s)["items"].([]any)[0].(obj) }, "key", "")},
	{"projected configMap bad path", set(func(s obj) obj { return cm(s)["items"].([]any)[0].(obj) }, "path", "..app")},
	{"projected configMap mode 777", set(func(s obj) obj { return cm(s)["items"].([]any)[0].(obj) }, "mode", 777)},
	{"projected secret source", func(s obj) {
		p := proj(s)
		p["sources"] = append(p["sources"].([]any), obj{"secret": obj{"name": "tls", "items": []any{obj{"key": "tls.crt", "path": "tls.crt", "mode": 0o400}}}})
	}},
	{"projected two types in a source", set(func(s obj) obj { return source(s, 0) }, "configMap", obj{"name": "x"})},
	{"projected empty source", func(s obj) { p := proj(s); p["sources"] = append(p["sources"].([]any), obj{}) }},
	// Other volumes: modes only.
	{"secret volume defaultMode 644", func(s obj) {
		addVolume(s, obj{"name": "tls", "secret": obj{"secretName": "tls", "defaultMode": 644}})
	}},
	{"secret volume defaultMode 0400", func(s obj) {
		addVolume(s, obj{"name": "tls", "secret": obj{"secretName": "tls", "defaultMode": 0o400}})
	}},
	{"configMap volume item mode 755", func(s obj) {
		addVolume(s, obj{"name": "cfg", "configMap": obj{"name": "cfg", "items": []any{obj{"key": "k", "path": "k", "mode": 755}}}})
	}},
	{"configMap-only projected 644", func(s obj) {
		addVolume(s, obj{"name": "cfg", "projected": obj{"defaultMode": 644, "sources": []any{obj{"configMap": obj{"name": "cfg"}}}}})
	}},
	// Volume mounts.
	{"mount missing volume", set(func(s obj) obj { return container(s)["volumeMounts"].([]any)[2].(obj) }, "name", "envs")},
	{"mount of a refused volume", set(item0, "path", "/abs")},
	// env names and valueFrom.
	{"env name with space", set(at(env, 0), "name", "POD NAME")},
	{"env name empty", set(at(env, 0), "name", "")},
	{"env name with =", set(at(env, 0), "name", "A=B")},
	{"env value and valueFrom", set(at(env, 0), "value", "x")},
	{"env empty value and valueFrom", set(at(env, 0), "value", "")},
	{"env empty valueFrom", set(at(env, 0), "valueFrom", obj{})},
	{"env two sources", set(func(s obj) obj { return env(s, 0)["valueFrom"].(obj) }, "resourceFieldRef", obj{"resource": "limits.cpu"})},
	// configMapKeyRef, secretKeyRef, fileKeyRef.
	{"configMapKeyRef ok", func(s obj) {
		addEnv(s, obj{"name": "CFG", "valueFrom": obj{"configMapKeyRef": obj{"name": "web", "key": "app.properties"}}})
	}},
	{"configMapKeyRef bad name", func(s obj) {
		addEnv(s, obj{"name": "CFG", "valueFrom": obj{"configMapKeyRef": obj{"name": "Web", "key": "a"}}})
	}},
	{"secretKeyRef no key", func(s obj) {
		addEnv(s, obj{"name": "PW", "valueFrom": obj{"secretKeyRef": obj{"name": "web", "key": ""}}})
	}},
	{"secretKeyRef bad key", func(s obj) {
		addEnv(s, obj{"name": "PW", "valueFrom": obj{"secretKeyRef": obj{"name": "web", "key": "a/b"}}})
	}},
	{"fileKeyRef ok", func(s obj) {
		addEnv(s, obj{"name": "F", "valueFrom": obj{"fileKeyRef": obj{"volumeName": "env", "path": "app.env", "key": "F"}}})
	}},
	{"fileKeyRef not emptyDir", func(s obj) {
		addEnv(s, obj{"name": "F", "valueFrom": obj{"fileKeyRef": obj{"volumeName": "podinfo", "path": "app.env", "key": "F"}}})
	}},
	{"fileKeyRef missing volume", func(s obj) {
		addEnv(s, obj{"name": "F", "valueFrom": obj{"fileKeyRef": obj{"volumeName": "nope", "path": "app.env", "key": "F"}}})
	}},
	{"fileKeyRef bad key and path", func(s obj) {
		addEnv(s, obj{"name": "F", "valueFrom": obj{"fileKeyRef": obj{"volumeName": "env", "path": "a/../b", "key": "A=B"}}})
	}},
	{"fileKeyRef empty", func(s obj) { addEnv(s, obj{"name": "F", "valueFrom": obj{"fileKeyRef": obj{}}}) }},
	// Container resources.
	{"resources request above limit", set(reqs, "memory", "512Mi")},
	{"resources negative", set(lims, "cpu", "-1")},
	{"resources unknown name", set(lims, "cpus", "1")},
	{"resources pods", set(reqs, "pods", "1")},
	{"resources extended fractional", set(lims, "example.com/gpu", "0.5")},
	{"resources extended whole", set(lims, "example.com/gpu", "2")},
	{"resources extended request only", set(reqs, "example.com/gpu", "1")},
	{"resources extended unequal", all(set(reqs, "example.com/gpu", "1"), set(lims, "example.com/gpu", "2"))},
	{"resources hugepages ok", set(lims, "hugepages-2Mi", "4Mi")},
	{"resources hugepages not a multiple", set(lims, "hugepages-2Mi", "3Mi")},
	{"resources hugepages alone", func(s obj) {
		container(s)["resources"] = obj{"limits": obj{"hugepages-1Gi": "1Gi"}, "requests": obj{"hugepages-1Gi": "1Gi"}}
	}},
	{"resources kubernetes.io name", set(lims, "kubernetes.io/foo", "500m")},
	{"resources no limits", func(s obj) { delete(container(s)["resources"].(obj), "limits") }},
	// Input the API server cannot decode.
	{"input unknown field", set(func(s obj) obj { return env(s, 0)["valueFrom"].(obj)["fieldRef"].(obj) }, "fieldpath", "metadata.name")},
	{"input wrong type", set(at(env, 0), "value", 1)},
	{"input bad quantity", set(lims, "memory", "100ki")},
	{"input mode string", set(item0, "mode", "0644")},
}

// kinds lists the workload kinds and how each wraps a pod spec.
var kinds = []struct {
	apiVersion, kind string
	wrap             func(name string, spec obj) obj
}{
	{"v1", "Pod", func(name string, spec obj) obj {
		return obj{"metadata": meta(name), "spec": spec}
	}},
	{"v1", "PodTemplate", func(name string, spec obj) obj {
		return obj{"metadata": obj{"name": name}, "template": obj{"metadata": meta(name), "spec": spec}}
	}},
	{"v1", "ReplicationController", func(name string, spec obj) obj {
		return obj{"metadata": obj{"name": name}, "spec": obj{"selector": obj{"app": name}, "template": obj{"metadata": meta(name), "spec": spec}}}
	}},
	{"apps/v1", "Deployment", selectorWorkload},
	{"apps/v1", "ReplicaSet", selectorWorkload},
	{"apps/v1", "DaemonSet", selectorWorkload},
	{"apps/v1", "StatefulSet", func(name string, spec obj) obj {
		o := selectorWorkload(name, spec)
		o["spec"].(obj)["serviceName"] = name
		return o
	}},
	{"batch/v1", "Job", func(name string, spec obj) obj {
		spec["restartPolicy"] = "Never"
		return obj{"metadata": obj{"name": name}, "spec": obj{"template": obj{"metadata": meta(name), "spec": spec}}}
	}},
	{"batch/v1", "CronJob", func(name string, spec obj) obj {
		spec["restartPolicy"] = "OnFailure"
		return obj{"metadata": obj{"name": name}, "spec": obj{"schedule": "*/5 * * * *",
			"jobTemplate": obj{"spec": obj{"template": obj{"metadata": meta(name), "spec": spec}}}}}
	}},
}

func meta(name string) obj {
	return obj{"name": name, "labels": obj{"app": name}, "annotations": obj{"example.com/owner": "team"}}
}

func selectorWorkload(name string, spec obj) obj {
	return obj{"metadata": obj{"name": name}, "spec": obj{"selector": obj{"matchLabels": obj{"app": name}},
		"template": obj{"metadata": meta(name), "spec": spec}}}
}
