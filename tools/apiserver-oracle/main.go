// Command oracle runs the real kube-apiserver create-path validation
// (k8s.io/kubernetes v1.36.3, linked as a library) on manifests offline and
// prints one JSON line per document. It is a differential-testing oracle: a
// linter's verdicts can be compared with what the apiserver would reject.
//
// For each supported document it does what the apiserver does on POST:
//
//  1. decode the JSON body with the scheme's strict JSON serializer into the
//     versioned type (decode errors such as "100ki" or wrong types are
//     reported as decodeError; unknown/duplicate fields as strictErrors);
//  2. apply the registered v1 defaulting (Scheme.Default -> SetDefaults_*);
//  3. convert to the internal type (pkg/apis/core, apps, batch);
//  4. fill system metadata and generate a name for generateName, set the
//     request namespace (generic registry Store.Create);
//  5. run the registry strategy exactly as rest.BeforeCreate does:
//     PrepareForCreate (drops disabled fields, clears status, generates Job
//     selectors...), Validate (ValidatePodCreate / ValidateDeployment /
//     ValidateJob ... with PodValidationOptions derived by the strategy
//     itself, plus declarative validation where the strategy wires it), and
//     only if that passed, the generic ObjectMeta validation.
//
// Admission plugins (ServiceAccount, LimitRanger, PodSecurity, webhooks) are
// not run: they depend on cluster state.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/go-logr/logr"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/validate/content"
	genericvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/klog/v2"

	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/features" // registers kube feature gates with their 1.36 defaults

	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/replicaset"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/pod"
	"k8s.io/kubernetes/pkg/registry/core/podtemplate"
	"k8s.io/kubernetes/pkg/registry/core/replicationcontroller"
)

// kubernetesVersion is the k8s.io/kubernetes module version pinned in go.mod.
const kubernetesVersion = "v1.36.3"

type target struct {
	resource string
	strategy rest.RESTCreateStrategy
}

var targets = map[schema.GroupVersionKind]target{
	{Group: "", Version: "v1", Kind: "Pod"}:                   {"pods", pod.Strategy},
	{Group: "", Version: "v1", Kind: "PodTemplate"}:           {"podtemplates", podtemplate.Strategy},
	{Group: "", Version: "v1", Kind: "ReplicationController"}: {"replicationcontrollers", replicationcontroller.Strategy},
	{Group: "apps", Version: "v1", Kind: "Deployment"}:        {"deployments", deployment.Strategy},
	{Group: "apps", Version: "v1", Kind: "ReplicaSet"}:        {"replicasets", replicaset.Strategy},
	{Group: "apps", Version: "v1", Kind: "StatefulSet"}:       {"statefulsets", statefulset.Strategy},
	{Group: "apps", Version: "v1", Kind: "DaemonSet"}:         {"daemonsets", daemonset.Strategy},
	{Group: "batch", Version: "v1", Kind: "Job"}:              {"jobs", job.Strategy},
	{Group: "batch", Version: "v1", Kind: "CronJob"}:          {"cronjobs", cronjob.Strategy},
}

type fieldError struct {
	Field  string `json:"field"`
	Type   string `json:"type"`
	Detail string `json:"detail"`
	// Message is field.Error.ErrorBody(): what kubectl prints after the field.
	Message string `json:"message"`
	Origin  string `json:"origin,omitempty"`
}

type result struct {
	File       string `json:"file"`
	Doc        int    `json:"doc"`            // 0-based index among the file's non-empty documents
	Line       int    `json:"line"`           // 1-based line where the document's content starts
	Item       *int   `json:"item,omitempty"` // index inside a v1 List document
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	// Rejected is the whole verdict: decode error, strict-decoding error
	// (kubectl's default --validate=strict) or any validation error, before
	// -downward-only filtering.
	Rejected     bool         `json:"rejected"`
	Errors       []fieldError `json:"errors"`
	DecodeError  string       `json:"decodeError"`
	StrictErrors []string     `json:"strictErrors,omitempty"`
	Warnings     []string     `json:"warnings,omitempty"`
	FilteredOut  int          `json:"filteredOut,omitempty"`
	Skipped      string       `json:"skipped,omitempty"`
}

