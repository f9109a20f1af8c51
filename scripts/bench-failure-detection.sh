#!/usr/bin/env bash
# How long the cluster takes to declare a killed silo dead, Orleans' default probing against ours,
# side by side: for each setting, N times: a 2-silo cluster (scripts/cluster.sh), kill -9 of one
# silo, then poll the membership table until its row says Dead (status 6).
# Writes benchmarks/failure-detection.md.   Usage: scripts/bench-failure-detection.sh [trials]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${1:-3}
export REGISTRY_CLUSTER_DIR="${REGISTRY_CLUSTER_DIR:-/tmp/registry-bench-detection}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-24700}"
OUT=benchmarks/failure-detection.md

scripts/cluster.sh up --silos 1 --apis 0 >/dev/null && scripts/cluster.sh down >/dev/null # build once, start the database

measure() { # ProbeTimeout -> seconds until the killed silo is declared dead
  Cluster__Membership__ProbeTimeout=$1 scripts/cluster.sh up --silos 2 --apis 0 --no-build >/dev/null
  sleep 3
  local cluster port=$((REGISTRY_BASE_PORT + 1)) start status
  cluster=$(cat "$REGISTRY_CLUSTER_DIR/cluster-id")
  kill -9 "$(scripts/cluster.sh pid silo-1)"
  start=$(date +%s.%N)
  while :; do
    status=$(scripts/postgres.sh psql -d registry -tAc \
      "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '$cluster' AND Port = $port")
    [ "$status" = 6 ] && break
    (( $(echo "$(date +%s.%N) - $start > 60" | bc) )) && { echo "timeout" ; break; }
    sleep 0.1
  done
  echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f'
  scripts/cluster.sh down >/dev/null
}

{
  echo "# Failure detection: time to declare a killed silo dead"
  echo
  echo "\`scripts/bench-failure-detection.sh $TRIALS\` on $(nproc) cores, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d)."
  echo "Two silo processes, \`kill -9\` of one, seconds until its membership row is Dead (polled every 0.1 s)."
  echo "Probes are missed $(grep -o 'MissedProbesLimit = [0-9]*' src/Silo/Clustering/FailureDetection.cs | grep -o '[0-9]*') times before the vote in both rows."
  echo
  echo "| ProbeTimeout | trials (s) |"
  echo "|---|---|"
  for probe in 00:00:05 00:00:01; do
    results=()
    for _ in $(seq 1 "$TRIALS"); do results+=("$(measure $probe)"); done
    label=$probe; [ $probe = 00:00:05 ] && label="$probe (Orleans default)"; [ $probe = 00:00:01 ] && label="$probe (ours)"
    echo "| $label | ${results[*]} |"
  done
} | tee "$OUT"
