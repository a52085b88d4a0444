#!/usr/bin/env bash
# record.sh — record the real API server's verdicts on the DA2xx fixtures.
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
#   ORACLE defaults to $ORACLE, then /work/oracle-bin/oracle.
# Each golden starts with a line {"fixture": ..., "sha256": ...} naming the
# fixture it was recorded from; the test fails when the fixture changed
# since, so re-run this script after editing a fixture.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
testdata=$(dirname "$here")
oracle=${1:-${ORACLE:-/work/oracle-bin/oracle}}
if [ ! -x "$oracle" ]; then
  echo "record.sh: no oracle binary at $oracle (build shared/tools/apiserver-oracle)" >&2
  exit 2
fi
rm -f "$here"/*.jsonl
cd "$testdata"
for f in DA2[0-9][0-9]/*.yaml; do
  out="$here/$(dirname "$f")-$(basename "$f" .yaml).jsonl"
  sum=$(sha256sum "$f" | cut -d' ' -f1)
  {
    printf '{"fixture":"%s","sha256":"%s"}\n' "$f" "$sum"
    "$oracle" -downward-only -show-skipped "$f"
  } >"$out"
done
echo "recorded $(ls "$here"/*.jsonl | wc -l) fixtures with $("$oracle" -version 2>/dev/null || echo oracle)"
