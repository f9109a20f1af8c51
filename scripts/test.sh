#!/usr/bin/env bash
# Runs the whole test suite: starts the throwaway PostgreSQL if it is not running (and stops it
# again afterwards if this script started it), runs every test project, and ends with one line:
#   tests: N passed, N failed[, N skipped]
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Migration"; the fast
# tests alone, without the process clusters: --filter "Category!=EndToEnd").
set -uo pipefail
cd "$(dirname "$0")/.."

results=".test-results"
rm -rf "$results"

started_postgres=no
if ! scripts/postgres.sh status >/dev/null 2>&1; then
  scripts/postgres.sh start || { echo "tests: 0 passed, 1 failed (PostgreSQL could not be started)"; exit 1; }
  started_postgres=yes
fi

# A test that hangs is named (and the run ends) instead of CI timing out silently.
dotnet test Orleans.sln --logger "trx" --results-directory "$results" --blame-hang-timeout 8m --blame-hang-dump-type none "$@"
status=$?

[ "$started_postgres" = yes ] && scripts/postgres.sh stop

count() { # sums one attribute of the <Counters> element over every result file
  local total=0 n
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    n=$(grep -o "<Counters [^>]*" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*")
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

passed=$(count passed)
failed=$(count failed)
skipped=$(( $(count total) - $(count executed) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed before or outside any test (build error, crashed host)
fi
# What the process-cluster tests measured (crash detection, rolling restart, scale-out, sweeper failover).
[ -f "$results/cluster-report.txt" ] && { echo "--- cluster measurements"; cat "$results/cluster-report.txt"; }

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
