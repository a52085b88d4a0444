#!/usr/bin/env bash
# Runs the oracle over testdata/ and prints the markdown results table used in README.md.
# usage: ./run_cases.sh [path-to-oracle-binary]   (default bin/oracle)
set -euo pipefail
cd "$(dirname "$0")"
ORACLE=${1:-bin/oracle}
declare -a CASES=(
  "01-volume-matadata-labels.yaml|downwardAPI volume item fieldPath \`matadata.labels\` (typo)"
  "02-env-metadata-labels.yaml|env fieldRef fieldPath \`metadata.labels\` (whole map)"
  "03-env-metadata-labels-key.yaml|env fieldRef fieldPath \`metadata.labels['app']\`"
  "04-volume-resourcefieldref-no-container.yaml|downwardAPI volume resourceFieldRef without containerName"
  "05-cpu-divisor-1Ki.yaml|env resourceFieldRef limits.cpu, divisor \`1Ki\`"
  "06-memory-divisor-1m.yaml|env resourceFieldRef limits.memory, divisor \`1m\`"
  "07-divisor-1024-quoted.yaml|limits.memory divisor \`\"1024\"\` (quoted)"
  "08-divisor-1024-unquoted.yaml|limits.memory divisor \`1024\` (unquoted)"
  "09-memory-100ki.yaml|Deployment \`resources.limits.memory: 100ki\`"
  "10-fieldref-apiversion-v2.yaml|env fieldRef \`apiVersion: v2\`, fieldPath spec.nodeName"
  "11-mode-644.yaml|downwardAPI item \`mode: 644\` (decimal 644 = 0o1204)"
  "12-defaultmode-0644-octal.yaml|extra: \`defaultMode: 0644\` (YAML 1.1 octal = 420)"
  "13-mode-quoted-0644.yaml|extra: item \`mode: \"0644\"\` (string)"
  "14-env-resourcefieldref-no-container.yaml|extra: env resourceFieldRef without containerName"
  "15-env-annotation-key.yaml|extra: env fieldPath \`metadata.annotations['a.b/c']\`"
  "16-volume-labels-key.yaml|extra: volume fieldPath \`metadata.labels['app']\`"
  "17-env-labels-bad-key.yaml|extra: env fieldPath \`metadata.labels['Bad Key!']\`"
  "18-env-unsupported-resource.yaml|extra: env resourceFieldRef \`limits.nvidia.com/gpu\`"
  "19-volume-status-podip.yaml|extra: volume fieldPath \`status.podIP\` (env-only)"
  "21-env-memory-divisor-1Mi.yaml|extra: requests.memory divisor \`1Mi\`"
)
echo "| # | case | verdict | field (\`-downward-only\`) | type | detail / decode error |"
echo "|---|---|---|---|---|---|"
for c in "${CASES[@]}"; do
  f=${c%%|*}; desc=${c#*|}
  "$ORACLE" -downward-only "testdata/$f" | jq -r --arg n "${f%%-*}" --arg d "$desc" '
    def esc: gsub("\\|"; "\\|");
    if .decodeError != "" then
      "| \($n) | \($d) | **rejected (decode)** | – | – | \(.decodeError | esc) |"
    elif (.errors | length) == 0 then
      "| \($n) | \($d) | \(if .rejected then "rejected (only non-downward errors)" else "accepted" end) | – | – | – |"
    else
      (.errors | map("`\(.field)`") | join("<br>")) as $f
      | (.errors | map(.type) | join("<br>")) as $t
      | (.errors | map(.message | esc) | join("<br>")) as $m
      | "| \($n) | \($d) | **rejected** | \($f) | \($t) | \($m) |"
    end'
done
