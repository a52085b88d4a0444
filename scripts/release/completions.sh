#!/bin/sh
# Writes the shell completion scripts that the release archives ship, from
# `dapilint completion SHELL`: completions/dapilint.bash, completions/_dapilint
# (zsh's name for it) and completions/dapilint.fish. GoReleaser runs it as a
# before hook (.goreleaser.yaml).
set -eu
cd "$(dirname "$0")/../.."
rm -rf completions
mkdir completions
go build -o completions/.dapilint ./cmd/dapilint
completions/.dapilint completion bash >completions/dapilint.bash
completions/.dapilint completion zsh >completions/_dapilint
completions/.dapilint completion fish >completions/dapilint.fish
rm completions/.dapilint
