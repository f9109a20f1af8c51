#!/usr/bin/env bash
# Validates docker-compose.yml alone and with its opt-in demo override (docker-compose.demo.yml),
# or the one file given as $1, with whichever Compose CLI is on this machine: the
# `docker compose` plugin (v2) or the standalone `docker-compose` (v1, Debian's package
# `docker-compose`). `config` only parses, merges, interpolates and checks the files against the
# Compose schema: no Docker engine is needed or contacted. Without either CLI it says so and exits 0.
#   scripts/compose-check.sh [FILE]
set -euo pipefail
if [ $# -gt 0 ]; then FILE="$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")"; fi
cd "$(dirname "$0")/.."
if [ -n "${FILE:-}" ]; then
  sets=("$FILE")
else
  sets=("docker-compose.yml" "docker-compose.yml docker-compose.demo.yml")
fi
for set in "${sets[@]}"; do
  for f in $set; do [ -f "$f" ] || { echo "compose-check: $f not found" >&2; exit 1; }; done
done

if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  cli=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  cli=(docker-compose)
else
  echo "compose-check: compose CLI not present; skipped"
  exit 0
fi

version="$("${cli[@]}" version --short 2>/dev/null || true)"
status=0
for set in "${sets[@]}"; do
  args=()
  for f in $set; do args+=(-f "$f"); done
  if "${cli[@]}" "${args[@]}" config -q; then
    echo "compose-check: $set is valid (${cli[*]} ${version:-?})"
  else
    echo "compose-check: $set is invalid (${cli[*]} ${version:-?})" >&2
    status=1
  fi
done
exit $status