var (
	downwardOnly = flag.Bool("downward-only", false, "keep only errors (and strict-decoding errors) whose field path mentions fieldRef, resourceFieldRef, downwardAPI or divisor")
	namespace    = flag.String("namespace", "default", "request namespace used when a document sets none (kubectl uses the context namespace)")
	showSkipped  = flag.Bool("show-skipped", false, "also print a line for documents whose kind carries no pod spec")
	showWarnings = flag.Bool("warnings", false, "include the apiserver's create warnings (WarningsOnCreate)")
	featureGates = flag.String("feature-gates", "", "comma-separated Gate=bool overrides, as for kube-apiserver --feature-gates")
	printVersion = flag.Bool("version", false, "print the pinned Kubernetes version and exit")
	printKinds   = flag.Bool("served-kinds", false, "print the kinds served by default, by group version, as JSON, and exit")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: oracle [flags] FILE... (or - for stdin)\n\nRuns kube-apiserver %s create validation offline; prints JSON lines.\n\n", kubernetesVersion)
		flag.PrintDefaults()
	}
	flag.Parse()
	if *printVersion {
		fmt.Println(kubernetesVersion)
		return
	}
	if *printKinds {
		printServedKinds()
		return
	}
	// Declarative-validation mismatch reports etc. go to klog; keep stdout/stderr clean.
	klog.SetLogger(logr.Discard())
	if *featureGates != "" {
		if err := utilfeature.DefaultMutableFeatureGate.Set(*featureGates); err != nil {
			fmt.Fprintln(os.Stderr, "oracle: -feature-gates:", err)
			os.Exit(2)
		}
	}
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	status := 0
	for _, name := range flag.Args() {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "oracle:", err)
			status = 2
			continue
		}
		for _, r := range processFile(name, data) {
			if r.Skipped != "" && !*showSkipped {
				continue
			}
			if err := enc.Encode(r); err != nil {
				fmt.Fprintln(os.Stderr, "oracle:", err)
				os.Exit(2)
			}
		}
	}
	out.Flush()
	os.Exit(status)
}

// peek extracts apiVersion/kind/name leniently so that even documents that
// fail to decode can be identified.
type peek struct {
	APIVersion string
	Kind       string
	Metadata   struct {
		Name         string
		GenerateName string
	}
	Items []json.RawMessage
}

func lenientPeek(raw []byte) peek {
	var p peek
	var generic map[string]any
	if json.Unmarshal(raw, &generic) != nil {
		return p
	}
	if s, ok := generic["apiVersion"].(string); ok {
		p.APIVersion = s
	}
	if s, ok := generic["kind"].(string); ok {
		p.Kind = s
	}
	if md, ok := generic["metadata"].(map[string]any); ok {
		if s, ok := md["name"].(string); ok {
			p.Metadata.Name = s
		}
		if s, ok := md["generateName"].(string); ok {
			p.Metadata.GenerateName = s
		}
	}
	if items, ok := generic["items"].([]any); ok {
		for _, it := range items {
			b, _ := json.Marshal(it)
			p.Items = append(p.Items, b)
		}
	}
	return p
}

func ptr[T any](v T) *T { return &v }

var strictJSON runtime.Serializer

func init() {
	for _, info := range legacyscheme.Codecs.SupportedMediaTypes() {
		if info.MediaType == runtime.ContentTypeJSON {
			strictJSON = info.StrictSerializer
		}
	}
	if strictJSON == nil {
		panic("no strict JSON serializer in legacyscheme.Codecs")
	}
}

