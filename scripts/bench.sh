#!/usr/bin/env bash
# The revocation check modes side by side, in one run on this machine, over real processes on
# 127.0.0.1: a private PostgreSQL, one silo and two API nodes (scripts/cluster.sh), load from wrk
# (benchmarks/wrk/me.lua: a different valid token per request, 1 % of them revoked). Modes:
# Database, LocalCache, Grain (with the near cache, the default) and GrainNoNearCache (every check
# asks the grains); GrainSid (Grain, the same tokens each carrying one of 1 000 session ids: the
# session rule too); GrainJtiOnly (Grain without the subject rule) on request; JwtOnly, the floor:
# the same API node answering after JWT validation alone (its Development-only endpoint
# /bench/jwt-only, no revocation check; throughput only), measured first and again last (JwtOnly2). Any mode with the
# suffix +Dashboard runs with the silo's Orleans Dashboard on (Dashboard:Enabled) and polled every
# second as an open page polls it, so that its profiler runs; +DashboardProfilingChecks also has it
# profile the check path's grain calls (Dashboard:ProfileChecks).
#   scripts/bench.sh            full run (about 10 minutes): writes benchmarks/results.md and the
#                               plots (gnuplot, scripts/bench-plot.gp; apt-installed if missing)
#                               benchmarks/results-rps.svg, benchmarks/results-p99.svg
#   scripts/bench.sh --smoke    seconds per step, to keep the script working (CI); writes its
#                               report under $BENCH_DIR only, never into benchmarks/
#   scripts/bench.sh memory     opt-in: Grain mode, 1 000 000 distinct tokens through a silo
#                               whose memory is limited; writes benchmarks/results-memory.md
#   scripts/bench.sh storm      opt-in: node B's checks while node A takes a revocation storm
#                               (lease held? cache kept?); writes benchmarks/results-storm.md
#   scripts/bench.sh revocations  opt-in: revocations/s through the registry at concurrency 16 and
#                               64 next to pgbench running the registry's own upsert on the same
#                               PostgreSQL in the same run; CPU per revocation by process; writes
#                               benchmarks/results-revocations.md
#   scripts/bench.sh scale      opt-in: the lease service against the number of API nodes: two silos,
#                               no API nodes, benchmarks/LeaseScale playing 10, 100 and 1 000 nodes
#                               while it revokes 200 tokens/s for 15 s (latency, CPU, Orleans
#                               messages, renewals, leases lost), then kill -9 of the silo holding
#                               the lease grain under 1 000 nodes (time until all hold a lease
#                               again); writes benchmarks/results-scale.md and results-scale.svg
#   scripts/bench.sh tls        opt-in: what mutual TLS on the Orleans connections costs: Grain and
#                               GrainNoNearCache with TLS (as shipped) and in plain TCP (+PlainTcp:
#                               the cluster restarted with REGISTRY_CLUSTER_TLS=off), throughput and
#                               revocation latency; writes benchmarks/results-tls.md
#   scripts/bench.sh dashboard  opt-in: throughput alone with the silo's dashboard off and on
#                               (Grain and GrainNoNearCache; the latter also profiling the checks);
#                               writes benchmarks/results-dashboard.md (with --smoke: under $BENCH_DIR)
#   scripts/bench.sh gateway    opt-in: nginx in front of a backend: no authorization (the floor),
#                               auth_request to the registry's forward-auth endpoint, and njs asking
#                               RFC 7662 introspection per request, of the registry and of a real
#                               OpenID Provider (oidc-provider) (scripts/bench-gateway.sh; writes
#                               benchmarks/results-gateway.md)
# The script measures (and draws the plots with gnuplot); the reports are written by
# benchmarks/BenchReport from the tab-separated measurement files it leaves under $BENCH_DIR/out.
# Per mode: throughput at each concurrency (requests/s, p50/p99/max, unexpected non-2xx, DB
# queries and silo grain calls per request, RSS, CPU per request by process), the stale-read probe
# (revoke on node A, ask node B until it rejects), revocation latency (with both API nodes
# healthy, and with node B paused by SIGSTOP), Airflow's pool-exhaustion burst (60 requests at
# concurrency 30, pool of 5, the database BENCH_DB_DELAY_MS away each way through a delaying TCP
# proxy) and memory per token after 100 000 distinct tokens.
# Settings (environment): BENCH_SECONDS (15) per level, BENCH_WARMUP (5), BENCH_LEVELS
# ("1 16 64 256"), BENCH_TOKENS (10000), BENCH_MODES ("Database LocalCache Grain GrainNoNearCache"),
# BENCH_WALK (100000), BENCH_DB_DELAY_MS (1), BENCH_DIR (/tmp/registry-bench), BENCH_CONFIGURATION (Release; Debug with --smoke). Ports: REGISTRY_BASE_PORT (26000: silo 26000,
# gateway 26100, API nodes 26200/26201, silo metrics 26300, silo dashboard 26400) and
# REGISTRY_PG_PORT (26432), away from the development cluster and the test server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

SMOKE=no; STEP=modes
# The gateway rows (nginx: floor, forward-auth, introspection) have a script of their own.
for arg in "$@"; do
  [ "$arg" = gateway ] || continue
  exec scripts/bench-gateway.sh $(printf '%s\n' "$@" | grep -x -- --smoke || true)
done
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=yes ;;
    memory | dashboard | storm | revocations | scale | tls) STEP=$arg ;;
    *) echo "usage: $0 [--smoke] [memory | dashboard | storm | revocations | scale | tls | gateway]" >&2; exit 2 ;;
  esac
done

if [ $SMOKE = yes ]; then
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-1}"; WARMUP="${BENCH_WARMUP:-1}"; LEVELS="${BENCH_LEVELS:-1 16}"
  TOKENS="${BENCH_TOKENS:-1000}"; WALK="${BENCH_WALK:-500}"; CACHE_TTL=2; BURST_REQUESTS=20; SETTLE=0
else
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-15}"; WARMUP="${BENCH_WARMUP:-5}"; LEVELS="${BENCH_LEVELS:-1 16 64 256}"
  TOKENS="${BENCH_TOKENS:-10000}"; WALK="${BENCH_WALK:-100000}"; CACHE_TTL=60; BURST_REQUESTS=60; SETTLE=3
fi
if [ $STEP = tls ]; then
  MODES="${BENCH_MODES:-Grain Grain+PlainTcp GrainNoNearCache GrainNoNearCache+PlainTcp}"
elif [ $STEP = dashboard ]; then
  MODES="${BENCH_MODES:-Grain Grain+Dashboard GrainNoNearCache GrainNoNearCache+Dashboard GrainNoNearCache+DashboardProfilingChecks}"
elif [ $SMOKE = yes ]; then
  MODES="${BENCH_MODES:-JwtOnly Database LocalCache Grain Grain+Dashboard}" # the dashboard's path kept working too (GrainNoNearCache differs from Grain by one setting: left to full runs, for CI time)
else
  # The floor twice, first and last: on this shared machine a row measured later in a run can come
  # out 10–30 % faster or slower than the same row earlier; the targets use the mean of the two.
  MODES="${BENCH_MODES:-JwtOnly Database LocalCache Grain GrainSid GrainNoNearCache JwtOnly2}"
fi
DB_DELAY_MS="${BENCH_DB_DELAY_MS:-1}"
REVOKE_EVERY=100
CACHE_SIZE=10000
BURST_CONCURRENCY=30
BURST_POOL=5

