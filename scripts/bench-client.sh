#!/usr/bin/env bash
# Cost of one warm revocation check through the Orleans client, against a real silo process on
# the throwaway PostgreSQL: calls/s, p50 and p99 at each concurrency, side by side in one run:
# the jti lookup alone, the full check (jti and subject lookups concurrently, as the API does),
# and the jti lookup with caching switched off (one database read per check).
#   scripts/bench-client.sh [seconds per level, default 10] [concurrency levels, default "1 64"]
# Writes benchmarks/client-check.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
levels="${2:-1 64}"
out="benchmarks/client-check.md"
work="$(mktemp -d)"
silo_pid=""

stop_silo() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then
    kill -TERM "$silo_pid"
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=""
}
trap stop_silo EXIT

wait_for_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$silo_pid" 2>/dev/null || { echo "silo exited; see $work/silo.log" >&2; tail -n 20 "$work/silo.log" >&2; return 1; }
    sleep 0.5
  done
  echo "silo gateway 127.0.0.1:$1 did not open" >&2
  return 1
}

dotnet build -c Release src/Silo/Revocation.Silo.csproj -v q -nologo >/dev/null
dotnet build -c Release benchmarks/ClientCheckBench/ClientCheckBench.csproj -v q -nologo >/dev/null
scripts/postgres.sh start >/dev/null
export ConnectionStrings__Registry
ConnectionStrings__Registry="$(scripts/postgres.sh url)"

bench() { dotnet benchmarks/ClientCheckBench/bin/Release/net10.0/ClientCheckBench.dll "$@"; }
start_silo() { # NotRevokedMaxAge
  TokenGrain__NotRevokedMaxAge="$1" dotnet src/Silo/bin/Release/net10.0/Revocation.Silo.dll --urls http://127.0.0.1:0 >>"$work/silo.log" 2>&1 &
  silo_pid=$!
  wait_for_port 30000
}

rows=""
start_silo 00:10:00
# shellcheck disable=SC2086
rows+="$(bench check "jti only (cached)" jti "$seconds" $levels)"$'\n'
# shellcheck disable=SC2086
rows+="$(bench check "jti + subject, concurrently (cached)" jti+subject "$seconds" $levels)"$'\n'
stop_silo
start_silo 00:00:00
# shellcheck disable=SC2086
rows+="$(bench check "jti only, caching off (1 DB read per check)" jti "$seconds" $levels)"$'\n'
stop_silo

{
  echo "# Warm check through the Orleans client"
  echo
  echo "\`scripts/bench-client.sh $seconds \"$levels\"\` — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "one silo process, the client (closed loop, ${seconds} s per level after a warm-up) and PostgreSQL on the same machine."
  echo "10 000 distinct token grains (1 % revoked) over 1 000 subjects, all activated before measuring."
  echo
  echo "| mode | concurrency | calls/s | p50 µs | p99 µs |"
  echo "|---|---:|---:|---:|---:|"
  printf "%s" "$rows"
} >"$out"
cat "$out"
rm -rf "$work"
