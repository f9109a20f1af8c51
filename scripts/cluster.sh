#!/usr/bin/env bash
# A local registry cluster of real processes on 127.0.0.1:
#   scripts/cluster.sh up [--silos N] [--apis M]   PostgreSQL, migrations once, N silos, M API nodes
#   scripts/cluster.sh status                      what runs, with PIDs and ports
#   scripts/cluster.sh pid silo-I|api-J            the PID of that process, if it still runs
#   scripts/cluster.sh add-silo                    start one more silo; it joins the running cluster
#   scripts/cluster.sh restart-silo I              stop silo I gracefully (SIGTERM) and start it again
#   scripts/cluster.sh restart-api J               stop API node J and start it again
#   scripts/cluster.sh down [--kill]               stop exactly the processes `up` started;
#                                                  --kill: at once with SIGKILL, no graceful
#                                                  shutdown (a throwaway cluster, e.g. a test's)
#   scripts/cluster.sh client-env                  the ClusterTls__* settings a client of this cluster
#                                                  needs (words KEY=value), e.g. for a load harness
# Each silo runs under a small supervisor loop that starts it again when it exits with status 75
# (it recycled itself: Rejuvenation:*), and only then; `down` and `restart-silo` stop the
# supervisor first, so nothing restarts a silo an operator stopped.
# Everything (PIDs, logs, ports) lives under $REGISTRY_CLUSTER_DIR (default .run/cluster).
# Ports: silo i listens on BASE+i, its gateway on BASE+100+i, its health/metrics HTTP on
# BASE+300+i, its Orleans Dashboard (only with Dashboard__Enabled=true) on BASE+400+i; API node j
# on BASE+200+j
# (BASE = $REGISTRY_BASE_PORT, default 21000). Silos form the cluster through the Orleans
# membership table in PostgreSQL (ADO.NET clustering) under a ClusterId fresh for each `up`;
# API nodes find their gateways in the same table. API nodes run in the Development environment
# (development issuer and keys) unless ASPNETCORE_ENVIRONMENT says otherwise. Settings for one
# API node only: REGISTRY_API_<J>_SETTINGS="Section__Key=value ..." (e.g. a FailOpen node).
# $REGISTRY_CONFIGURATION (Release) picks the build; --no-build skips building.
# Mutual TLS on every Orleans connection (ClusterTls:*) with a throwaway CA made by
# scripts/cluster-certs.sh under $DIR/tls; REGISTRY_CLUSTER_TLS=off runs plain TCP instead
# (ClusterTls__AllowUnauthenticatedClusterAccess=true), e.g. to measure what TLS costs.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${REGISTRY_CLUSTER_DIR:-.run/cluster}"
BASE="${REGISTRY_BASE_PORT:-21000}"
CONFIGURATION="${REGISTRY_CONFIGURATION:-Release}"
SILO_DLL="src/Silo/bin/$CONFIGURATION/net10.0/Revocation.Silo.dll"
API_DLL="src/Api/Revocation.Api/bin/$CONFIGURATION/net10.0/Revocation.Api.dll"

die() { echo "cluster.sh: $*" >&2; exit 1; }

index() { # what, value: the value if it is a process index (0, 1, …), else a usage error
  [[ "$2" =~ ^(0|[1-9][0-9]*)$ ]] || die "$1 must be a number such as 0 or 1 (was '$2')"
  echo "$2"
}

wait_until() { # seconds, pid file, description, command...
  local seconds=$1 pidfile=$2 what=$3; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    pid_alive "$pidfile" || die "$what exited while starting (logs: $DIR/logs)"
    [ $SECONDS -lt $deadline ] || die "$what did not come up within ${seconds}s (logs: $DIR/logs)"
    sleep 0.3
  done
}

# A PID file holds "PID START": the PID and the process's start time (field 22 of /proc/PID/stat).
# A PID that the kernel gave to another process after ours died is never taken for ours, so
# `down` cannot signal a stranger.
start_time() { # pid -> its start time in clock ticks since boot; fails if no such process
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the fields after "(comm)", which may itself hold spaces
  # shellcheck disable=SC2086 # split on purpose
  set -- $stat
  echo "${20}"
}

write_pid() { echo "$2 $(start_time "$2")" >"$1"; } # file pid

pid_of() { # file -> the PID it names if that very process still runs
  local pid start
  [ -f "$1" ] && read -r pid start <"$1" && [ -n "${start:-}" ] && [ "$(start_time "$pid")" = "$start" ] && echo "$pid"
}

