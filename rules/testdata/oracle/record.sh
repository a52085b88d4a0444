#!/bin/sh
# Records the API server's verdict on every DA1xx fixture into
# rules/testdata/oracle/<ID>-<fixture>.jsonl, for TestOracle
# (rules/apiserver_oracle_test.go). Run it after adding or changing a DA1xx
# fixture:
#
#	rules/testdata/oracle/record.sh [ORACLE]
#
# ORACLE is the apiserver-oracle binary (Kubernetes 1.36 validation run
# offline; default $ORACLE or /work/oracle-bin/oracle). Each golden starts
# with the fixture's sha256, so the test notices a fixture edited since.
# The oracle runs without -downward-only: the test needs the errors on
# env[i].valueFrom, env[i].name, projected and volumeMounts[i].name too, and
# filters the rest itself.
set -eu
oracle=${1:-${ORACLE:-/work/oracle-bin/oracle}}
case $oracle in /*) ;; *) oracle=$(pwd)/$oracle ;; esac
cd "$(dirname "$0")/.."
rm -f oracle/DA1*.jsonl
for f in DA1[0-9][0-9]/*.yaml; do
	out="oracle/$(dirname "$f")-$(basename "$f" .yaml).jsonl"
	sum=$(sha256sum <"$f" | cut -d' ' -f1)
	{
		printf '{"fixture":"%s","sha256":"%s"}\n' "$f" "$sum"
		"$oracle" "$f"
	} >"$out"
done
echo "recorded $(ls oracle/DA1*.jsonl | wc -l) goldens with $("$oracle" -version)"
