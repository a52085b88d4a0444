#!/bin/sh
# Records the real API server's verdicts on the DA2xx fixtures.
#
# The DA2xx rules report what the API server ACCEPTS but goes wrong at
# runtime, so every document of their fixtures must be accepted by a real
# 1.36 apiserver (fixtures named *rejected*.yaml are the exception: they
# document that a DA2xx rule stays quiet where the apiserver rejects, and
# every document of them must be rejected). This script runs the
# apiserver-oracle on each fixture and stores its output as a golden file,
# which runtime_oracle_test.go checks (CI has no oracle binary).
#
# Usage: rules/testdata/oracle-runtime/record.sh [ORACLE]
#   ORACLE defaults to $ORACLE, then the repository's own oracle,
#   tools/apiserver-oracle/bin/oracle (built with `make oracle` if missing).
# Each golden starts with a line {"fixture": ..., "sha256": ...} naming the
# fixture it was recorded from and its fingerprint (sha256 without
# comments); the test fails when the fixture changed since, so re-run this
# script (or `make goldens`) after editing a fixture.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
oracle=${1:-${ORACLE:-$root/tools/apiserver-oracle/bin/oracle}}
case $oracle in /*) ;; *) oracle=$(pwd)/$oracle ;; esac
cd "$root"
[ -x "$oracle" ] || make oracle ORACLE="$oracle"
go run ./internal/oraclegolden/record -oracle "$oracle" -dir rules/testdata -out oracle-runtime \
	-args '-downward-only -show-skipped' 'DA2[0-9][0-9]/*.yaml'
