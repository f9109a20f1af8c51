#!/usr/bin/env bash
# Apache Airflow's revoked-token failure, reproduced with a real Python stack and fixed at the
# gateway (issue 25; benchmarks/airflow/app.py says how the app is shaped). Side by side, in one run:
#
#   stock       a synchronous is_revoked query per request on SQLAlchemy's QueuePool, one uvicorn
#               process: the report's pool (3 + 2) and Airflow's default (5 + 10), 30 s pool timeout
#   ttl         the proposed fix: a 60 s process-local TTL cache in front of that query, 4 processes
#   registry    no check in the app: nginx auth_request asks the registry's forward-auth endpoint,
#               4 processes, the report's pool for the app's own query
# Every row's requests go through nginx, round robin over the app's processes.
#
# Each row twice. With the database under load (the check's query takes BENCH_CHECK_QUERY_SECONDS,
# 2.5: the report's numbers imply it, 60 requests through 5 connections in 31 s): the report's
# burst, 60 requests at concurrency 30 on new connections (wall time, success, pool timeouts,
# p50/p95/p99). With the database at a realistic distance (BENCH_DB_DELAY_MS each way through a
# delaying TCP proxy, no extra load): the stale probe (the token warmed on every worker, logged
# out, then asked PROBES times: each 200 is a stale accept) and requests/s and p99 with wrk at 64
# and 256 connections.
#
#   scripts/bench-airflow.sh            writes benchmarks/results-airflow.md
#   scripts/bench-airflow.sh --smoke    a few requests per step; report under $BENCH_DIR
#
# Ports: REGISTRY_BASE_PORT (27000) for the registry, REGISTRY_PG_PORT (27432, +1 the delaying
# proxy), 27500-27503 the app's processes, 27510 nginx (every row's requests go through it). BENCH_DIR (/tmp/registry-bench-airflow).
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=no
[ "${1:-}" = --smoke ] && SMOKE=yes
WORK="${BENCH_DIR:-/tmp/registry-bench-airflow}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-27000}"
export REGISTRY_PG_PORT="${REGISTRY_PG_PORT:-27432}"
export REGISTRY_PG_DIR="$WORK/pg" # a fresh server every run (WORK is emptied first)
export REGISTRY_CLUSTER_DIR="$WORK/cluster"
DB_DELAY_MS="${BENCH_DB_DELAY_MS:-1}"
LOADED_QUERY_SECONDS="${BENCH_CHECK_QUERY_SECONDS:-2.5}"
APP_PORT=27500
NGINX_PORT=27510
API_PORT=$((REGISTRY_BASE_PORT + 200))
PYTHON=/usr/bin/python3 # Debian's, where the python3-* packages are
TOOL="benchmarks/HttpCheckBench/bin/Release/net10.0/HttpCheckBench.dll"
RPS_SECONDS=10
[ $SMOKE = yes ] && RPS_SECONDS=2
export PROBES="${PROBES:-200}" WARM="${WARM:-40}"
[ $SMOKE = yes ] && PROBES=20 WARM=8

log() { echo "bench-airflow.sh: $*" >&2; }
die() { log "$*"; exit 1; }

