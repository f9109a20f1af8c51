#!/usr/bin/env bash
# Sweeper benchmark: time to sweep N expired rows (default 1 000 000) with the default batch size,
# and revocation-check latency (jti + subject, concurrency 16) while the sweep runs versus before
# it, measured in one run against a real silo on the throwaway PostgreSQL.
#   scripts/bench-sweep.sh [rows, default 1000000] [seconds of quiet measurement, default 10]
# Writes benchmarks/sweep.md.
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-1000000}"
seconds="${2:-10}"
out="benchmarks/sweep.md"
database=bench_sweep
# A one-silo cluster of its own (scripts/cluster.sh: mutual TLS, ADO.NET membership, as deployed),
# on ports and in a folder away from the development cluster, on a database of its own.
export REGISTRY_CLUSTER_DIR="${TMPDIR:-/tmp}/registry-bench-sweep" REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-28500}" REGISTRY_CONFIGURATION=Release
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT

dotnet build -c Release benchmarks/ClientCheckBench/ClientCheckBench.csproj -v q -nologo >/dev/null
scripts/postgres.sh start >/dev/null
scripts/postgres.sh psql -q -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null
export ConnectionStrings__Registry
ConnectionStrings__Registry="$(scripts/postgres.sh url | sed "s/Database=registry/Database=$database/")"

# The reminder stays out of the way; the benchmark starts the sweep itself and lets it drain.
Sweeper__DueTime=01:00:00 Sweeper__TimeBudget=01:00:00 Sweeper__Grace=00:00:00 scripts/cluster.sh up --silos 1 --apis 0 >/dev/null

seed_start=$(date +%s%N)
scripts/postgres.sh psql -q -d "$database" -c "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
  SELECT 'test-issuer', 'expired-' || g, now() - interval '1 day' - g * interval '1 millisecond', now() - interval '2 days'
  FROM generate_series(1, $rows) AS g" -c "ANALYZE revoked_tokens" >/dev/null
seed_seconds=$(( ($(date +%s%N) - seed_start) / 1000000000 ))

# The client connects as an API node would: the membership table, the cluster's id and its certificate.
# shellcheck disable=SC2046 # words KEY=value
result="$(env $(scripts/cluster.sh client-env) Orleans__ClusterId="$(cat "$REGISTRY_CLUSTER_DIR/cluster-id")" \
  dotnet benchmarks/ClientCheckBench/bin/Release/net10.0/ClientCheckBench.dll sweep "$seconds")"
left=$(scripts/postgres.sh psql -tA -d "$database" -c "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'expired-%'")
scripts/cluster.sh down >/dev/null

{
  echo "# Sweeper"
  echo
  echo "\`scripts/bench-sweep.sh $rows $seconds\` — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "one silo (scripts/cluster.sh, mutual TLS as shipped), the client and PostgreSQL on the same machine. $rows expired rows seeded in ${seed_seconds} s."
  echo
  echo "$result" | grep '^SWEEP' | sed 's/^SWEEP /Sweep: /'
  echo "Expired rows left afterwards: $left."
  echo
  echo "| phase | concurrency | checks/s | p50 µs | p99 µs |"
  echo "|---|---:|---:|---:|---:|"
  echo "$result" | grep '^|'
} >"$out"
cat "$out"
