# dapilint — make targets. `make test` is what CI runs (see .ci/run).
GO ?= go
# The API server oracle (tools/apiserver-oracle, its own Go module): the
# real Kubernetes 1.36 validation, linked as a library, run offline.
ORACLE ?= $(CURDIR)/tools/apiserver-oracle/bin/oracle

.PHONY: all build test vet fmt-check race bench bench-go docs oracle goldens kinds conformance fuzz

all: build

# Both binaries: dapilint runs dapilint-render (beside it in bin/) for
# Helm charts and kustomizations.
build:
	$(GO) build -o bin/ ./cmd/dapilint ./cmd/dapilint-render

# The timeout is generous for the snapshot release (internal/e2e), which
# cross-builds dapilint and dapilint-render for six platforms: minutes on a
# cold build cache.
test: vet fmt-check
	$(GO) test -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

race:
	$(GO) test -race ./...

# bench measures the whole process (internal/bench): MB/s, documents/s and
# peak RSS in each output format on the generated corpus (internal/benchcorpus)
# at 1x and 4x and as one large file, and a single small file as a pre-commit
# hook lints it. With KUBECONFORM (a kubeconform binary; offline, also
# KUBECONFORM_SCHEMAS, its -schema-location) it also runs kubeconform -strict
# on the 1x corpus, in pairs with dapilint. See docs/performance.md.
KUBECONFORM ?=
KUBECONFORM_SCHEMAS ?=
BENCHFLAGS ?=
bench: build
	$(GO) run ./internal/bench -bin bin/dapilint $(BENCHFLAGS) \
		$(if $(KUBECONFORM),-kubeconform '$(KUBECONFORM)' -kubeconform-schemas '$(KUBECONFORM_SCHEMAS)')

# bench-go runs the Go benchmarks (loader, lint, reporters).
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# docs regenerates docs/rules.md from the rules (TestRulesDocUpToDate fails when it is stale).
docs:
	$(GO) generate ./...

# oracle builds the API server oracle. The first build downloads about
# 450 MB of modules (k8s.io/kubernetes) and compiles for about 2 minutes.
oracle:
	cd tools/apiserver-oracle && $(GO) build -o $(ORACLE) .

# goldens re-records the oracle's verdicts on the rule fixtures
# (rules/testdata/oracle*/), which the tests compare dapilint with.
goldens: oracle
	rules/testdata/oracle/record.sh $(ORACLE)
	rules/testdata/oracle-runtime/record.sh $(ORACLE)

# kinds regenerates loader/builtin_kinds.go, the kinds the API server serves.
kinds: oracle
	$(ORACLE) -served-kinds | $(GO) run ./internal/genkinds > loader/builtin_kinds.go

# conformance generates variations of manifests, runs dapilint and the oracle
# on each, and compares their verdicts document by document.
conformance: oracle
	$(GO) run ./internal/conformance -oracle $(ORACLE)

# fuzz runs each fuzz target for FUZZTIME: the loader and every rule (an
# input that takes longer than FUZZMAXTIME to lint counts as a crash), the
# block-YAML fast path against the full parser, and the loader against
# kubectl's own decoding.
# FUZZMINIMIZETIME bounds the time spent shrinking each new input (Go's
# default, 60s, is most of a short run when the seeds are whole manifests).
FUZZTIME ?= 60s
FUZZMAXTIME ?= 2s
FUZZMINIMIZETIME ?= 5s
fuzz:
	DAPILINT_FUZZ_MAXTIME=$(FUZZMAXTIME) $(GO) test ./lint -run '^$$' -fuzz FuzzLintAll -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
	$(GO) test ./loader -run '^$$' -fuzz FuzzBlockYAML -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
	$(GO) test ./loader -run '^$$' -fuzz FuzzDifferential -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
