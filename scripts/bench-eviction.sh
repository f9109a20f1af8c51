#!/usr/bin/env bash
# How long a silo evicted while it still runs goes on running, Orleans' membership-table refresh
# against ours, side by side: for each setting, N times: a 2-silo cluster (scripts/cluster.sh),
# SIGSTOP of one silo, poll the membership table until its row says Dead (status 6), SIGCONT
# PAUSE seconds after the stop, then poll until the process has exited (Orleans stops a silo that
# reads that it was declared dead). Until then it keeps its grain activations while the others
# start new ones (docs/near-cache-protocol.md, "Duplicate activations").
# Writes benchmarks/eviction.md.   Usage: scripts/bench-eviction.sh [trials] [pause seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${1:-3}
PAUSE=${2:-20}
export REGISTRY_CLUSTER_DIR="${REGISTRY_CLUSTER_DIR:-/tmp/registry-bench-eviction}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-24800}"
OUT=benchmarks/eviction.md

scripts/cluster.sh up --silos 1 --apis 0 >/dev/null && scripts/cluster.sh down >/dev/null # build once, start the database

since() { echo "$(date +%s.%N) - $1" | bc; }

measure() { # TableRefreshTimeout -> "seconds until declared dead" "seconds it ran on after SIGCONT"
  Cluster__Membership__TableRefreshTimeout=$1 scripts/cluster.sh up --silos 2 --apis 0 --no-build >/dev/null
  sleep 3
  local cluster port=$((REGISTRY_BASE_PORT + 1)) pid start dead resumed
  cluster=$(cat "$REGISTRY_CLUSTER_DIR/cluster-id")
  pid=$(scripts/cluster.sh pid silo-1)
  kill -STOP "$pid"
  start=$(date +%s.%N)
  until [ "$(scripts/postgres.sh psql -d registry -tAc \
      "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '$cluster' AND Port = $port")" = 6 ]; do
    (( $(echo "$(since "$start") > 60" | bc) )) && { kill -CONT "$pid"; echo "timeout timeout"; scripts/cluster.sh down >/dev/null; return; }
    sleep 0.1
  done
  dead=$(since "$start")
  sleep "$(echo "$PAUSE - $(since "$start")" | bc | sed 's/^-.*/0/')"
  kill -CONT "$pid"
  resumed=$(date +%s.%N)
  while kill -0 "$pid" 2>/dev/null; do
    (( $(echo "$(since "$resumed") > 120" | bc) )) && break
    sleep 0.1
  done
  printf '%.1f %.1f\n' "$dead" "$(since "$resumed")"
  scripts/cluster.sh down >/dev/null
}

{
  echo "# Eviction: how long a silo declared dead while it still runs goes on running"
  echo
  echo "\`scripts/bench-eviction.sh $TRIALS $PAUSE\` on $(nproc) cores, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d)."
  echo "Two silo processes, SIGSTOP of one until its membership row is Dead, SIGCONT ${PAUSE} s after the stop,"
  echo "then seconds until the process has exited (polled every 0.1 s). Probes as deployed (1 s, 3 misses)."
  echo
  echo "| TableRefreshTimeout | declared dead after SIGSTOP (s) | ran on after SIGCONT (s) |"
  echo "|---|---|---|"
  for refresh in 00:01:00 00:00:05; do
    dead=() ran=()
    for _ in $(seq 1 "$TRIALS"); do
      read -r d r <<<"$(measure $refresh)"
      dead+=("$d") ran+=("$r")
    done
    label=$refresh; [ $refresh = 00:01:00 ] && label="$refresh (Orleans default)"; [ $refresh = 00:00:05 ] && label="$refresh (ours)"
    echo "| $label | ${dead[*]} | ${ran[*]} |"
  done
} | tee "$OUT"