pid_alive() { pid_of "$1" >/dev/null; }

silo_index() { basename "$1" .pid | sed 's/^silo-//; s/\.supervisor$//'; }

next_silo_index() { # one more than the highest silo index of this cluster (killed ones included)
  local last
  last=$(ls "$DIR"/pids/silo-*.pid 2>/dev/null | grep -v supervisor | sed 's/.*silo-\([0-9]*\)\.pid/\1/' | sort -n | tail -1)
  echo $(( ${last:--1} + 1 ))
}

# The exit status of a silo that recycled itself (Rejuvenation:*; EX_TEMPFAIL): its supervisor
# starts it again. Any other exit (a crash, kill -9, a failed start) is left for an operator.
RECYCLE_EXIT=75

# One supervisor (a bash loop) per silo: it runs the silo in the background, keeps its PID in
# silo-I.pid (so kill, status and the tests see the running silo), and starts it again on the same
# ports when it exits with $RECYCLE_EXIT. Its own PID is in silo-I.supervisor.pid. SIGTERM to the
# supervisor (down, restart-silo) is passed on to the silo, and the supervisor then exits whatever
# the silo's status: a silo stopped by an operator is never started again behind their back.
supervise_silo() {
  local i=$1 child status stopping=no
  set +e
  trap 'stopping=yes; [ -n "${child:-}" ] && kill -TERM "$child" 2>/dev/null' TERM
  while [ "$stopping" = no ]; do
    # shellcheck disable=SC2046 # the TLS settings are words KEY=value
    env ConnectionStrings__Registry="$CONNECTION" Database__MigrateOnStart=false $(tls_env silo) \
      Cluster__Provider=AdoNet Orleans__ClusterId="$CLUSTER_ID" Cluster__AdvertisedAddress=127.0.0.1 \
      Cluster__SiloPort=$((BASE + i)) Cluster__GatewayPort=$((BASE + 100 + i)) Dashboard__Url="http://127.0.0.1:$((BASE + 400 + i))" \
      dotnet "$SILO_DLL" --urls "http://127.0.0.1:$((BASE + 300 + i))" >>"$DIR/logs/silo-$i.log" 2>&1 &
    child=$!
    write_pid "$DIR/pids/silo-$i.pid" "$child"
    # wait returns early when the trap runs; wait again until the silo has really exited.
    wait "$child"; status=$?
    while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
    echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) supervisor: silo $i (pid $child) exited with status $status" >>"$DIR/logs/supervisor-$i.log"
    [ "$stopping" = no ] && [ "$status" -eq "$RECYCLE_EXIT" ] || break
    echo "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ) supervisor: silo $i recycled itself; starting it again" >>"$DIR/logs/supervisor-$i.log"
  done
  rm -f "$DIR/pids/silo-$i.supervisor.pid"
}

start_silo() { launch_silo "$1" && await_silo "$1"; }

launch_silo() {
  local i=$1
  rm -f "$DIR/pids/silo-$i.pid"
  # Detached from this script's output: whoever reads it (a test) must see it end.
  supervise_silo "$i" </dev/null >>"$DIR/logs/supervisor-$i.log" 2>&1 &
  write_pid "$DIR/pids/silo-$i.supervisor.pid" $!
  until [ -f "$DIR/pids/silo-$i.pid" ]; do
    pid_alive "$DIR/pids/silo-$i.supervisor.pid" || [ -f "$DIR/pids/silo-$i.pid" ] || die "the supervisor of silo $i exited before starting it (logs: $DIR/logs)"
    sleep 0.05
  done
}

await_silo() {
  local i=$1
  wait_until 60 "$DIR/pids/silo-$i.pid" "silo $i" ready $((BASE + 300 + i))
  echo "silo $i: pid $(pid_of "$DIR/pids/silo-$i.pid"), silo port $((BASE + i)), gateway $((BASE + 100 + i)), http://127.0.0.1:$((BASE + 300 + i))"
}

# Stops silo I for good: first its supervisor (which passes SIGTERM on and waits for the silo), so
# that a recycle ending at the same moment is not restarted; then whatever is left of the silo.
stop_silo() {
  local i=$1
  local supervisor="$DIR/pids/silo-$i.supervisor.pid"
  local pid
  if pid=$(pid_of "$supervisor"); then
    kill -TERM "$pid"
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$supervisor"
  stop_pid_file "$DIR/pids/silo-$i.pid"
}

