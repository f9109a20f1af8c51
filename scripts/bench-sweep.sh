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
work="$(mktemp -d)"
silo_pid=""
database=bench_sweep

stop_silo() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then kill -TERM "$silo_pid"; wait "$silo_pid" 2>/dev/null || true; fi
  silo_pid=""
}
trap stop_silo EXIT

dotnet build -c Release src/Silo/Revocation.Silo.csproj -v q -nologo >/dev/null
dotnet build -c Release benchmarks/ClientCheckBench/ClientCheckBench.csproj -v q -nologo >/dev/null
scripts/postgres.sh start >/dev/null
scripts/postgres.sh psql -q -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null
export ConnectionStrings__Registry
ConnectionStrings__Registry="$(scripts/postgres.sh url | sed "s/Database=registry/Database=$database/")"

# The reminder stays out of the way; the benchmark starts the sweep itself and lets it drain.
Sweeper__DueTime=01:00:00 Sweeper__TimeBudget=01:00:00 Sweeper__Grace=00:00:00 \
  dotnet src/Silo/bin/Release/net10.0/Revocation.Silo.dll --urls http://127.0.0.1:0 >"$work/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/30000) 2>/dev/null && break; sleep 0.5; done

seed_start=$(date +%s%N)
scripts/postgres.sh psql -q -d "$database" -c "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at)
  SELECT 'test-issuer', 'expired-' || g, now() - interval '1 day' - g * interval '1 millisecond', now() - interval '2 days'
  FROM generate_series(1, $rows) AS g" -c "ANALYZE revoked_tokens" >/dev/null
seed_seconds=$(( ($(date +%s%N) - seed_start) / 1000000000 ))

result="$(dotnet benchmarks/ClientCheckBench/bin/Release/net10.0/ClientCheckBench.dll sweep "$seconds")"
left=$(scripts/postgres.sh psql -tA -d "$database" -c "SELECT count(*) FROM revoked_tokens WHERE jti LIKE 'expired-%'")
stop_silo

{
  echo "# Sweeper"
  echo
  echo "\`scripts/bench-sweep.sh $rows $seconds\` — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "one silo, the client and PostgreSQL on the same machine. $rows expired rows seeded in ${seed_seconds} s."
  echo
  echo "$result" | grep '^SWEEP' | sed 's/^SWEEP /Sweep: /'
  echo "Expired rows left afterwards: $left."
  echo
  echo "| phase | concurrency | checks/s | p50 µs | p99 µs |"
  echo "|---|---:|---:|---:|---:|"
  echo "$result" | grep '^|'
} >"$out"
cat "$out"
rm -rf "$work"