func validateDoc(raw []byte) (r result) {
	p := lenientPeek(raw)
	r.APIVersion, r.Kind, r.Name = p.APIVersion, p.Kind, p.Metadata.Name
	if r.Name == "" && p.Metadata.GenerateName != "" {
		r.Name = p.Metadata.GenerateName
	}
	r.Errors = []fieldError{}
	gv, err := schema.ParseGroupVersion(p.APIVersion)
	if err != nil || p.APIVersion == "" {
		for known := range targets {
			if known.Kind == p.Kind {
				// kubectl refuses such a document before sending it.
				r.DecodeError = fmt.Sprintf("Object 'apiVersion' is missing or invalid: %q", p.APIVersion)
				r.Rejected = true
				return r
			}
		}
		r.Skipped = "no or invalid apiVersion"
		return r
	}
	gvk := gv.WithKind(p.Kind)
	if kr, refused := checkKind(p.APIVersion, p.Kind, false); refused {
		kr.Name = r.Name
		return kr
	}
	tgt, ok := targets[gvk]
	if !ok {
		r.Skipped = "kind carries no pod spec"
		return r
	}

	defer func() {
		// The validation code is not supposed to panic; if it does, say so
		// instead of crashing the whole run.
		if x := recover(); x != nil {
			r.DecodeError = fmt.Sprintf("oracle: panic during validation: %v", x)
			r.Rejected = true
		}
	}()

	// 1. Decode into the versioned type, as the apiserver's create handler
	// does with fieldValidation=Strict (kubectl's default).
	versioned, _, err := strictJSON.Decode(raw, nil, nil)
	if err != nil {
		if strictErr, isStrict := runtime.AsStrictDecodingError(err); isStrict && versioned != nil {
			for _, e := range strictErr.Errors() {
				r.StrictErrors = append(r.StrictErrors, e.Error())
			}
		} else {
			// Same wording as the apiserver's transformDecodeError.
			r.DecodeError = fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, gvk.Kind, err)
			r.Rejected = true
			return r
		}
	}
	// 2. v1 defaulting (SetDefaults_* registered by the install packages).
	legacyscheme.Scheme.Default(versioned)
	// 3. Convert to the internal type.
	obj, err := legacyscheme.Scheme.ConvertToVersion(versioned, schema.GroupVersion{Group: gv.Group, Version: runtime.APIVersionInternal})
	if err != nil {
		r.DecodeError = fmt.Sprintf("conversion to internal version failed: %v", err)
		r.Rejected = true
		return r
	}

	// 4. generic registry Store.Create: system metadata, generateName, namespace.
	objMeta, err := meta.Accessor(obj)
	if err != nil {
		r.DecodeError = err.Error()
		r.Rejected = true
		return r
	}
	rest.FillObjectMetaSystemFields(objMeta)
	if objMeta.GetGenerateName() != "" && objMeta.GetName() == "" {
		objMeta.SetName(tgt.strategy.GenerateName(objMeta.GetGenerateName()))
	}
	ns := objMeta.GetNamespace()
	if ns == "" {
		ns = *namespace
	}
	ctx := genericapirequest.WithNamespace(context.Background(), ns)
	ctx = genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true,
		Verb:              "create",
		APIPrefix:         map[bool]string{true: "api", false: "apis"}[gv.Group == ""],
		APIGroup:          gv.Group,
		APIVersion:        gv.Version,
		Namespace:         ns,
		Resource:          tgt.resource,
	})
	if err := rest.EnsureObjectNamespaceMatchesRequestNamespace(rest.ExpectedNamespaceForScope(ns, tgt.strategy.NamespaceScoped()), objMeta); err != nil {
		r.DecodeError = err.Error()
		r.Rejected = true
		return r
	}

	// 5. rest.BeforeCreate, step by step so the field.ErrorList is kept.
	tgt.strategy.PrepareForCreate(ctx, obj)
	errs := tgt.strategy.Validate(ctx, obj)
	if len(errs) == 0 {
		errs = genericvalidation.ValidateObjectMetaAccessor(objMeta, tgt.strategy.NamespaceScoped(), validatePathSegment, field.NewPath("metadata"))
	}
	if len(errs) == 0 && *showWarnings {
		r.Warnings = tgt.strategy.WarningsOnCreate(ctx, obj)
	}

	r.Rejected = len(errs) > 0 || len(r.StrictErrors) > 0
	for _, e := range errs {
		fe := fieldError{Field: e.Field, Type: string(e.Type), Detail: e.Detail, Message: e.ErrorBody(), Origin: e.Origin}
		if *downwardOnly && !isDownward(e.Field) {
			r.FilteredOut++
			continue
		}
		r.Errors = append(r.Errors, fe)
	}
	// The validation walks maps (resource lists, label maps) in random
	// order; sort so that the same input always prints the same line.
	sort.SliceStable(r.Errors, func(i, j int) bool {
		if r.Errors[i].Field != r.Errors[j].Field {
			return r.Errors[i].Field < r.Errors[j].Field
		}
		return r.Errors[i].Message < r.Errors[j].Message
	})
	if *downwardOnly && len(r.StrictErrors) > 0 {
		var kept []string
		for _, s := range r.StrictErrors {
			if isDownward(s) {
				kept = append(kept, s)
			} else {
				r.FilteredOut++
			}
		}
		r.StrictErrors = kept
	}
	return r
}

// validatePathSegment is rest.BeforeCreate's name check for ObjectMeta.
func validatePathSegment(name string, prefix bool) []string {
	if prefix {
		return content.IsPathSegmentPrefix(name)
	}
	return content.IsPathSegmentName(name)
}

var downwardMarkers = []string{"fieldRef", "resourceFieldRef", "downwardAPI", "divisor"}

func isDownward(s string) bool {
	for _, m := range downwardMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
