#!/usr/bin/env bash
# Runs the test suite tier by tier and ends with one line:
#   tests: N passed, N failed[, N skipped]
#
#   scripts/test.sh                           every tier: unit, then integration, then e2e
#   scripts/test.sh --tier unit               one tier (repeat --tier, or unit,integration)
#   scripts/test.sh --filter "FullyQualifiedName~Migration"   within the chosen tiers
#
# Tiers, one test project each (README, "Two commands"; tests/README.md):
#   unit         tests/Revocation.UnitTests: nothing outside the test process; no PostgreSQL is started for it
#   integration  tests/Revocation.IntegrationTests: PostgreSQL (the throwaway server of scripts/postgres.sh)
#                and in-process silos/API hosts
#   e2e          tests/Revocation.EndToEndTests: real processes: scripts/cluster.sh clusters, silo/API
#                executables, gateways, Prometheus
# The projects' references hold the tiers apart: the unit tests do not reference the fixtures that
# start PostgreSQL, silos or processes (tests/Revocation.Testing.Hosting). PostgreSQL is started for
# integration and e2e if it is not running (and stopped again if this script started it). Other
# arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")/.."

tiers=()
filter=""
passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tier) IFS=, read -r -a more <<<"${2:?--tier needs unit, integration or e2e}"; tiers+=("${more[@]}"); shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    *) passthrough+=("$1"); shift ;;
  esac
done
[ ${#tiers[@]} -gt 0 ] || tiers=(unit integration e2e)

project() {
  case "$1" in
    unit) echo tests/Revocation.UnitTests ;;
    integration) echo tests/Revocation.IntegrationTests ;;
    e2e) echo tests/Revocation.EndToEndTests ;;
    *) echo "scripts/test.sh: unknown tier '$1' (unit, integration or e2e)" >&2; return 1 ;;
  esac
}
for tier in "${tiers[@]}"; do project "$tier" >/dev/null || { echo "tests: 0 passed, 1 failed (unknown tier $tier)"; exit 2; }; done

results=".test-results"
rm -rf "$results"
mkdir -p "$results"

# Process clusters of this run live under one folder; whatever is still up there when the run
# ends (a test host killed by the hang timeout leaves its silos behind) is stopped.
export REGISTRY_E2E_ROOT="${TMPDIR:-/tmp}/registry-test-run-$$"
started_postgres=no
cleanup() {
  local dir
  for dir in "$REGISTRY_E2E_ROOT"/*/; do
    [ -d "$dir/pids" ] || continue
    case "$dir" in
      */registry-gateways-*/) scripts/gateway.sh stop "$dir" >/dev/null 2>&1 \
        && echo "scripts/test.sh: stopped gateways left running in $dir" ;;
      *) REGISTRY_CLUSTER_DIR="$dir" scripts/cluster.sh down --kill >/dev/null 2>&1 \
        && echo "scripts/test.sh: stopped a cluster left running in $dir" ;;
    esac
  done
  rm -rf "$REGISTRY_E2E_ROOT"
  [ "$started_postgres" = yes ] && scripts/postgres.sh stop >/dev/null
}
trap cleanup EXIT

if ! dotnet build Orleans.sln -nologo -v q; then
  echo "tests: 0 passed, 1 failed (the build failed)"
  exit 1
fi

status=0
for tier in "${tiers[@]}"; do
  if [ "$tier" != unit ] && [ "$started_postgres" = no ] && ! scripts/postgres.sh status >/dev/null 2>&1; then
    scripts/postgres.sh start || { echo "tests: 0 passed, 1 failed (PostgreSQL could not be started)"; exit 1; }
    started_postgres=yes
  fi
  filter_args=()
  [ -n "$filter" ] && filter_args=(--filter "$filter")
  echo "--- $tier tests"
  started=$SECONDS
  # A test that hangs is named (and the run ends) instead of CI timing out silently.
  dotnet test "$(project "$tier")" --no-build "${filter_args[@]}" \
    --logger "trx;LogFileName=$tier.trx" --results-directory "$results" \
    --blame-hang-timeout 8m --blame-hang-dump-type none "${passthrough[@]}"
  tier_status=$?
  [ "$tier_status" -eq 0 ] || status=$tier_status
  echo "--- $tier tests: exit $tier_status after $((SECONDS - started)) s"
done

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
  failed=1 # the run failed before or outside any test (crashed host, hang timeout)
fi
# What the process-cluster tests measured (crash detection, rolling restart, scale-out, sweeper failover).
[ -f "$results/cluster-report.txt" ] && { echo "--- cluster measurements"; cat "$results/cluster-report.txt"; }

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
exit "$status"
