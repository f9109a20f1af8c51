#!/usr/bin/env bash
# Cost of one warm revocation check through the Orleans client, against a real silo process on
# the throwaway PostgreSQL: one call at a time under BenchmarkDotNet (mean and the client's
# allocations per call), then calls/s, p50 and p99 at each concurrency, side by side in one run:
# the jti lookup alone, the full check (jti and subject lookups concurrently, as the API does),
# and the jti lookup with caching switched off (one database read per check).
#   scripts/bench-client.sh [seconds per level, default 10] [concurrency levels, default "1 64"]
# Writes benchmarks/client-check.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
levels="${2:-1 64}"
out="benchmarks/client-check.md"
# A one-silo cluster of its own (scripts/cluster.sh: mutual TLS, ADO.NET membership, as deployed),
# on ports and in a folder away from the development cluster; the database is the throwaway one.
export REGISTRY_CLUSTER_DIR="${TMPDIR:-/tmp}/registry-bench-client" REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-28000}" REGISTRY_CONFIGURATION=Release
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT

dotnet build -c Release benchmarks/ClientCheckBench/ClientCheckBench.csproj -v q -nologo >/dev/null
built=no
start_silo() { # NotRevokedMaxAge
  scripts/cluster.sh down >/dev/null 2>&1 || true
  TokenGrain__NotRevokedMaxAge="$1" scripts/cluster.sh up --silos 1 --apis 0 $([ $built = yes ] && echo --no-build) >/dev/null
  built=yes
}
stop_silo() { scripts/cluster.sh down >/dev/null; }
# The client connects as an API node would: the membership table, the cluster's id and its certificate.
bench() {
  # shellcheck disable=SC2046 # words KEY=value
  env $(scripts/cluster.sh client-env) Orleans__ClusterId="$(cat "$REGISTRY_CLUSTER_DIR/cluster-id")" \
    ConnectionStrings__Registry="$(scripts/postgres.sh url)" dotnet benchmarks/ClientCheckBench/bin/Release/net10.0/ClientCheckBench.dll "$@"
}

rows=""
start_silo 00:10:00
# One call at a time under BenchmarkDotNet (ClientCallBenchmarks: the client's mean time and allocations per call).
work="$(mktemp -d)"
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
bench calls --filter '*' --artifacts "$work" >"$work/calls.log" 2>&1 \
  || { tail -n 40 "$work/calls.log" >&2; echo "bench-client.sh: BenchmarkDotNet failed (log above)" >&2; exit 1; }
calls="$(grep '^CALL ' "$work/calls.log" | sed 's/^CALL //')"
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
  echo "one silo process (scripts/cluster.sh: mutual TLS on the client's connection, as shipped), the client (closed loop, ${seconds} s per level after a warm-up) and PostgreSQL on the same machine."
  echo "10 000 distinct token grains (1 % revoked) over 1 000 subjects, all activated before measuring."
  echo
  echo "## Closed loop: calls/s and latency under concurrency"
  echo
  echo "| mode | concurrency | calls/s | p50 µs | p99 µs |"
  echo "|---|---:|---:|---:|---:|"
  printf "%s" "$rows"
  echo
  echo "## One call at a time (BenchmarkDotNet, default job, \`ClientCallBenchmarks\`)"
  echo
  echo "The client's side of a near-cache miss: the mean time of one call and the bytes the client allocates for it (the silo's are not counted); 1 024 warm grains cycled through."
  echo
  echo "| benchmark | mean µs | allocated B per call |"
  echo "|---|---:|---:|"
  printf "%s\n" "$calls"
} >"$out"
cat "$out"