WORK="${BENCH_DIR:-/tmp/registry-bench}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-26000}"
export REGISTRY_CLUSTER_DIR="$WORK/cluster"
export REGISTRY_PG_PORT="${REGISTRY_PG_PORT:-26432}"
export REGISTRY_PG_DIR="$WORK/pg"
# Full runs measure Release builds. A smoke run proves the script works, not its numbers: it runs
# the configuration scripts/test.sh builds (Debug), so that CI (.ci/run) builds the projects once.
CONFIGURATION="${BENCH_CONFIGURATION:-$([ $SMOKE = yes ] && echo Debug || echo Release)}"
export REGISTRY_CONFIGURATION=$CONFIGURATION
BASE=$REGISTRY_BASE_PORT
# API nodes run in Development (scripts/cluster.sh's default), where /metrics is on the API port;
# in another environment it is only on Management:Url and the API heap figures would be missing.
API_A="http://127.0.0.1:$((BASE + 200))"
API_B="http://127.0.0.1:$((BASE + 201))"
SILO_METRICS="http://127.0.0.1:$((BASE + 300))/metrics"
SILO_DASHBOARD="http://127.0.0.1:$((BASE + 400))" # scripts/cluster.sh's Dashboard:Url of silo 0
TOOL="benchmarks/HttpCheckBench/bin/$CONFIGURATION/net10.0/HttpCheckBench.dll"
REPORT_TOOL="benchmarks/BenchReport/bin/$CONFIGURATION/net10.0/BenchReport.dll"
RUN="$(date +%s)"

log() { echo "bench.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------- setup and teardown
started_postgres=no
proxy_pid=""
poller_pid=""
cleanup() {
  [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
  [ -z "$poller_pid" ] || kill "$poller_pid" 2>/dev/null || true
  scripts/cluster.sh down --kill >/dev/null 2>&1 || true
  [ $started_postgres = yes ] && scripts/postgres.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

plot() { # svg, levels.tsv column, title, y label: one line per mode, drawn by gnuplot
  local svg=$1 column=$2 modes levels
  modes=$(cut -f1 "$WORK/out/levels.tsv" | awk '!seen[$0]++' | tr '\n' ' ')
  levels=$(cut -f2 "$WORK/out/levels.tsv" | sort -n -u | tr '\n' ' ')
  # One data block per mode (gnuplot's index), in the order the modes ran.
  awk -F'\t' -v col="$column" 'NR > 1 && $1 != prev { print ""; print "" } { print $2, $col; prev = $1 }' \
    "$WORK/out/levels.tsv" >"$WORK/out/plot-$column.dat"
  gnuplot -c scripts/bench-plot.gp "$WORK/out/plot-$column.dat" "$svg" "$3" "$4" "$modes" "$levels"
}

ensure_wrk() { scripts/ensure-package.sh wrk wrk; }

prepare() {
  ensure_wrk
  scripts/ensure-package.sh gnuplot gnuplot-nox
  mkdir -p "$WORK/out"
  rm -rf "$REGISTRY_CLUSTER_DIR" "$WORK"/out/*
  log "building ($CONFIGURATION)"
  dotnet build -c "$CONFIGURATION" src/Silo/Revocation.Silo.csproj -v q -nologo >/dev/null
  dotnet build -c "$CONFIGURATION" src/Api/Revocation.Api/Revocation.Api.csproj -v q -nologo >/dev/null
  dotnet build -c "$CONFIGURATION" benchmarks/HttpCheckBench/HttpCheckBench.csproj -v q -nologo >/dev/null
  dotnet build -c "$CONFIGURATION" benchmarks/BenchReport/BenchReport.csproj -v q -nologo >/dev/null
  if ! scripts/postgres.sh status >/dev/null 2>&1; then
    scripts/postgres.sh start >/dev/null
    started_postgres=yes
  fi
  # A fresh registry database every run: a run measures this commit's schema from nothing (and a
  # database left by an older commit could hold rows a newer migration refuses to guess about).
  scripts/postgres.sh psql -d postgres -qc "DROP DATABASE IF EXISTS registry WITH (FORCE)" -c "CREATE DATABASE registry" >/dev/null
  export ConnectionStrings__Registry
  ConnectionStrings__Registry="$(scripts/postgres.sh url)"
  # The database a network distance away for node B's check pool (Airflow's setting: API servers
  # and their database on different machines). No netem on this kernel: a delaying TCP proxy.
  local proxy_port=$((REGISTRY_PG_PORT + 1))
  dotnet "$TOOL" delay-proxy "$proxy_port" "$REGISTRY_PG_PORT" "$DB_DELAY_MS" >"$WORK/proxy.log" 2>&1 &
  proxy_pid=$!
  DELAYED_DB="${ConnectionStrings__Registry/Port=$REGISTRY_PG_PORT/Port=$proxy_port}"
  # The development issuer's key, so that tokens minted here are valid on the API nodes.
  export BENCH_SIGNING_KEY
  BENCH_SIGNING_KEY="$(sed -n 's/.*"SigningKey": *"\([^"]*\)".*/\1/p' src/Api/Revocation.Api/appsettings.Development.json)"
  [ -n "$BENCH_SIGNING_KEY" ] || die "no Jwt:SigningKey in src/Api/Revocation.Api/appsettings.Development.json"
}

psql_registry() { scripts/postgres.sh psql -d registry -tAq -c "$1"; }

bench_tool() { dotnet "$TOOL" "$@"; }
# benchmarks/BenchReport: command, options; it reads the measurements under $WORK/out.
report_tool() {
  dotnet "$REPORT_TOOL" "$1" --work "$WORK" "${@:2}" --smoke "$([ $SMOKE = yes ] && echo true || echo false)" \
    --pg-version "$(scripts/postgres.sh psql -tAc 'SHOW server_version' 2>/dev/null | cut -d' ' -f1)"
}

# Checks that reached a grain in the silo (token and session grains answered from memory or the
# database, subject grains): the silo's side of a check.
silo_calls() {
  curl -fs "$SILO_METRICS" | awk '/^revocation_(token_grain_cache_hits|token_grain_store_reads|session_grain_cache_hits|session_grain_store_reads|subject_grain_checks)_total[ {]/ { s += $NF } END { printf "%.0f", s }'
}

# Calls of the registry's own statements (revoked_tokens, grain storage) in the registry database.
db_calls() {
  psql_registry "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'registry')
      AND (query ILIKE '%revoked_tokens%' OR query ILIKE '%revoked_sessions%' OR query ILIKE '%OrleansStorage%') AND query NOT ILIKE '%pg_stat_statements%'"
}

pid_of() { scripts/cluster.sh pid "$1"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$(pid_of "$1")/status"; }
# Managed heap after the last GC, summed over generations (System.Runtime meter).
heap_mb() {
  curl -fs "$1" | awk '/^dotnet_gc_last_collection_heap_size_bytes/ { s += $NF } END { printf "%.1f", s / 1048576 }'
}
. scripts/lib/cpu-ticks.sh

# CPU ticks of PostgreSQL so far: the postmaster and every backend.
pg_ticks() { tree_ticks "$(head -n 1 "$REGISTRY_PG_DIR/data/postmaster.pid")"; }

# CPU used so far, in clock ticks: API node A, the silo, PostgreSQL (postmaster and its
# backends), and the whole machine (busy = everything but idle and iowait).
cpu_ticks() {
  echo "$(proc_ticks "$(pid_of api-0)") $(proc_ticks "$(pid_of silo-0)") $(pg_ticks) $(machine_ticks)"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

mode_env() { # mode, pool size for node B: the settings each API node of this mode gets
  local mode=${1%%+*} # the API nodes' part of the mode; a +Dashboard suffix is the silo's
  unset RevocationCheck__CheckSubject
  unset RevocationCheck__NearCache__Enabled Benchmarks__CheckFloorEndpoint
  case "$mode" in
    JwtOnly | JwtOnly2) export RevocationCheck__Mode=Grain Benchmarks__CheckFloorEndpoint=true ;;
    GrainJtiOnly) export RevocationCheck__Mode=Grain RevocationCheck__CheckSubject=false ;;
    GrainSid) export RevocationCheck__Mode=Grain ;;
    GrainNoNearCache) export RevocationCheck__Mode=Grain RevocationCheck__NearCache__Enabled=false ;;
    *) export RevocationCheck__Mode="$mode" ;;
  esac
  export RevocationCheck__LocalCache__Ttl
  RevocationCheck__LocalCache__Ttl=$(printf "%02d:%02d:%02d" $((CACHE_TTL / 3600)) $((CACHE_TTL % 3600 / 60)) $((CACHE_TTL % 60)))
  export RevocationCheck__LocalCache__SizeLimit="$CACHE_SIZE"
  unset RevocationCheck__Database__MaxPoolSize
}

