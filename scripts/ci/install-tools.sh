#!/usr/bin/env bash
# Installs the external tools dapilint's tests use, outside the repo:
#   - Microsoft SARIF validator (npm @microsoft/sarif-multitool{,-linux}) into
#     ${DAPILINT_TOOLS:-$HOME/.cache/dapilint-tools}
#   - Debian packages: pre-commit, git, libicu (the validator is a
#     self-contained .NET app and aborts without ICU), and zsh and fish (the
#     shell completion scripts are run in them), unzip (the Action unpacks
#     Windows release archives with it)
#   - GoReleaser, built from the Go module proxy by scripts/ci/goreleaser.sh
#     at the version it pins (minutes the first time; then kept)
# Idempotent: anything already present is skipped. Quiet on success: the only
# thing written to stdout is a block of `export NAME=value` lines, meant for
#   eval "$(bash scripts/ci/install-tools.sh)"
# Progress and errors go to stderr.
set -euo pipefail

SARIF_MULTITOOL_VERSION=5.7.0

log() { printf 'install-tools: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -z "${HOME:-}" ]]; then
	HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
	export HOME
fi
TOOLS_DIR="${DAPILINT_TOOLS:-$HOME/.cache/dapilint-tools}"

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
	command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install"
	SUDO=(sudo)
fi

# ---------------------------------------------------------------- apt packages
pkg_installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

apt_updated=0
apt_update() {
	[[ $apt_updated -eq 1 ]] && return 0
	local logf
	logf="$(mktemp)"
	if ! "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update >"$logf" 2>&1; then
		cat "$logf" >&2
		rm -f "$logf"
		die "apt-get update failed"
	fi
	rm -f "$logf"
	apt_updated=1
}

apt_install() {
	local logf
	logf="$(mktemp)"
	log "apt-get install $*"
	if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 \
		install -y -q --no-install-recommends "$@" >"$logf" 2>&1; then
		cat "$logf" >&2
		rm -f "$logf"
		die "apt-get install $* failed"
	fi
	rm -f "$logf"
}

want=()
for p in pre-commit git zsh fish unzip; do
	pkg_installed "$p" || want+=("$p")
done
ldcache="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
if [[ "$ldcache" != *libicuuc.so* ]]; then
	apt_update
	icu="$(apt-cache pkgnames libicu 2>/dev/null | grep -E '^libicu[0-9]+$' | sort -V | tail -n1 || true)"
	want+=("${icu:-libicu72}")
fi
if [[ ${#want[@]} -gt 0 ]]; then
	apt_update
	apt_install "${want[@]}"
fi
for tool in pre-commit zsh fish unzip; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not on PATH after install"
done

# ------------------------------------------------------------- SARIF validator
PLATFORM_DIR="$TOOLS_DIR/node_modules/@microsoft/sarif-multitool-linux"
SARIF_EXE="$PLATFORM_DIR/Sarif.Multitool"

installed_version() {
	[[ -f "$PLATFORM_DIR/package.json" ]] || return 0
	node -e 'process.stdout.write(require(process.argv[1]).version)' "$PLATFORM_DIR/package.json" 2>/dev/null || true
}

if [[ ! -f "$SARIF_EXE" || "$(installed_version)" != "$SARIF_MULTITOOL_VERSION" ]]; then
	command -v npm >/dev/null 2>&1 || die "npm not found; needed to install @microsoft/sarif-multitool"
	mkdir -p "$TOOLS_DIR"
	log "npm install @microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION into $TOOLS_DIR"
	logf="$(mktemp)"
	ok=0
	for attempt in 1 2 3; do
		# The platform package is named explicitly so that the optional
		# dependency (^5.7.0) cannot float to a newer release.
		if npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund \
			--no-package-lock --loglevel=error \
			"@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION" \
			"@microsoft/sarif-multitool-linux@$SARIF_MULTITOOL_VERSION" >"$logf" 2>&1; then
			ok=1
			break
		fi
		log "npm install attempt $attempt failed; retrying"
		sleep $((attempt * 5))
	done
	if [[ $ok -ne 1 ]]; then
		cat "$logf" >&2
		rm -f "$logf"
		die "npm install of the SARIF multitool failed"
	fi
	rm -f "$logf"
fi
[[ -f "$SARIF_EXE" ]] || die "SARIF multitool executable missing: $SARIF_EXE"
# npm may skip the package's postinstall (chmod u+x), so do it here.
[[ -x "$SARIF_EXE" ]] || chmod u+x "$SARIF_EXE"

# Smoke test: aborts with exit 134 when ICU is missing.
if ! smoke="$("$SARIF_EXE" version 2>&1)"; then
	printf '%s\n' "$smoke" >&2
	die "SARIF multitool does not run: $SARIF_EXE"
fi

# ------------------------------------------------------------------ GoReleaser
logf="$(mktemp)"
if ! goreleaser="$(DAPILINT_TOOLS="$TOOLS_DIR" bash "$(dirname "${BASH_SOURCE[0]}")/goreleaser.sh" --path 2>"$logf")"; then
	cat "$logf" >&2
	rm -f "$logf"
	die "installing GoReleaser failed"
fi
rm -f "$logf"

# ------------------------------------------------------------------ exports
printf 'export DAPILINT_TOOLS=%q\n' "$TOOLS_DIR"
printf 'export SARIF_MULTITOOL=%q\n' "$SARIF_EXE"
printf 'export PRE_COMMIT=%q\n' "$(command -v pre-commit)"
printf 'export GORELEASER=%q\n' "$goreleaser"
