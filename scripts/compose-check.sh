#!/usr/bin/env bash
# Validates docker-compose.yml (or the file given as $1) with whichever Compose CLI is on
# this machine: the `docker compose` plugin (v2) or the standalone `docker-compose` (v1,
# Debian's package `docker-compose`). `config` only parses, interpolates and checks the file
# against the Compose schema: no Docker engine is needed or contacted. Without either CLI it
# says so and exits 0.
#   scripts/compose-check.sh [FILE]
set -euo pipefail
if [ $# -gt 0 ]; then FILE="$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")"; fi
cd "$(dirname "$0")/.."
FILE="${FILE:-docker-compose.yml}"
[ -f "$FILE" ] || { echo "compose-check: $FILE not found" >&2; exit 1; }

if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  cli=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  cli=(docker-compose)
else
  echo "compose-check: compose CLI not present; skipped"
  exit 0
fi

version="$("${cli[@]}" version --short 2>/dev/null || true)"
if "${cli[@]}" -f "$FILE" config -q; then
  echo "compose-check: $FILE is valid (${cli[*]} ${version:-?})"
else
  echo "compose-check: $FILE is invalid (${cli[*]} ${version:-?})" >&2
  exit 1
fi