# The ClusterTls settings of a silo or an API node (any client): its certificate of the cluster CA,
# or plain TCP when the cluster runs without TLS.
tls_env() { # silo|api
  if [ "$TLS" = off ]; then
    echo "ClusterTls__AllowUnauthenticatedClusterAccess=true"
  else
    echo "ClusterTls__CertificatePath=$TLS_DIR/$1.crt ClusterTls__KeyPath=$TLS_DIR/$1.key ClusterTls__CaPath=$TLS_DIR/ca.crt"
  fi
}

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/health/ready" 2>/dev/null; }

start_api() { launch_api "$1" && await_api "$1"; }

launch_api() {
  local j=$1 port=$((BASE + 200 + $1)) own="REGISTRY_API_$1_SETTINGS"
  # shellcheck disable=SC2086 # the node's own settings are words KEY=value
  # shellcheck disable=SC2046 # the TLS settings are words KEY=value
  env ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" ConnectionStrings__Registry="$CONNECTION" $(tls_env api) \
    Registry__Clustering=AdoNet Orleans__ClusterId="$CLUSTER_ID" ${!own:-} \
    dotnet "$API_DLL" --urls "http://127.0.0.1:$port" --contentRoot "$PWD/$(dirname "$API_DLL")" >>"$DIR/logs/api-$j.log" 2>&1 &
  write_pid "$DIR/pids/api-$j.pid" $!
}

await_api() {
  local j=$1 port=$((BASE + 200 + $1))
  wait_until 60 "$DIR/pids/api-$j.pid" "API node $j" ready "$port"
  echo "api $j: pid $(pid_of "$DIR/pids/api-$j.pid"), http://127.0.0.1:$port"
}

stop_pid_file() {
  local file=$1 pid
  if pid=$(pid_of "$file"); then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}

up() {
  local silos=1 apis=1 build=yes
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) silos=$2; shift 2 ;;
      --apis) apis=$2; shift 2 ;;
      --no-build) build=no; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ "$silos" -ge 1 ] || die "--silos must be at least 1"
  [ -z "$(ls "$DIR"/pids/*.pid 2>/dev/null)" ] || die "a cluster is already up in $DIR; run down first"
  mkdir -p "$DIR/pids" "$DIR/logs"
  # A failed `up` stops whatever it had started: no half cluster is left running.
  trap 'status=$?; if [ $status -ne 0 ]; then echo "cluster.sh: up failed; stopping what it started" >&2; down >/dev/null 2>&1; fi; exit $status' EXIT
  if [ "$build" = yes ]; then
    dotnet build -c "$CONFIGURATION" src/Silo/Revocation.Silo.csproj -v q -nologo >/dev/null
    dotnet build -c "$CONFIGURATION" src/Api/Revocation.Api/Revocation.Api.csproj -v q -nologo >/dev/null
  fi
  [ -f "$SILO_DLL" ] && [ -f "$API_DLL" ] || die "build output missing ($SILO_DLL, $API_DLL)"

  TLS="${REGISTRY_CLUSTER_TLS:-on}"
  case "$TLS" in on | off) ;; *) die "REGISTRY_CLUSTER_TLS must be on or off (was $TLS)" ;; esac
  echo "$TLS" >"$DIR/tls-mode"
  TLS_DIR="$(cd "$DIR" && pwd)/tls"
  [ "$TLS" = off ] || scripts/cluster-certs.sh "$TLS_DIR" || die "could not create the cluster's certificates in $TLS_DIR"

  scripts/postgres.sh start >/dev/null
  CONNECTION="${ConnectionStrings__Registry:-$(scripts/postgres.sh url)}"
  echo "$CONNECTION" >"$DIR/connection"
  CLUSTER_ID="${REGISTRY_CLUSTER_ID:-local-$(date +%s)-$$}"
  echo "$CLUSTER_ID" >"$DIR/cluster-id"
  ConnectionStrings__Registry="$CONNECTION" dotnet "$SILO_DLL" migrate >>"$DIR/logs/migrate.log" 2>&1 \
    || die "migrations failed (see $DIR/logs/migrate.log)"

  # Every process starts at once: an API node starts up (its host, its JIT) while the silos do,
  # and connects as soon as one is a gateway (its client retries every second until then), so a
  # cluster is up in the time of its slowest member, not the sum of them.
  local i
  for ((i = 0; i < silos; i++)); do launch_silo $i; done
  for ((i = 0; i < apis; i++)); do launch_api $i; done
  for ((i = 0; i < silos; i++)); do await_silo $i; done
  for ((i = 0; i < apis; i++)); do await_api $i; done
  trap - EXIT
}

