# dapilint — make targets. `make test` is what CI runs (see .ci/run).
GO ?= go

.PHONY: all build test vet fmt-check race bench docs

all: build

build:
	$(GO) build -o bin/dapilint ./cmd/dapilint

# The timeout is generous for the snapshot release (internal/e2e), which
# cross-builds six binaries: minutes on a cold build cache.
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