# The silo's dashboard for a mode: off, on (+Dashboard) or on and profiling the checks
# (+DashboardProfilingChecks). A silo running with another setting is restarted with this one.
SILO_DASHBOARD_STATE=off
silo_dashboard() { # mode
  local state=off
  case "$1" in
    *+DashboardProfilingChecks) state=checks ;;
    *+Dashboard) state=on ;;
  esac
  stop_poller
  if [ "$state" = off ]; then
    unset Dashboard__Enabled Dashboard__ProfileChecks
  else
    export Dashboard__Enabled=true Dashboard__ProfileChecks=$([ "$state" = checks ] && echo true || echo false)
  fi
  if [ "$state" != "$SILO_DASHBOARD_STATE" ] && [ -f "$REGISTRY_CLUSTER_DIR/pids/silo-0.pid" ]; then
    log "restarting the silo with its dashboard $state"
    scripts/cluster.sh restart-silo 0 >&2
  fi
  SILO_DASHBOARD_STATE=$state
}

# What an open dashboard page asks for every second (its overview: counters, cluster and top
# methods); the dashboard profiles grain calls only while it is asked.
start_poller() {
  curl -fs -o /dev/null "$SILO_DASHBOARD/DashboardCounters" || die "the silo serves no dashboard on $SILO_DASHBOARD"
  ( while sleep 1; do
      for path in DashboardCounters ClusterStats TopGrainMethods; do curl -fs -o /dev/null "$SILO_DASHBOARD/$path" || true; done
    done ) &
  poller_pid=$!
}
stop_poller() { [ -z "$poller_pid" ] || { kill "$poller_pid" 2>/dev/null || true; wait "$poller_pid" 2>/dev/null || true; poller_pid=""; }; }

start_nodes() { # mode: node A with the default pool (100), node B with Airflow's pool of 5
  local mode=$1 tls=on
  mode_env "$mode"
  # Mutual TLS on the Orleans connections as shipped; +PlainTcp restarts the cluster without it.
  case "$mode" in *+PlainTcp*) tls=off ;; esac
  if [ -f "$REGISTRY_CLUSTER_DIR/pids/silo-0.pid" ] && [ "$(cat "$REGISTRY_CLUSTER_DIR/tls-mode" 2>/dev/null)" != "$tls" ]; then
    log "restarting the cluster with TLS $tls"
    scripts/cluster.sh down --kill >&2
    rm -f "$WORK/out/revoked" # a new cluster id: the revoked tokens are revoked again
  fi
  export REGISTRY_CLUSTER_TLS=$tls
  silo_dashboard "$mode"
  local node_a=""
  if [ ! -f "$REGISTRY_CLUSTER_DIR/pids/silo-0.pid" ]; then
    scripts/cluster.sh up --silos 1 --apis 1 --no-build >&2
  else
    scripts/cluster.sh restart-api 0 >&2 &
    node_a=$!
  fi
  # Both nodes restart at once: each waits for its Orleans client to reach the silo. Node B's
  # check pool reaches the database through the delaying proxy.
  RevocationCheck__Database__MaxPoolSize=$BURST_POOL RevocationCheck__Database__ConnectionString="$DELAYED_DB" \
    scripts/cluster.sh restart-api 1 >&2
  [ -z "$node_a" ] || wait "$node_a" || die "API node A did not restart in mode $mode"
  [ "$SILO_DASHBOARD_STATE" = off ] || start_poller
}

# ---------------------------------------------------------------- measurements
check_path() { case "$1" in JwtOnly | JwtOnly2) echo /bench/jwt-only ;; *) echo /me ;; esac; } # mode: the path wrk asks
# The tokens a mode sends: GrainSid's carry a sid (the same jtis, so the same ones are revoked).
tokens_of() { [ "$1" = GrainSid ] && echo "$WORK/sid-tokens.txt" || echo "$WORK/tokens.txt"; }

throughput() { # mode
  local mode=$1 level out before after requests cpu_before cpu_after calls_before calls_after path tokens
  path=$(check_path "$mode")
  tokens=$(tokens_of "$mode")
  # Warm-up: every token once (each check's state is built: grains activated, cache filled),
  # then wrk for the JIT and connection pools.
  bench_tool burst "$API_A" "$tokens" "$TOKENS" 32 >/dev/null
  wrk -t 2 -c 64 -d "${WARMUP}s" --timeout 10s -s benchmarks/wrk/me.lua "$API_A" -- "$tokens" $REVOKE_EVERY "$path" >/dev/null
  for level in $LEVELS; do
    before=$(db_calls)
    calls_before=$(silo_calls)
    cpu_before=$(cpu_ticks)
    out=$(wrk -t $((level < 2 ? 1 : 2)) -c "$level" -d "${SECONDS_PER_LEVEL}s" --timeout 10s \
      -s benchmarks/wrk/me.lua "$API_A" -- "$tokens" $REVOKE_EVERY "$path" | grep '^RESULT')
    cpu_after=$(cpu_ticks)
    calls_after=$(silo_calls)
    after=$(db_calls)
    requests=$(field requests "$out")
    local seconds p50 p99 max revoked s401 other errors unexpected
    seconds=$(field seconds "$out"); p50=$(field p50_us "$out"); p99=$(field p99_us "$out"); max=$(field max_us "$out")
    revoked=$(field revoked_sent "$out"); s401=$(field s401 "$out"); other=$(field other "$out"); errors=$(field errors "$out")
    # 401s beyond the requests that carried a revoked token are unexpected, as is any other status or error.
    unexpected=$(( other + errors + (s401 > revoked ? s401 - revoked : 0) ))
    awk -v OFS='\t' -v m="$mode" -v c="$level" -v n="$requests" -v s="$seconds" -v p50="$p50" -v p99="$p99" -v max="$max" \
      -v u="$unexpected" -v q=$((after - before)) -v ar="$(rss_mb api-0)" -v sr="$(rss_mb silo-0)" -v s401="$s401" -v rv="$revoked" \
      -v cb="$cpu_before" -v ca="$cpu_after" -v hz="$(getconf CLK_TCK)" -v gc=$((calls_after - calls_before)) \
      'BEGIN { split(cb, b, " "); split(ca, a, " "); k = n > 0 ? 1000 * 1000 / hz / n : 0 # ms of CPU per 1000 requests
               api = (a[1] - b[1]) * k; silo = (a[2] - b[2]) * k; pg = (a[3] - b[3]) * k; rest = (a[4] - b[4]) * k - api - silo - pg
               if (pg < 0) pg = 0 # a backend that exited during the level took its ticks along
               print m, c, sprintf("%.0f", n / s), sprintf("%.2f", p50 / 1000), sprintf("%.2f", p99 / 1000), sprintf("%.2f", max / 1000),
               u, sprintf("%.3f", n > 0 ? q / n : 0), ar, sr, s401, rv,
               sprintf("%.0f", api), sprintf("%.0f", silo), sprintf("%.0f", pg), sprintf("%.0f", rest < 0 ? 0 : rest),
               sprintf("%.3f", n > 0 ? gc / n : 0) }' >>"$WORK/out/levels.tsv"
    log "$mode c=$level: $(tail -n 1 "$WORK/out/levels.tsv" | cut -f3-8)"
  done
}

