#!/usr/bin/env bash
# Runs GoReleaser at the version the project pins, building it from the Go
# module proxy the first time (go install, checked against go.sum's database
# like any module) into ${DAPILINT_TOOLS:-$HOME/.cache/dapilint-tools}:
#
#   bash scripts/ci/goreleaser.sh check
#   bash scripts/ci/goreleaser.sh release --snapshot --clean --skip=docker
#   bash scripts/ci/goreleaser.sh --path     # install, print the binary's path
#
# This is the only place the version is written; the release workflow and
# the tests (internal/e2e/release_test.go) run GoReleaser through it.
# Progress goes to stderr.
set -euo pipefail

GORELEASER_VERSION=v2.15.1

if [[ -z "${HOME:-}" ]]; then
	HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
	export HOME
fi
dir="${DAPILINT_TOOLS:-$HOME/.cache/dapilint-tools}/goreleaser-$GORELEASER_VERSION"
bin="$dir/goreleaser"

if [[ ! -x "$bin" ]]; then
	printf 'goreleaser.sh: go install github.com/goreleaser/goreleaser/v2@%s into %s\n' "$GORELEASER_VERSION" "$dir" >&2
	mkdir -p "$dir"
	# Its ~2 GB of modules and ~1 GB of build cache are of no use once the
	# binary exists: they go to a scratch directory, removed afterwards,
	# not into the user's caches.
	scratch="$(mktemp -d "$dir/.build.XXXXXX")"
	trap 'rm -rf "$scratch"' EXIT
	# GOTOOLCHAIN=auto: GoReleaser may need a newer Go than the one at hand
	# (v2.15.1 needs 1.26.1); go then fetches that toolchain from the proxy.
	# The caller's GOFLAGS (e.g. -mod=vendor) are not GoReleaser's.
	GOBIN="$scratch/bin" GOMODCACHE="$scratch/mod" GOCACHE="$scratch/cache" \
		GOTOOLCHAIN=auto GOFLAGS="-trimpath -modcacherw" CGO_ENABLED=0 \
		go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
	mv "$scratch/bin/goreleaser" "$bin"
	rm -rf "$scratch"
	trap - EXIT
fi

if [[ "${1:-}" == --path ]]; then
	printf '%s\n' "$bin"
	exit 0
fi
exec "$bin" "$@"
