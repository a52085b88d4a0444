#!/bin/sh
# Records the API server's verdict on every DA1xx fixture into
# rules/testdata/oracle/<ID>-<fixture>.jsonl, for TestOracle
# (rules/apiserver_oracle_test.go). Run it after adding or changing a DA1xx
# fixture (or run `make goldens`, which records every golden):
#
#	rules/testdata/oracle/record.sh [ORACLE]
#
# ORACLE is the apiserver-oracle binary (Kubernetes 1.36 validation run
# offline); by default the repository's own, tools/apiserver-oracle,
# built with `make oracle` when it is missing. Each golden starts with the
# fixture's fingerprint (its sha256 without comments), so the test notices
# a fixture edited since. The oracle runs without -downward-only: the test
# needs the errors on env[i].valueFrom, env[i].name, projected and
# volumeMounts[i].name too, and filters the rest itself.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
oracle=${1:-${ORACLE:-$root/tools/apiserver-oracle/bin/oracle}}
case $oracle in /*) ;; *) oracle=$(pwd)/$oracle ;; esac
cd "$root"
[ -x "$oracle" ] || make oracle ORACLE="$oracle"
go run ./internal/oraclegolden/record -oracle "$oracle" -dir rules/testdata -out oracle 'DA1[0-9][0-9]/*.yaml'