stale_probe() { # mode
  local mode=$1 limit=10 out
  [ "$mode" = LocalCache ] && limit=$((CACHE_TTL + 5))
  out=$(bench_tool probe "$API_A" "$API_B" "$RUN" "$limit")
  printf "%s\t%s\t%s\t%s\t%s\n" "$mode" "$(field stale "$out")" "$(field window_ms "$out")" "$(field rejected "$out")" "$(field asked "$out")" >>"$WORK/out/stale.tsv"
  log "$mode stale probe: $out"
}

# Revocation latency: logouts of fresh tokens through node A, timed from A's client, with both
# nodes healthy; then (near-cache modes) with node B paused by SIGSTOP, where each revocation waits
# for B's lease to run out.
# The silos' revocation.notify.duration histogram: cumulative bucket counts, "le count" per line,
# summed over the metrics URLs given (silo 0's by default).
notify_buckets() { # [metrics URL...]
  local url
  for url in "${@:-$SILO_METRICS}"; do curl -fs "$url"; done | awk '/^revocation_notify_duration_seconds_bucket/ { match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5); c[le] += $NF }
    END { for (le in c) print le, c[le] }' | sort -g
}

# Upper bucket bounds (ms) of the p50 and p99 of the notifications between two bucket snapshots.
notify_quantiles() { # before file, after file
  awk 'NR == FNR { b[$1] = $2; next } { le[++n] = $1; d[n] = $2 - b[$1] } END {
      total = d[n]; if (total <= 0) { print "— —"; exit }
      for (i = 1; i <= n; i++) { if (p50 == "" && d[i] >= 0.5 * total) p50 = le[i]; if (p99 == "" && d[i] >= 0.99 * total) p99 = le[i] }
      printf "%s %s\n", (p50 == "+Inf" ? p50 : p50 * 1000), (p99 == "+Inf" ? p99 : p99 * 1000) }' "$1" "$2"
}