app_pids=() nginx_pid="" proxy_pid="" started_postgres=no
stop_app() {
  [ ${#app_pids[@]} -eq 0 ] && return 0
  kill "${app_pids[@]}" 2>/dev/null || true
  wait "${app_pids[@]}" 2>/dev/null || true
  app_pids=()
}
cleanup() {
  stop_app
  stop_nginx
  [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
  scripts/cluster.sh down >/dev/null 2>&1 || true
  [ "$started_postgres" = no ] || scripts/postgres.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

ensure_python_module() { # module, Debian package
  "$PYTHON" -c "import $1" 2>/dev/null && return 0
  log "installing Debian's $2"
  scripts/apt-install.sh "$2"
  "$PYTHON" -c "import $1" || die "no Python module $1 after installing $2"
}

prepare() {
  for pair in fastapi:python3-fastapi uvicorn:python3-uvicorn sqlalchemy:python3-sqlalchemy \
    psycopg2:python3-psycopg2 jwt:python3-jwt cachetools:python3-cachetools; do
    ensure_python_module "${pair%%:*}" "${pair##*:}"
  done
  scripts/ensure-package.sh nginx nginx
  scripts/ensure-package.sh wrk wrk
  rm -rf "$WORK" && mkdir -p "$WORK/out" "$WORK/nginx"
  log "building (Release)"
  dotnet build -c Release benchmarks/HttpCheckBench/HttpCheckBench.csproj -v q -nologo >/dev/null
  if ! scripts/postgres.sh status >/dev/null 2>&1; then
    scripts/postgres.sh start >/dev/null
    started_postgres=yes
  fi
  scripts/postgres.sh psql -d postgres -qc "DROP DATABASE IF EXISTS airflow_like" -c "CREATE DATABASE airflow_like" >/dev/null
  scripts/postgres.sh psql -d airflow_like -q >/dev/null <<'SQL'
CREATE TABLE dag (dag_id text PRIMARY KEY, owner text NOT NULL, is_paused boolean NOT NULL);
INSERT INTO dag SELECT 'dag_' || lpad(g::text, 4, '0'), 'airflow-user-' || (g % 10), g % 3 = 0 FROM generate_series(1, 200) AS g;
CREATE TABLE revoked_token (jti text PRIMARY KEY, exp timestamptz NOT NULL);
SQL
  dotnet "$TOOL" delay-proxy $((REGISTRY_PG_PORT + 1)) "$REGISTRY_PG_PORT" "$DB_DELAY_MS" >"$WORK/proxy.log" 2>&1 &
  proxy_pid=$!
  export DATABASE_URL="postgresql+psycopg2://postgres@127.0.0.1:$((REGISTRY_PG_PORT + 1))/airflow_like"
  export JWT_KEY
  JWT_KEY="$(sed -n 's/.*"SigningKey": *"\([^"]*\)".*/\1/p' src/Api/Revocation.Api/appsettings.Development.json)"
  [ -n "$JWT_KEY" ] || die "no Jwt:SigningKey in src/Api/Revocation.Api/appsettings.Development.json"
  log "starting the registry (1 silo, 1 API node)"
  scripts/cluster.sh up --silos 1 --apis 1 >"$WORK/cluster.log" 2>&1 || die "the registry did not start (see $WORK/cluster.log)"
}

start_nginx() { # check (gateway: auth_request to the registry), app processes
  stop_nginx
  local servers="" i
  for ((i = 0; i < $2; i++)); do servers+="server 127.0.0.1:$((APP_PORT + i)); "; done
  if [ "$1" = gateway ]; then
    printf '%s\n' "auth_request /_registry_check;" \
      "auth_request_set \$auth_subject \$upstream_http_x_auth_subject;" \
      "proxy_set_header X-Auth-Subject \$auth_subject;" >"$WORK/nginx/check.conf"
  else
    : >"$WORK/nginx/check.conf"
  fi
  sed -e "s/@NGINX_PORT@/$NGINX_PORT/g" -e "s/@API_PORT@/$API_PORT/g" -e "s|@WORK@|$WORK/nginx|g" \
    -e "s/@APP_SERVERS@/$servers/" -e "s/@LOGOUT_UPSTREAM@/$([ "$1" = gateway ] && echo registry || echo app)/" \
    benchmarks/airflow/nginx.conf >"$WORK/nginx/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g "daemon off; pid $WORK/nginx/nginx.pid;" &
  nginx_pid=$!
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/nginx-health" && return 0; sleep 0.1; done
  die "nginx did not start (see $WORK/nginx/error.log)"
}

stop_nginx() { [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""; }; }

# Processes of the app, one uvicorn worker each on ports APP_PORT.., behind nginx (round robin):
# "several workers" the way they are deployed behind a load balancer, each with its own pool and
# its own cache.
start_app() { # check, processes, pool size, max overflow, seconds the check's query takes
  stop_app
  local i port
  for ((i = 0; i < $2; i++)); do
    port=$((APP_PORT + i))
    REVOCATION_CHECK=$1 POOL_SIZE=$3 MAX_OVERFLOW=$4 POOL_TIMEOUT=30 CHECK_QUERY_SECONDS=$5 \
      "$PYTHON" -m uvicorn app:app --app-dir benchmarks/airflow --host 127.0.0.1 --port $port \
      --no-access-log --log-level warning >>"$WORK/app.log" 2>&1 &
    app_pids+=($!)
  done
  for ((i = 0; i < $2; i++)); do
    port=$((APP_PORT + i))
    for _ in $(seq 1 100); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v2/dags")" = 401 ] && continue 2
      sleep 0.1
    done
    die "the app on port $port did not start (see $WORK/app.log)"
  done
  start_nginx "$1" "$2"
}

drive() { "$PYTHON" benchmarks/airflow/drive.py "$@"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

. scripts/lib/cpu-ticks.sh

# CPU ticks so far: the app's processes, nginx (and its worker), the registry (API node and silo),
# PostgreSQL (every backend), the delaying proxy, the whole machine.
cpu_ticks() {
  local app=0 pid
  for pid in "${app_pids[@]}"; do app=$((app + $(proc_ticks "$pid"))); done
  echo "$app $(tree_ticks "$nginx_pid") $(($(proc_ticks "$(scripts/cluster.sh pid api-0)") + $(proc_ticks "$(scripts/cluster.sh pid silo-0)"))) $(tree_ticks "$(head -n 1 "$REGISTRY_PG_DIR/data/postmaster.pid")") $(proc_ticks "$proxy_pid") $(machine_ticks)"
}

# Each level of a row first runs WARM_SECONDS unmeasured at its concurrency: the registry's API node
# compiles and tiers up the forward-auth path under its first thousands of requests (its first
# measured level ran at 0.78x the next one when it came cold), and every row is measured warm.
WARM_SECONDS=5
[ $SMOKE = yes ] && WARM_SECONDS=1

# CPU per request is CPU per second over the readings' window divided by wrk's requests/s: the
# window also holds wrk's start and the warm-up's last requests, which wrk's own count does not.
rps() { # url, token, connections -> "rps p99_ms non2xx" and CPU µs per request: "app nginx registry postgres proxy other"
  local out before after started ended
  wrk -t2 -c"$3" -d"${WARM_SECONDS}s" --timeout 35s -H "Authorization: Bearer $2" "$1" >/dev/null 2>&1
  before=$(cpu_ticks) started=$(date +%s.%N)
  out="$(wrk -t2 -c"$3" -d"${RPS_SECONDS}s" --timeout 35s --latency -H "Authorization: Bearer $2" "$1" 2>&1)"
  after=$(cpu_ticks) ended=$(date +%s.%N)
  echo "$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out") $(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.1f", v }' <<<"$out") $(awk '/Non-2xx/ { print $NF }' <<<"$out" | grep . || echo 0)" \
    "$(awk -v rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")" -v seconds="$(awk -v s="$started" -v e="$ended" 'BEGIN { print e - s }')" \
      -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN {
      requests = rps * seconds
      n = split(before, b, " "); split(after, a, " "); us = 1000000 / hz / (requests > 0 ? requests : 1); known = 0
      for (i = 1; i < n; i++) { v = (a[i] - b[i]) * us; known += v; printf "%.0f ", v }
      printf "%.0f", (a[n] - b[n]) * us - known }')"
}

row() { # label, check, workers, pool, overflow, url, logout url
  local label=$1 url=$6 logout=$7 burst stale r64 r256
  log "row: $label"
  start_app "$2" "$3" "$4" "$5" "$LOADED_QUERY_SECONDS"
  burst="$(WORKERS=$3 drive burst "$url" "$(drive mint airflow-user-1)" $([ $SMOKE = yes ] && echo "10 5" || echo "60 30"))"
  log "$label, database under load: burst $burst"
  start_app "$2" "$3" "$4" "$5" 0
  stale="$(WORKERS=$3 drive stale "$url" "$logout" "$(drive mint airflow-user-2)")"
  log "$label: stale probe $stale"
  r64="$(rps "$url" "$(drive mint airflow-user-3)" 64)"
  r256="$(rps "$url" "$(drive mint airflow-user-4)" 256)"
  log "$label: req/s, p99 ms, non-2xx at 64 / 256: $r64 / $r256"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$burst" "$stale" "$r64" "$r256" >>"$WORK/out/rows.tsv"
}

report() { # file
  local label burst stale r64 r256 rps64 p64 bad64 rps256 p256 bad256 app64 nginx64 registry64 pg64 proxy64 other64 app256 nginx256 registry256 pg256 proxy256 other256
  {
    echo "# Airflow's revoked-token failure, reproduced and fixed at the gateway"
    echo
    [ $SMOKE = no ] || { echo "**Smoke run: a few requests per step, numbers are not meaningful.**"; echo; }
    echo "\`scripts/bench-airflow.sh\` on $(nproc) cores, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d)."
    echo "The app: benchmarks/airflow/app.py (FastAPI, uvicorn, SQLAlchemy's QueuePool, psycopg2: Debian's packages);"
    echo "the registry: 1 silo and 1 API node on the same machine, nginx \`auth_request\` to its forward-auth endpoint."
    echo
    echo "## The report's burst, the database under load"
    echo
    echo "60 requests at concurrency 30, each on a new connection, one user's token (asked once on each process first: the"
    echo "report's TTL row was measured warm); the check's query takes"
    echo "${LOADED_QUERY_SECONDS} s in the database (pg_sleep), as the report's numbers imply. Rows in italics are the report's own."
    echo
    echo "| row | wall | success | pool timeouts | p50 | p95 | p99 |"
    echo "|---|---|---|---|---|---|---|"
    echo "| *report: stock, pool 3 + 2* | *31.0 s* | *88 %* | *7/60* | *15.3 s* | | *30.7 s* |"
    echo "| *report: TTL cache* | *1.04 s* | *100 %* | *0/60* | *0.51 s* | | *0.60 s* |"
    while IFS=$'\t' read -r label burst stale r64 r256; do
      echo "| $label | $(field wall_s "$burst") s | $(field success_pct "$burst") % | $(field pool_timeouts "$burst")/$(field total "$burst") | $(field p50_s "$burst") s | $(field p95_s "$burst") s | $(field p99_s "$burst") s |"
    done <"$WORK/out/rows.tsv"
    echo
    echo "## After a logout, and under load, the database ${DB_DELAY_MS} ms away"
    echo
    echo "Stale probe: the token warmed on every worker ($WARM requests on new connections), logged out, then asked"
    echo "$PROBES times; each 200 after the logout returned is a stale accept. Throughput: wrk, one token, $RPS_SECONDS s per level after $WARM_SECONDS s unmeasured."
    echo
    echo "| row | stale accepts | req/s at 64 | p99 at 64 | req/s at 256 | p99 at 256 |"
    echo "|---|---|---|---|---|---|"
    while IFS=$'\t' read -r label burst stale r64 r256; do
      read -r rps64 p64 bad64 _ <<<"$r64"
      read -r rps256 p256 bad256 _ <<<"$r256"
      echo "| $label | $(field stale "$stale")/$(field probes "$stale") (answered by $(field stale_workers "$stale") of $(field workers_warmed "$stale") warmed workers) | $rps64$([ "$bad64" = 0 ] || echo " ($bad64 non-2xx)") | $p64 ms | $rps256$([ "$bad256" = 0 ] || echo " ($bad256 non-2xx)") | $p256 ms |"
    done <"$WORK/out/rows.tsv"
    echo
    echo "CPU per request by process during those levels, µs at 64 / 256 (/proc; \"other\": wrk and the rest of the machine;"
    echo "the registry runs in every row, idle in the first three):"
    echo
    echo "| row | app | nginx | registry (API node + silo) | PostgreSQL | delaying proxy | other | all |"
    echo "|---|---|---|---|---|---|---|---|"
    while IFS=$'\t' read -r label burst stale r64 r256; do
      read -r _ _ _ app64 nginx64 registry64 pg64 proxy64 other64 <<<"$r64"
      read -r _ _ _ app256 nginx256 registry256 pg256 proxy256 other256 <<<"$r256"
      echo "| $label | $app64 / $app256 | $nginx64 / $nginx256 | $registry64 / $registry256 | $pg64 / $pg256 | $proxy64 / $proxy256 | $other64 / $other256 | $((app64 + nginx64 + registry64 + pg64 + proxy64 + other64)) / $((app256 + nginx256 + registry256 + pg256 + proxy256 + other256)) |"
    done <"$WORK/out/rows.tsv"
  } >"$1"
}

started=$SECONDS
prepare
URL="http://127.0.0.1:$NGINX_PORT/api/v2/dags"
LOGOUT="http://127.0.0.1:$NGINX_PORT/auth/logout"
row "stock, pool 3 + 2 (the report's), 1 process" stock 1 3 2 "$URL" "$LOGOUT"
row "stock, pool 5 + 10 (Airflow's default), 1 process" stock 1 5 10 "$URL" "$LOGOUT"
row "TTL cache 60 s, pool 3 + 2, 4 processes" ttl 4 3 2 "$URL" "$LOGOUT"
row "registry at nginx (auth_request), 4 processes" gateway 4 3 2 "$URL" "$LOGOUT"
file=benchmarks/results-airflow.md
[ $SMOKE = no ] || file="$WORK/out/results-airflow.md"
report "$file"
echo "bench-airflow: done in $((SECONDS - started)) s; wrote $file"
