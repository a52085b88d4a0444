# dapilint — make targets. `make test` is what CI runs (see .ci/run).
GO ?= go
# The API server oracle (tools/apiserver-oracle, its own Go module): the
# real Kubernetes 1.36 validation, linked as a library, run offline.
ORACLE ?= $(CURDIR)/tools/apiserver-oracle/bin/oracle

.PHONY: all build test vet fmt-check race bench docs oracle goldens kinds conformance fuzz

all: build

build:
	$(GO) build -o bin/dapilint ./cmd/dapilint

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

bench:
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

# fuzz runs the fuzz target over the loader and every rule for FUZZTIME;
# an input that takes longer than FUZZMAXTIME to lint counts as a crash.
FUZZTIME ?= 60s
FUZZMAXTIME ?= 2s
fuzz:
	DAPILINT_FUZZ_MAXTIME=$(FUZZMAXTIME) $(GO) test ./lint -run '^$$' -fuzz FuzzLintAll -fuzztime $(FUZZTIME)