revocation_latency() { # mode
  local mode=$1 healthy paused="" n=400 notify="— —"
  [ $SMOKE = yes ] && n=20
  notify_buckets >"$WORK/out/notify-before.txt"
  healthy=$(bench_tool revocations "$API_A" "$RUN" $((3000000000 + ${#mode} * 10000000)) "$n" 4)
  notify_buckets >"$WORK/out/notify-after.txt"
  [ -s "$WORK/out/notify-after.txt" ] && notify=$(notify_quantiles "$WORK/out/notify-before.txt" "$WORK/out/notify-after.txt")
  if [ "$mode" = Grain ]; then
    kill -STOP "$(pid_of api-1)"
    paused=$(bench_tool revocations "$API_A" "$RUN" $((3500000000 + ${#mode} * 10000000)) 20 20) || true
    kill -CONT "$(pid_of api-1)"
  fi
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$mode" "$n" "$(field p50_ms "$healthy")" "$(field p99_ms "$healthy")" "$(field max_ms "$healthy")" \
    "$(field statuses "$healthy")" "$(field p50_ms "$paused")" "$(field p99_ms "$paused")" "$(field max_ms "$paused")" "$(field statuses "$paused")" \
    "${notify% *}" "${notify#* }" >>"$WORK/out/revocations.tsv"
  log "$mode revocation latency: healthy $healthy; node B paused: ${paused:-—}"
}

pool_burst() { # mode: on node B (pool of 5)
  local mode=$1 out
  out=$(bench_tool burst "$API_B" "$WORK/valid.txt" "$BURST_REQUESTS" "$BURST_CONCURRENCY")
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$mode" "$(field wall_ms "$out")" "$(field ok "$out")" "$(field total "$out")" \
    "$(field p50_ms "$out")" "$(field p95_ms "$out")" "$(field p99_ms "$out")" "$(field statuses "$out")" >>"$WORK/out/burst.tsv"
  log "$mode pool burst: $out"
}

memory_walk() { # mode: WALK distinct, never-seen tokens through node A
  local mode=$1 out api0 api1 silo0 silo1 apih0 apih1 siloh0 siloh1 offset
  offset=$(( 1000000000 + $(printf %d "'${mode:0:1}") * 10000000 ))
  sleep "$SETTLE"
  api0=$(rss_mb api-0); silo0=$(rss_mb silo-0); apih0=$(heap_mb "$API_A/metrics"); siloh0=$(heap_mb "$SILO_METRICS")
  out=$(bench_tool walk "$API_A" "$RUN" "$offset" "$WALK" 32)
  sleep "$SETTLE" # let a collection report the heap
  api1=$(rss_mb api-0); silo1=$(rss_mb silo-0); apih1=$(heap_mb "$API_A/metrics"); siloh1=$(heap_mb "$SILO_METRICS")
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$mode" "$WALK" "$(field rps "$out")" "$api0" "$api1" "$apih0" "$apih1" \
    "$silo0" "$silo1" "$siloh0" "$siloh1" >>"$WORK/out/memory.tsv"
  log "$mode walk of $WALK tokens: $out; API RSS $api0→$api1 MB, heap $apih0→$apih1 MB; silo RSS $silo0→$silo1 MB, heap $siloh0→$siloh1 MB"
}

# ---------------------------------------------------------------- report

# The check modes' report (results.md): its tables, ratios and targets are written by
# benchmarks/BenchReport from the measurement files under $WORK/out; the plots by gnuplot.
report() { # file, svg prefix
  local file=$1 svg=$2
  plot "$svg-rps.svg" 3 "Requests/s vs concurrency (GET /me)" "requests/s"
  plot "$svg-p99.svg" 5 "p99 latency vs concurrency (GET /me)" "p99 latency (ms)"
  report_tool checks --out "$file" --plots "$svg" \
    --seconds "$SECONDS_PER_LEVEL" --warmup "$WARMUP" --tokens "$TOKENS" --revoke-every "$REVOKE_EVERY" \
    --cache-ttl "$CACHE_TTL" --cache-size "$CACHE_SIZE" --walk "$WALK" --burst-requests "$BURST_REQUESTS" \
    --burst-concurrency "$BURST_CONCURRENCY" --burst-pool "$BURST_POOL" --db-delay-ms "$DB_DELAY_MS" \
    --pg-port "$REGISTRY_PG_PORT"
}

# ---------------------------------------------------------------- the 1 000 000-token memory step
# One walk per silo configuration, same limits: the token grain cap at its default, and the cap
# off (only Orleans' memory-pressure shedding left).
memory_config() { # label, TokenGrain:MaxActivationsPerSilo, GrainDirectory:CacheSize, heap limit MiB, tokens
  local label=$1 cap=$2 directory_cache=$3 limit_mb=$4 total=$5 out peak rss heap activations evicted oom alive
  rm -f "$WORK/out/silo-rss.txt"
  scripts/cluster.sh down --kill >/dev/null 2>&1 || true
  rm -rf "$REGISTRY_CLUSTER_DIR"
  # The directory cache keeps the size the cap gives it also when the cap is off, so that the
  # second walk measures shedding alone.
  export DOTNET_GCHeapHardLimit TokenGrain__MaxActivationsPerSilo=$cap GrainDirectory__CacheSize=$directory_cache
  DOTNET_GCHeapHardLimit=$(printf '0x%x' $((limit_mb * 1024 * 1024)))
  mode_env Grain
  scripts/cluster.sh up --silos 1 --apis 1 --no-build >&2
  unset DOTNET_GCHeapHardLimit TokenGrain__MaxActivationsPerSilo GrainDirectory__CacheSize
  ( while sleep 2; do { rss_mb silo-0 && echo; } >>"$WORK/out/silo-rss.txt" 2>/dev/null || exit 0; done ) &
  local sampler=$!
  log "memory walk, $label: $total tokens"
  out=$(bench_tool walk "$API_A" "$RUN" $((2000000000 + ${#label} * 10000000)) "$total" 32)
  sleep 3
  kill "$sampler" 2>/dev/null || true
  peak=$(sort -n "$WORK/out/silo-rss.txt" | tail -1)
  if rss=$(rss_mb silo-0 2>/dev/null) && [ -n "$rss" ]; then
    alive=yes
    heap=$(heap_mb "$SILO_METRICS")
    activations=$(curl -fs "$SILO_METRICS" | awk '/^orleans_catalog_activations[ {]/ { s += $NF } END { print s + 0 }')
    evicted=$(curl -fs "$SILO_METRICS" | awk '/^revocation_token_grain_evicted_total[ {]/ { s += $NF } END { print s + 0 }')
  else
    alive="no (died)"; rss="—"; heap="—"; activations="—"; evicted="—"
  fi
  oom=$(grep -c OutOfMemoryException "$REGISTRY_CLUSTER_DIR/logs/silo-0.log" || true)
  log "$label: $out; peak RSS $peak MB, heap $heap MB, activations $activations, evicted $evicted, OOM lines $oom"
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$label" "$total" "$(field rps "$out")" "$peak" "$rss" "$heap" \
    "$activations" "$evicted" "$(field statuses "$out")" "$oom" "$alive" >>"$WORK/out/memory-step.tsv"
}

memory_step() {
  local limit_mb=${BENCH_HEAP_LIMIT_MB:-576} total=${BENCH_MEMORY_TOKENS:-1000000} file=benchmarks/results-memory.md
  local default_cap
  default_cap=$(awk -F': *' '/"MaxActivationsPerSilo"/ { gsub(/[^0-9]/, "", $2); print $2; exit }' src/Silo/appsettings.json) # TokenGrain's, the first
  prepare
  : >"$WORK/out/memory-step.tsv"
  default_cap=${default_cap:-100000}
  memory_config "cap $default_cap (default)" "$default_cap" "$default_cap" "$limit_mb" "$total"
  memory_config "cap off, shedding only" 0 "$default_cap" "$limit_mb" "$total"
  report_tool memory --out "$file" --tokens "$total" --heap-limit-mb "$limit_mb"
  cat "$file"
}

# ---------------------------------------------------------------- the dashboard on vs off
dashboard_report() { # file
  report_tool dashboard --out "$1" --seconds "$SECONDS_PER_LEVEL" --warmup "$WARMUP" --tokens "$TOKENS" --revoke-every "$REVOKE_EVERY"
}

tls_report() { # file
  report_tool tls --out "$1" --seconds "$SECONDS_PER_LEVEL" --warmup "$WARMUP" --tokens "$TOKENS" --revoke-every "$REVOKE_EVERY"
}

# Smoke: every mode measured at every level, with no unexpected status.
check_levels() {
  local rows expected bad
  rows=$(wc -l <"$WORK/out/levels.tsv")
  expected=$(( $(wc -w <<<"$MODES") * $(wc -w <<<"$LEVELS") ))
  [ "$rows" -eq "$expected" ] || die "smoke: $rows of $expected throughput rows"
  bad=$(awk -F'\t' '$7 > 0 || $3 == 0' "$WORK/out/levels.tsv")
  [ -z "$bad" ] || die "smoke: unexpected errors or no requests: $bad"
}

# ---------------------------------------------------------------- a revocation storm next to checks
# Metric sums on an endpoint: metric name and label filter (a regular expression on the labels).
metric_sum() { # url, metric, label regex
  curl -fs "$1" | awk -v m="$2" -v l="$3" '$1 ~ "^" m "[{ ]" || $1 == m { if (l == "" || $1 ~ l) s += $NF } END { printf "%.0f", s }'
}

silos_sum() { # metric, label regex: summed over both silos of the storm step
  echo $(( $(metric_sum "http://127.0.0.1:$((BASE + 300))/metrics" "$1" "$2") + $(metric_sum "http://127.0.0.1:$((BASE + 301))/metrics" "$1" "$2") ))
}

storm_counters() { # what changes on node B and the silos during a phase, one line
  echo "$(metric_sum "$API_B/metrics" revocation_near_cache_lookups_total 'result="miss"') \
$(metric_sum "$API_B/metrics" revocation_near_cache_lookups_total '') \
$(metric_sum "$API_B/metrics" revocation_near_cache_lease_renewals_total 'result="new_lease"') \
$(metric_sum "$API_B/metrics" revocation_near_cache_lease_renewals_total 'result="failed"') \
$(silos_sum revocation_node_leases_renewals_total 'result="held"') \
$(silos_sum revocation_node_leases_renewals_total 'result="granted"') \
$(silos_sum revocation_notify_lapsed_total '')"
}

storm_phase() { # mode, label, revocations through A (0: none), concurrency of the storm
  local mode=$1 label=$2 count=$3 concurrency=$4 before after out storm="" rps
  before=$(storm_counters)
  if [ "$count" -gt 0 ]; then
    bench_tool revocations "$API_A" "$RUN" $((4000000000 + ${#mode} * 100000000 + ${#label} * 1000000)) "$count" "$concurrency" >"$WORK/out/storm-revocations.txt" &
    storm=$!
  fi
  out=$(wrk -t 2 -c 64 -d "${STORM_SECONDS}s" --timeout 10s -s benchmarks/wrk/me.lua "$API_B" -- "$WORK/storm-tokens.txt" 1000000 | grep '^RESULT')
  [ -z "$storm" ] || wait "$storm" || die "the revocation storm through node A failed"
  after=$(storm_counters)
  rps=$(awk -v r="$(field requests "$out")" -v s="$(field seconds "$out")" 'BEGIN { printf "%.0f", r / s }')
  local revs="—" statuses="—"
  if [ -n "$storm" ]; then
    revs=$(awk -v t="$(field total "$(cat "$WORK/out/storm-revocations.txt")")" -v w="$(field wall_ms "$(cat "$WORK/out/storm-revocations.txt")")" 'BEGIN { printf "%.0f", t * 1000 / w }')
    statuses=$(field statuses "$(cat "$WORK/out/storm-revocations.txt")")
  fi
  paste <(echo "$mode $label $rps $revs $statuses $(field other "$out") $(field errors "$out")" | tr ' ' '\t') \
    <(paste -d' ' <(tr ' ' '\n' <<<"$before") <(tr ' ' '\n' <<<"$after") | awk '{ printf "%s%d", (NR > 1 ? "\t" : ""), $2 - $1 } END { print "" }') \
    >>"$WORK/out/storm.tsv"
  log "storm $mode $label: B $rps requests/s; revocations/s through A: $revs"
}

storm_mode() { # mode, tokens, revocations, concurrency: quiet, storm and after phases of one mode
  local mode=$1 tokens=$2 count=$3 concurrency=$4
  mode_env "$mode"
  # Two silos, as in production: the lease grain and the token grains are often on different silos.
  scripts/cluster.sh up --silos 2 --apis 2 --no-build >&2
  # Node B's cache warm and its code jitted (tiered compilation takes a while under wrk), node A's
  # logout path too.
  wrk -t 2 -c 64 -d "$((WARMUP * 3))s" --timeout 10s -s benchmarks/wrk/me.lua "$API_B" -- "$WORK/storm-tokens.txt" 1000000 >/dev/null
  bench_tool revocations "$API_A" "$RUN" $((4900000000 + ${#mode} * 1000000)) $((count / 10)) "$concurrency" >/dev/null
  storm_phase "$mode" quiet 0 0
  storm_phase "$mode" storm "$count" "$concurrency"
  storm_phase "$mode" after 0 0
  scripts/cluster.sh down --kill >&2
}

storm_step() {
  STORM_SECONDS=${BENCH_STORM_SECONDS:-10}
  local tokens=${BENCH_STORM_TOKENS:-2000} count=${BENCH_STORM_REVOCATIONS:-20000} concurrency=${BENCH_STORM_CONCURRENCY:-64}
  local file=benchmarks/results-storm.md
  if [ $SMOKE = yes ]; then STORM_SECONDS=2; tokens=200; count=500; file="$WORK/out/results-storm.md"; fi
  prepare
  bench_tool mint "$RUN" "$tokens" 1000000 "$WORK/storm-tokens.txt" "$WORK/storm-revoked.txt" >/dev/null
  : >"$WORK/out/storm.tsv"
  # LocalCache is the control: no lease, no notices to node B, so whatever B loses during its storm
  # is the machine's CPU taken by the storm, not the protocol.
  storm_mode Grain "$tokens" "$count" "$concurrency"
  storm_mode LocalCache "$tokens" "$count" "$concurrency"
  report_tool storm --out "$file" --tokens "$tokens" \
    --revocations "$count" --concurrency "$concurrency" --seconds "$STORM_SECONDS"
  cat "$file"
}

# CPU ticks (1/100 s) so far: API nodes 0 and 1, silos 0 and 1, PostgreSQL (every backend), the whole machine.
cpu_ticks_two_silos() {
  echo "$(for p in api-0 api-1 silo-0 silo-1; do printf "%d " "$(proc_ticks "$(pid_of "$p")")"; done)$(pg_ticks) $(machine_ticks)"
}

# pgbench, as the floor: the registry's own upsert of a fresh jti per transaction, prepared, one
# transaction per revocation, on the same PostgreSQL.
pgbench_upsert() { # clients, seconds → transactions/s
  local file="$WORK/pgbench-upsert.sql"
  cat >"$file" <<'SQL'
\set r random(1, 2000000000)
INSERT INTO revoked_tokens AS t (iss, jti, expires_at, revoked_at, reason)
VALUES ('https://pgbench.example', 'pgbench-' || :client_id || '-' || :r, now() + interval '1 hour', now(), NULL)
ON CONFLICT ON CONSTRAINT revoked_tokens_pk DO UPDATE
    SET expires_at = GREATEST(t.expires_at, EXCLUDED.expires_at), reason = COALESCE(t.reason, EXCLUDED.reason)
RETURNING expires_at, revoked_at, reason;
SQL
  chmod 644 "$file"
  scripts/postgres.sh pgbench -n -M prepared -c "$1" -j 2 -T "$2" -f "$file" registry 2>/dev/null \
    | awk '/^tps = / { printf "%.0f", $3 }'
}

# Warm-up of a fresh cluster's logout path: batches at concurrency 16 until one runs at most 1.1×
# the one before (at least 3, at most 8; 2 in a smoke run), each batch's rate in
# revocations-warmup.tsv. The silos keep compiling and tiering methods up for thousands of
# logouts: a fixed 3 000 left them compiling through a third of the measured level (the silos'
# tiered-compilation threads were 37 % of their CPU there, perf; batches of 3 000 ran at 166,
# 340, 476, 507, 562/s).
warm_until_steady() { # label, revocations per batch, in use (yes: each token checked first, as measured)
  local label=$1 n=$2 in_use=$3 batch=1 rate previous=0 result least=3 most=8 from
  [ $SMOKE = yes ] && { least=2; most=2; }
  while :; do
    from=$((5900000000 + REVOCATION_VARIANT * 1000000 + batch * 100000))
    [ "$in_use" = yes ] && check_once "$from" "$n"
    result=$(bench_tool revocations "$API_A" "$RUN" "$from" "$n" 16)
    rate=$(awk -v t="$(field total "$result")" -v w="$(field wall_ms "$result")" 'BEGIN { printf "%.0f", (w > 0 ? t * 1000 / w : 0) }')
    printf "%s\t%s\t%s\t%s\n" "$label" "$batch" "$n" "$rate" >>"$WORK/out/revocations-warmup.tsv"
    log "revocations ($label) warm-up batch $batch: $rate/s"
    [ "$batch" -ge "$most" ] && break
    [ "$batch" -ge "$least" ] && [ $((rate * 10)) -le $((previous * 11)) ] && break
    previous=$rate
    batch=$((batch + 1))
  done
}

# The statements on revoked_tokens since the last pg_stat_statements_reset(): "upserts rows
# reads" — how many rows each upsert carried (group commit) and the reads of fresh activations.
token_statements() {
  psql_registry "SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE 'INSERT INTO revoked_tokens%'), 0)::bigint || ' ' ||
      coalesce(sum(rows) FILTER (WHERE query ILIKE 'INSERT INTO revoked_tokens%'), 0)::bigint || ' ' ||
      coalesce(sum(calls) FILTER (WHERE query ILIKE 'SELECT %FROM revoked_tokens%'), 0)::bigint
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'registry')"
}

# Tokens in use: each of count tokens from id `from` checked once through node A (GET /me, not
# timed), as a token is before its user logs out: node A's near cache holds its answer and its
# grain is active with its row read, so the logout measured next costs the revocation alone.
check_once() { # from, count
  local out
  out=$(bench_tool walk "$API_A" "$RUN" "$1" "$2" 64)
  [ "$(field statuses "$out")" = "200:$2" ] || die "checking tokens before their logout: $out"
}

# One registry variant's revocations at each concurrency, each followed by pgbench at as many clients.
# Each variant's tokens are its own (ids from its number, REVOCATION_VARIANT): a token another
# variant revoked would answer 401.
REVOCATION_VARIANT=0
revocations_variant() { # label, count, pgbench seconds, in use (yes/no), paced level too (yes/no); the silos' Database__* settings already exported
  local label=$1 count=$2 seconds=$3 in_use=$4 paced=$5 c before after result pg_tps statements from best_tps=0
  REVOCATION_VARIANT=$((REVOCATION_VARIANT + 1))
  [ "$count" -lt 400000 ] || die "BENCH_REVOCATIONS must be below 400000 (a warm-up batch, a quarter of it, has 100000 ids)"
  scripts/cluster.sh up --silos 2 --apis 2 --no-build >&2
  psql_registry "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  warm_until_steady "$label" $((count / 4)) "$in_use"
  for c in 16 64; do
    from=$((6000000000 + REVOCATION_VARIANT * 100000000 + c * 1000000))
    [ "$in_use" = yes ] && check_once "$from" "$count"
    psql_registry "SELECT pg_stat_statements_reset()" >/dev/null
    before=$(cpu_ticks_two_silos)
    result=$(bench_tool revocations "$API_A" "$RUN" "$from" "$count" "$c")
    after=$(cpu_ticks_two_silos)
    statements=$(token_statements)
    pg_tps=$(pgbench_upsert "$c" "$seconds")
    log "revocations ($label) at concurrency $c: $result; pgbench $pg_tps tps"
    [ "${pg_tps:-0}" -le "$best_tps" ] || best_tps=$pg_tps
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$label" "$c" "$(field total "$result")" "$(field wall_ms "$result")" "$(field p50_ms "$result")" \
      "$(field p99_ms "$result")" "$(field statuses "$result")" "$pg_tps" "$before $after" "$statements" >>"$WORK/out/revocations-throughput.tsv"
  done
  [ "$paced" = no ] || revocations_paced "$label" "$in_use" "$best_tps" "$seconds"
  scripts/cluster.sh down --kill >&2
}

# Half the target rate, open loop (issue 21: revocation p99 <= 50 ms there): a quarter of the best
# pgbench rate of the variant's levels, for as long as pgbench ran, each revocation's latency
# counted from when it was due (HttpCheckBench revocations-paced).
revocations_paced() { # label, in use (yes/no), pgbench tps, seconds
  local label=$1 in_use=$2 rate=$(($3 / 4)) count from before after result
  [ "$rate" -ge 10 ] || rate=10
  count=$((rate * $4))
  [ "$count" -lt 1000000 ] || die "revocations at $rate/s for $4 s do not fit the paced level's 1 000 000 token ids"
  from=$((6000000000 + REVOCATION_VARIANT * 100000000 + 99 * 1000000))
  [ "$in_use" = yes ] && check_once "$from" "$count"
  before=$(cpu_ticks_two_silos)
  result=$(bench_tool revocations-paced "$API_A" "$RUN" "$from" "$count" "$rate")
  after=$(cpu_ticks_two_silos)
  log "revocations ($label) paced at $rate/s: $result"
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$label" "$rate" "$(field total "$result")" "$(field wall_ms "$result")" "$(field p50_ms "$result")" \
    "$(field p99_ms "$result")" "$(field max_ms "$result")" "$(field statuses "$result")" "$before $after" >>"$WORK/out/revocations-paced.tsv"
}

revocations_step() {
  local count=${BENCH_REVOCATIONS:-12000} seconds=10 file=benchmarks/results-revocations.md
  if [ $SMOKE = yes ]; then count=300; seconds=2; file="$WORK/out/results-revocations.md"; fi
  prepare
  mode_env Grain
  : >"$WORK/out/revocations-throughput.tsv"
  : >"$WORK/out/revocations-warmup.tsv"
  : >"$WORK/out/revocations-paced.tsv"
  # The control: one statement per revocation, as many in flight as there are callers (before group commit).
  export Database__MaxRowsPerStatement=1 Database__StatementsInFlight=64
  revocations_variant "one row per statement" "$count" "$seconds" no no
  unset Database__MaxRowsPerStatement Database__StatementsInFlight
  revocations_variant "group commit (default)" "$count" "$seconds" no yes
  # The same, of tokens in use (checked once before their logout): what a logout usually is.
  revocations_variant "group commit, tokens in use" "$count" "$seconds" yes yes
  report_tool revocations --out "$file" --revocations "$count" \
    --seconds "$seconds" --clock-ticks "$(getconf CLK_TCK)"
  cat "$file"
}

# ---------------------------------------------------------------- the lease service against the number of API nodes
SCALE_TOOL="benchmarks/LeaseScale/bin/$CONFIGURATION/net10.0/LeaseScale.dll"

# Orleans messages so far, summed over both silos: gateway (orleans_gateway_sent_total +
# received_total), messages on client connections (sent and received), sent silo to silo, sent
# within a silo (local).
silo_messages() {
  local i
  for i in 0 1; do curl -fs "http://127.0.0.1:$((BASE + 300 + i))/metrics" || true; done | awk '
    /^orleans_gateway_(sent|received)_total[{ ]/ { g += $NF }
    /^orleans_messaging_(sent|received)_messages_size_bytes_count[{ ]/ && /GatewayToClient/ { c += $NF }
    /^orleans_messaging_sent_messages_size_bytes_count[{ ]/ && /SiloToSilo/ { s += $NF }
    /^orleans_messaging_sent_local_total[{ ]/ { l += $NF }
    END { printf "%.0f %.0f %.0f %.0f", g, c, s, l }'
}

# One sample at a phase boundary of the harness: time (ns), CPU ticks of silo 0, silo 1, PostgreSQL,
# the harness and the whole machine (busy), then the message counters.
scale_sample() { # harness pid
  echo "$(date +%s%N) $(proc_ticks "$(pid_of silo-0)") $(proc_ticks "$(pid_of silo-1)") $(pg_ticks) $(proc_ticks "$1") $(machine_ticks) $(silo_messages)"
}

# The silo whose lease grain(s) know the most nodes (as the end-to-end tests find it).
lease_silo() {
  local i known most=0 silo=""
  for i in 0 1; do
    known=$(metric_sum "http://127.0.0.1:$((BASE + 300 + i))/metrics" revocation_node_leases_nodes '')
    if [ "$known" -gt "$most" ]; then most=$known; silo=$i; fi
  done
  [ -n "$silo" ] || die "no silo reports revocation_node_leases_nodes above 0"
  echo "$silo"
}

# The harness's MARK lines, each answered by a sample and then a line on its stdin (it waits for
# it); its RESULT line on stdout.
run_harness() { # samples file, LeaseScale arguments...
  local samples=$1 line result="" from to phase
  shift
  : >"$samples"
  local tls
  tls=$(scripts/cluster.sh client-env) # the harness is a client like any API node: the cluster's certificate
  # shellcheck disable=SC2086 # words KEY=value
  coproc HARNESS { env $tls dotnet "$SCALE_TOOL" "$@" --await-samples true 2>>"$WORK/out/scale.log"; }
  # Own copies of the pipes: bash drops HARNESS[] as soon as the harness exits.
  exec {from}<&"${HARNESS[0]}" {to}>&"${HARNESS[1]}"
  while IFS= read -r line <&"$from"; do
    case "$line" in
      "MARK "*)
        phase=$(cut -d' ' -f2 <<<"$line")
        echo "$phase $(scale_sample "$(field pid "$line")")" >>"$samples"
        notify_buckets "http://127.0.0.1:$((BASE + 300))/metrics" "http://127.0.0.1:$((BASE + 301))/metrics" >"$samples.$phase.notify"
        echo sampled >&"$to" ;;
      "RESULT "*) result=$line ;;
    esac
  done
  exec {from}<&- {to}>&-
  [ -n "$result" ] || die "LeaseScale $* gave no result (see $WORK/out/scale.log)"
  echo "$result"
}

scale_level() { # nodes
  local n=$1 result samples="$WORK/out/scale-$1.samples"
  result=$(run_harness "$samples" revocations --nodes "$n" --partitions "$SCALE_PARTITIONS" --rate "$SCALE_RATE" \
    --seconds "$SCALE_SECONDS" --warmup "$SCALE_WARMUP" --quiet "$SCALE_QUIET")
  log "scale, $n nodes: $result"
  local keys="nodes revocations_made revocations_acknowledged revocations_failed latency_p50_ms latency_p99_ms latency_max_ms
    schedule_lag_max_ms renewals_per_s leases_lost leases_lapsed renewals_failed nodes_missing_notices notices_min_per_node
    notice_batches_per_node errors warmup_failed" key
  # The result's fields; the silos' notification time (durable revocation → every node told: upper
  # bucket bounds of p50 and p99); then from the samples (quiet → window → end): per second of the
  # window and of the quiet phase, CPU per revocation, and messages per revocation, all and net of the
  # quiet phase's rate (the renewals' share).
  { for key in $keys; do printf "%s\t" "$(field "$key" "$result")"; done
    notify_quantiles "$samples.window.notify" "$samples.end.notify" | tr ' ' '\t' | tr '\n' '\t'
    awk -v n="$(field revocations_made "$result")" -v hz="$(getconf CLK_TCK)" '
      { t[$1] = $2 / 1e9; for (i = 3; i <= NF; i++) v[$1, i] = $i }
      END {
        w = t["end"] - t["window"]; q = t["window"] - t["quiet"]
        for (i = 3; i <= 11; i++) { dw[i] = v["end", i] - v["window", i]; dq[i] = v["window", i] - v["quiet", i] }
        pct = 100 / hz; ms = 1000 / hz
        # % of one core while revoking: silos, PostgreSQL, harness, everything else on the machine
        printf "%.0f\t%.0f\t%.0f\t%.0f\t", pct * (dw[3] + dw[4]) / w, pct * dw[5] / w, pct * dw[6] / w, pct * (dw[7] - dw[3] - dw[4] - dw[5] - dw[6]) / w
        # the same while only renewing
        printf "%.0f\t%.0f\t%.0f\t%.0f\t", pct * (dq[3] + dq[4]) / q, pct * dq[5] / q, pct * dq[6] / q, pct * (dq[7] - dq[3] - dq[4] - dq[5] - dq[6]) / q
        # ms per revocation, silos and PostgreSQL (renewals included)
        printf "%.2f\t%.2f\t", ms * (dw[3] + dw[4]) / n, ms * dw[5] / n
        for (i = 8; i <= 11; i++) printf "%.1f\t%.1f\t", dw[i] / n, (dw[i] - dq[i] * w / q) / n
        printf "\n"
      }' "$samples"
  } >>"$WORK/out/scale.tsv"
}

scale_recovery() { # nodes: kill -9 the silo holding the lease grain once every node holds a lease
  local n=$1 marker="$WORK/out/kill-marker" line result="" silo="" pid killed_at tls
  rm -f "$marker"
  tls=$(scripts/cluster.sh client-env) # as run_harness: a client needs the cluster's certificate outside Development
  while IFS= read -r line; do
    case "$line" in
      "MARK leased"*)
        silo=$(lease_silo)
        pid=$(pid_of "silo-$silo")
        kill -9 "$pid"
        # Taken after the kill, so that no renewal counted as sent after it reached the killed silo.
        killed_at=$(date +%s%3N)
        echo "$killed_at" >"$marker.tmp" && mv "$marker.tmp" "$marker"
        log "scale recovery: killed silo $silo with $n nodes leased" ;;
      "RESULT "*) result=$line ;;
    esac
  # shellcheck disable=SC2086 # words KEY=value
  done < <(env $tls dotnet "$SCALE_TOOL" recover --nodes "$n" --partitions "$SCALE_PARTITIONS" --kill-marker "$marker" 2>>"$WORK/out/scale.log")
  [ -n "$result" ] && [ -n "$silo" ] || die "LeaseScale recover gave no result (see $WORK/out/scale.log)"
  log "scale recovery: $result"
  echo "$silo $result" >"$WORK/out/scale-recovery.txt"
}

scale_report() { # file, svg
  local file=$1 svg=$2
  # p50 and p99 against the number of nodes: two data blocks (gnuplot indexes), as bench-plot.gp draws them.
  awk -F'\t' '{ print $1, $5 }' "$WORK/out/scale.tsv" >"$WORK/out/scale-plot.dat"
  printf "\n\n" >>"$WORK/out/scale-plot.dat"
  awk -F'\t' '{ print $1, $6 }' "$WORK/out/scale.tsv" >>"$WORK/out/scale-plot.dat"
  gnuplot -c scripts/bench-plot.gp "$WORK/out/scale-plot.dat" "$svg" "Revocation latency vs simulated API nodes ($SCALE_RATE revocations/s)" \
    "latency (ms)" "p50 p99" "$(cut -f1 "$WORK/out/scale.tsv" | tr '\n' ' ')" "simulated API nodes (leases)"
  report_tool scale --out "$file" --plot "$svg" --partitions "$SCALE_PARTITIONS" --rate "$SCALE_RATE" --seconds "$SCALE_SECONDS" \
    --warmup "$SCALE_WARMUP" --quiet "$SCALE_QUIET"
}



scale_step() {
  local levels=${BENCH_SCALE_NODES:-10 100 1000} kill_nodes=${BENCH_SCALE_KILL_NODES:-1000} n
  local file=benchmarks/results-scale.md svg=benchmarks/results-scale.svg
  SCALE_RATE=${BENCH_SCALE_RATE:-200}; SCALE_SECONDS=${BENCH_SCALE_SECONDS:-15}; SCALE_PARTITIONS=${BENCH_SCALE_PARTITIONS:-1}
  SCALE_WARMUP=10; SCALE_QUIET=5 # a warm-up long enough for tiered JIT in the silos and the harness
  if [ $SMOKE = yes ]; then
    levels="3 10"; kill_nodes=10; SCALE_RATE=20; SCALE_SECONDS=2; SCALE_WARMUP=1; SCALE_QUIET=1
    file="$WORK/out/results-scale.md"; svg="$WORK/out/results-scale.svg"
  fi
  prepare
  log "building benchmarks/LeaseScale ($CONFIGURATION)"
  dotnet build -c "$CONFIGURATION" benchmarks/LeaseScale/LeaseScale.csproj -v q -nologo >/dev/null
  # The silos' partition count (NodeLeases:Partitions) must be the harness's.
  export NodeLeases__Partitions="$SCALE_PARTITIONS"
  scripts/cluster.sh up --silos 2 --apis 0 --no-build >&2
  export Orleans__ClusterId
  Orleans__ClusterId=$(cat "$REGISTRY_CLUSTER_DIR/cluster-id")
  : >"$WORK/out/scale.tsv"
  for n in $levels; do scale_level "$n"; done
  scale_recovery "$kill_nodes"
  scale_report "$file" "$svg"
  cat "$file"
  if [ $SMOKE = yes ]; then
    local bad
    bad=$(awk -F'\t' '$4 != 0 || $13 != 0' "$WORK/out/scale.tsv")
    [ -z "$bad" ] || die "smoke: failed revocations or nodes missing notices: $bad"
    [ "$(field recovered "$(cut -d' ' -f2- "$WORK/out/scale-recovery.txt")")" = "$kill_nodes" ] || die "smoke: not every node held a lease again after the kill"
  fi
}

# ---------------------------------------------------------------- main
case $STEP in
  scale | revocations | storm)
    started=$SECONDS
    "${STEP}_step"
    echo "bench $STEP: done in $((SECONDS - started)) s"
    exit 0 ;;
esac

if [ $STEP = memory ]; then
  memory_step
  exit 0
fi

started=$SECONDS
prepare
log "minting $TOKENS tokens"
bench_tool mint "$RUN" "$TOKENS" $REVOKE_EVERY "$WORK/tokens.txt" "$WORK/revoked.txt" >/dev/null
awk -v e=$REVOKE_EVERY '(NR - 1) % e != 0' "$WORK/tokens.txt" >"$WORK/valid.txt"
case " $MODES " in *" GrainSid "*)
  BENCH_SESSIONS=1000 bench_tool mint "$RUN" "$TOKENS" $REVOKE_EVERY "$WORK/sid-tokens.txt" "$WORK/sid-revoked.txt" >/dev/null ;;
esac
for mode in $MODES; do
  log "mode $mode"
  start_nodes "$mode"
  if [ ! -f "$WORK/out/revoked" ]; then
    psql_registry "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1
    log "revoking every ${REVOKE_EVERY}th token through the registry: $(bench_tool revoke "$API_A" "$WORK/revoked.txt")"
    touch "$WORK/out/revoked"
  fi
  throughput "$mode"
  case "$mode" in GrainJtiOnly | GrainSid | JwtOnly | JwtOnly2) continue ;; esac
  [ $STEP != dashboard ] || continue
  if [ $STEP = tls ]; then revocation_latency "$mode"; continue; fi
  stale_probe "$mode"
  revocation_latency "$mode"
  pool_burst "$mode"
  memory_walk "$mode"
done
stop_poller

if [ $STEP = tls ]; then
  file=benchmarks/results-tls.md
  [ $SMOKE = yes ] && file="$WORK/out/results-tls.md"
  tls_report "$file"
  echo "bench tls: done in $((SECONDS - started)) s; wrote $file"
  exit 0
fi

if [ $STEP = dashboard ]; then
  file=benchmarks/results-dashboard.md
  [ $SMOKE = yes ] && file="$WORK/out/results-dashboard.md"
  dashboard_report "$file"
  [ $SMOKE = no ] || check_levels
  echo "bench dashboard: done in $((SECONDS - started)) s; wrote $file"
  exit 0
fi

if [ $SMOKE = yes ]; then
  report "$WORK/out/results.md" "$WORK/out/results"
  check_levels
  bad=$(awk -F'\t' '$1 != "LocalCache" && $2 != 0' "$WORK/out/stale.tsv")
  [ -z "$bad" ] || die "smoke: stale accepts in a mode that must have none: $bad"
  bad=$(awk -F'\t' '$6 !~ /^204:[0-9]+$/ || ($10 != "" && $10 !~ /^204:[0-9]+$/)' "$WORK/out/revocations.tsv")
  [ -z "$bad" ] || die "smoke: revocations not acknowledged: $bad"
  echo "bench smoke: ok in $((SECONDS - started)) s ($WORK/out/results.md)"
else
  report benchmarks/results.md benchmarks/results
  echo "bench: done in $((SECONDS - started)) s; wrote benchmarks/results.md, benchmarks/results-rps.svg, benchmarks/results-p99.svg"
fi
