package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/admissionregistration/install"
	_ "k8s.io/kubernetes/pkg/apis/apiserverinternal/install"
	_ "k8s.io/kubernetes/pkg/apis/authentication/install"
	_ "k8s.io/kubernetes/pkg/apis/authorization/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/certificates/install"
	_ "k8s.io/kubernetes/pkg/apis/coordination/install"
	_ "k8s.io/kubernetes/pkg/apis/discovery/install"
	_ "k8s.io/kubernetes/pkg/apis/events/install"
	_ "k8s.io/kubernetes/pkg/apis/extensions/install"
	_ "k8s.io/kubernetes/pkg/apis/flowcontrol/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/node/install"
	_ "k8s.io/kubernetes/pkg/apis/policy/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/resource/install"
	_ "k8s.io/kubernetes/pkg/apis/scheduling/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"
	_ "k8s.io/kubernetes/pkg/apis/storagemigration/install"
)

// The kinds a Kubernetes 1.36 API server serves with its default
// configuration, derived from the API server's own scheme: every kind
// registered in a stable group version (pkg/controlplane enables stable
// versions and disables every alpha and beta one by default), less the
// kinds that are not resources (lists, options, subresource bodies).
// kubectl learns the same set from discovery.

// stableVersion matches the versions enabled by default.
var stableVersion = regexp.MustCompile(`^v[0-9]+$`)

// notResources are registered kinds that discovery does not list as
// resources: request and response bodies of subresources and webhooks.
var notResources = map[string]bool{
	"Status": true, "WatchEvent": true, "APIVersions": true, "APIGroup": true, "APIGroupList": true,
	"APIResourceList": true, "Scale": true, "Eviction": true, "TokenRequest": true, "RangeAllocation": true,
	"SerializedReference": true, "PodStatusResult": true, "EphemeralContainers": true,
	"AdmissionReview": true, "ImageReview": true, "ConversionReview": true,
}

// aggregatorKinds are served by the apiextensions and aggregator servers
// that kube-apiserver chains in front of itself; they are not in its scheme.
var aggregatorKinds = map[schema.GroupVersion][]string{
	{Group: "apiextensions.k8s.io", Version: "v1"}:   {"CustomResourceDefinition"},
	{Group: "apiregistration.k8s.io", Version: "v1"}: {"APIService"},
}

var servedKinds, builtinGroups = func() (map[schema.GroupVersion][]string, map[string]bool) {
	served := map[schema.GroupVersion][]string{}
	groups := map[string]bool{}
	for gv, kinds := range aggregatorKinds {
		served[gv] = kinds
		groups[gv.Group] = true
	}
	for gvk := range legacyscheme.Scheme.AllKnownTypes() {
		if gvk.Version == "__internal" {
			continue
		}
		groups[gvk.Group] = true
		if _, ok := served[gvk.GroupVersion()]; !ok {
			// Listed even when it serves nothing: its group is built in.
			served[gvk.GroupVersion()] = nil
		}
		k := gvk.Kind
		if !stableVersion.MatchString(gvk.Version) || notResources[k] || strings.HasSuffix(k, "List") || strings.HasSuffix(k, "Options") {
			continue
		}
		served[gvk.GroupVersion()] = append(served[gvk.GroupVersion()], k)
	}
	for gv := range served {
		slices.Sort(served[gv])
	}
	return served, groups
}()

// checkKind does what kubectl's REST mapping and the server's decoding do
// with a document's apiVersion and kind. refused is true when the object
// can never be created, and r then says why; objects of groups that are not
// built in (custom resources) are never refused here.
func checkKind(apiVersion, kind string, list bool) (r result, refused bool) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || !builtinGroups[gv.Group] || kind == "" {
		return r, false
	}
	refuse := func(msg string) (result, bool) {
		return result{APIVersion: apiVersion, Kind: kind, Errors: []fieldError{}, Rejected: true, DecodeError: msg}, true
	}
	noMatch := fmt.Sprintf("no matches for kind %q in version %q", kind, gv.String())
	kinds := servedKinds[gv]
	if list {
		// Discovery maps "List" and every "<Kind>List" of a served version.
		if len(kinds) > 0 && (kind == "List" || slices.Contains(kinds, strings.TrimSuffix(kind, "List"))) {
			return r, false
		}
		return refuse(noMatch)
	}
	if slices.Contains(kinds, kind) {
		return r, false
	}
	for _, k := range kinds {
		if strings.ToLower(k) == kind {
			// Discovery maps the lower-case kind too, so kubectl sends it,
			// and the server's decoder does not know it.
			return refuse(fmt.Sprintf("no kind %q is registered for version %q", kind, gv.String()))
		}
	}
	return refuse(noMatch)
}

// printServedKinds prints servedKinds as one JSON object, group versions
// sorted, for generating dapilint's table (make kinds). Group versions of
// built-in groups that serve nothing by default (alpha, beta, removed ones
// such as extensions/v1beta1) are listed with no kinds.
func printServedKinds() {
	var gvs []string
	byName := map[string][]string{}
	for gv, kinds := range servedKinds {
		gvs = append(gvs, gv.String())
		byName[gv.String()] = kinds
	}
	slices.Sort(gvs)
	fmt.Println("{")
	for i, gv := range gvs {
		q := make([]string, len(byName[gv]))
		if len(q) == 0 {
			q = []string{}
		}
		for j, k := range byName[gv] {
			q[j] = fmt.Sprintf("%q", k)
		}
		sep := ","
		if i == len(gvs)-1 {
			sep = ""
		}
		fmt.Printf("  %q: [%s]%s\n", gv, strings.Join(q, ", "), sep)
	}
	fmt.Println("}")
}