down() {
  local file stops=()
  if [ "${1:-}" = --kill ]; then
    kill_all
    echo "cluster.sh: down (killed)"
    return
  fi
  [ $# -eq 0 ] || die "down takes no argument but --kill (was '$1')"
  # Every API node at once, then every secondary silo at once (each stop waits for its own
  # graceful shutdown: one after another, a cluster took the sum of them to stop), the primary
  # last, so the others can leave it cleanly. Only these stops are waited for: a failed `up`
  # calls this with its silos' supervisors still running as its own background jobs.
  for file in "$DIR"/pids/api-*.pid; do
    [ -e "$file" ] || continue
    stop_pid_file "$file" &
    stops+=($!)
  done
  [ ${#stops[@]} -eq 0 ] || wait "${stops[@]}"
  stops=()
  for file in "$DIR"/pids/silo-*.pid; do
    case "$file" in *.supervisor.pid | *silo-0.pid) continue ;; esac
    [ -e "$file" ] || continue
    stop_silo "$(silo_index "$file")" &
    stops+=($!)
  done
  [ ${#stops[@]} -eq 0 ] || wait "${stops[@]}"
  stop_silo 0
  echo "cluster.sh: down"
}

# Every process of the cluster at once with SIGKILL: the supervisors first, so none starts its silo
# again; then waits until each has exited (its ports are free then).
kill_all() {
  local file pid pids=()
  for file in "$DIR"/pids/silo-*.supervisor.pid "$DIR"/pids/silo-*.pid "$DIR"/pids/api-*.pid; do
    [ -e "$file" ] || continue
    if pid=$(pid_of "$file"); then
      kill -KILL "$pid" 2>/dev/null && pids+=("$pid")
    fi
    rm -f "$file"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
}

status() {
  local file pid found=no
  for file in "$DIR"/pids/*.pid; do
    [ -e "$file" ] || continue
    found=yes
    case "$file" in *.supervisor.pid) continue ;; esac
    if pid=$(pid_of "$file"); then echo "$(basename "$file" .pid): running (pid $pid)"; else echo "$(basename "$file" .pid): dead"; fi
  done
  [ $found = yes ] || { echo "no cluster in $DIR"; return 3; }
}

load_cluster() {
  [ -f "$DIR/connection" ] && [ -f "$DIR/cluster-id" ] || die "no cluster is up in $DIR"
  CONNECTION="$(cat "$DIR/connection")"
  CLUSTER_ID="$(cat "$DIR/cluster-id")"
  TLS="$(cat "$DIR/tls-mode" 2>/dev/null || echo off)"
  TLS_DIR="$(cd "$DIR" && pwd)/tls"
}

add_silo() {
  load_cluster
  start_silo "$(next_silo_index)"
}

restart_silo() { # graceful: SIGTERM, wait for exit, start again on the same ports
  local i
  i=$(index "restart-silo I" "${1:?usage: restart-silo I}")
  load_cluster
  [ -f "$DIR/pids/silo-$i.pid" ] || die "no silo $i in $DIR"
  stop_silo "$i"
  start_silo "$i"
}

restart_api() {
  local j
  j=$(index "restart-api J" "${1:?usage: restart-api J}")
  load_cluster
  stop_pid_file "$DIR/pids/api-$j.pid"
  start_api "$j"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) shift; down "$@" ;;
  status) status ;;
  add-silo) add_silo ;;
  restart-silo) shift; restart_silo "$@" ;;
  restart-api) shift; restart_api "$@" ;;
  client-env) load_cluster; tls_env api ;;
  pid)
    [[ "${2:-}" =~ ^(silo|api)-(0|[1-9][0-9]*)$ ]] || die "pid takes silo-I or api-J, e.g. silo-0 (was '${2:-}')"
    pid_of "$DIR/pids/$2.pid" || die "$2 is not running" ;;
  *) echo "usage: $0 up [--silos N] [--apis M] [--no-build] | status | pid silo-I|api-J | add-silo | restart-silo I | restart-api J | client-env | down [--kill]" >&2; exit 2 ;;
esac
