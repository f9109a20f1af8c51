#!/usr/bin/env bash
# The registry at the gateway (issue 25): nginx in front of a backend, three ways, side by side in
# one run (benchmarks/gateway/nginx.conf):
#   floor          nginx → backend, no authorization
#   registry       nginx auth_request → the API node's forward-auth endpoint → backend
#   introspection  nginx auth_request → njs → RFC 7662 introspection on the same API node → backend
# At each level (BENCH_LEVELS, "64 256"): requests/s, p50/p99, unexpected statuses, and CPU per
# request by process (nginx, API node, silo, PostgreSQL, the rest of the machine). Every request
# carries a different token of BENCH_TOKENS (10 000); every 100th is revoked, so its 401 is expected.
#
#   scripts/bench-gateway.sh            writes benchmarks/results-gateway.md (also: scripts/bench.sh gateway)
#   scripts/bench-gateway.sh --smoke    seconds per step; report under $BENCH_DIR
#
# Settings: BENCH_SECONDS (15) per level, BENCH_WARMUP (5), BENCH_DIR (/tmp/registry-bench-gateway).
# Ports: REGISTRY_BASE_PORT (29000) for the registry, REGISTRY_PG_PORT (29432), nginx 29500-29503.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=no
[ "${1:-}" = --smoke ] && SMOKE=yes
if [ $SMOKE = yes ]; then
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-1}"; WARMUP="${BENCH_WARMUP:-1}"; LEVELS="${BENCH_LEVELS:-64}"; TOKENS="${BENCH_TOKENS:-1000}"
else
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-15}"; WARMUP="${BENCH_WARMUP:-5}"; LEVELS="${BENCH_LEVELS:-64 256}"; TOKENS="${BENCH_TOKENS:-10000}"
fi
REVOKE_EVERY=100
WORK="${BENCH_DIR:-/tmp/registry-bench-gateway}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-29000}"
export REGISTRY_PG_PORT="${REGISTRY_PG_PORT:-29432}"
export REGISTRY_PG_DIR="$WORK/pg"
export REGISTRY_CLUSTER_DIR="$WORK/cluster"
export REGISTRY_CONFIGURATION=Release
API="http://127.0.0.1:$((REGISTRY_BASE_PORT + 200))"
BACKEND_PORT=29500 FLOOR_PORT=29501 REGISTRY_PORT=29502 INTROSPECTION_PORT=29503
TOOL="benchmarks/HttpCheckBench/bin/Release/net10.0/HttpCheckBench.dll"
NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so

log() { echo "bench-gateway.sh: $*" >&2; }
die() { log "$*"; exit 1; }

nginx_pid="" started_postgres=no
cleanup() {
  [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; }
  scripts/cluster.sh down >/dev/null 2>&1 || true
  [ "$started_postgres" = no ] || scripts/postgres.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

prepare() {
  scripts/ensure-package.sh nginx nginx
  scripts/ensure-package.sh wrk wrk
  if [ ! -f "$NJS_MODULE" ]; then
    log "installing Debian's libnginx-mod-http-js (njs, for the introspection row)"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libnginx-mod-http-js >&2
    [ -f "$NJS_MODULE" ] || die "no $NJS_MODULE after installing libnginx-mod-http-js"
  fi
  rm -rf "$WORK" && mkdir -p "$WORK/out" "$WORK/nginx"
  log "building (Release)"
  dotnet build -c Release benchmarks/HttpCheckBench/HttpCheckBench.csproj -v q -nologo >/dev/null
  if ! scripts/postgres.sh status >/dev/null 2>&1; then
    scripts/postgres.sh start >/dev/null
    started_postgres=yes
  fi
  export BENCH_SIGNING_KEY
  BENCH_SIGNING_KEY="$(sed -n 's/.*"SigningKey": *"\([^"]*\)".*/\1/p' src/Api/Revocation.Api/appsettings.Development.json)"
  [ -n "$BENCH_SIGNING_KEY" ] || die "no Jwt:SigningKey in src/Api/Revocation.Api/appsettings.Development.json"
  local client secret
  client="$(sed -n 's/.*"ClientId": *"\([^"]*\)".*/\1/p' src/Api/Revocation.Api/appsettings.Development.json)"
  secret="$(sed -n 's/.*"ClientSecret": *"\([^"]*\)".*/\1/p' src/Api/Revocation.Api/appsettings.Development.json)"
  [ -n "$client" ] && [ -n "$secret" ] || die "no OAuth client in src/Api/Revocation.Api/appsettings.Development.json"
  log "starting the registry (1 silo, 1 API node)"
  # The introspection row is one client asking as fast as it can: its rate limit is lifted here.
  REGISTRY_API_0_SETTINGS="OAuth__RateLimit__ClientPermitLimit=1000000" \
    scripts/cluster.sh up --silos 1 --apis 1 >"$WORK/cluster.log" 2>&1 || die "the registry did not start (see $WORK/cluster.log)"
  sed -e "s|@WORK@|$WORK/nginx|g" -e "s|@JS@|$PWD/benchmarks/gateway/introspection.js|g" \
    -e "s/@BACKEND_PORT@/$BACKEND_PORT/g" -e "s/@FLOOR_PORT@/$FLOOR_PORT/g" -e "s/@REGISTRY_PORT@/$REGISTRY_PORT/g" \
    -e "s/@INTROSPECTION_PORT@/$INTROSPECTION_PORT/g" -e "s/@API_PORT@/$((REGISTRY_BASE_PORT + 200))/g" \
    -e "s|@CLIENT_BASIC@|$(printf '%s:%s' "$client" "$secret" | base64 -w0)|g" \
    benchmarks/gateway/nginx.conf >"$WORK/nginx/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g "daemon off; pid $WORK/nginx/nginx.pid;" &
  nginx_pid=$!
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" || die "nginx did not start (see $WORK/nginx/error.log)"

  log "minting $TOKENS tokens, revoking every ${REVOKE_EVERY}th through the registry"
  dotnet "$TOOL" mint "gw$(date +%s)" "$TOKENS" "$REVOKE_EVERY" "$WORK/tokens.txt" "$WORK/revoked.txt" >/dev/null
  log "$(dotnet "$TOOL" revoke "$API" "$WORK/revoked.txt")"
}

proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
tree_ticks() { # pid: the process and its children (nginx's workers, PostgreSQL's backends)
  { cd /proc && cat "$1/stat" $(pgrep -P "$1" | sed 's|$|/stat|') 2>/dev/null || true; } | awk '{ s += $14 + $15 } END { print s + 0 }'
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
cpu_ticks() { # nginx, API node, silo, PostgreSQL, machine
  echo "$(tree_ticks "$nginx_pid") $(proc_ticks "$(scripts/cluster.sh pid api-0)") $(proc_ticks "$(scripts/cluster.sh pid silo-0)") $(tree_ticks "$(head -n 1 "$REGISTRY_PG_DIR/data/postmaster.pid")") $(machine_ticks)"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

measure() { # row, port
  local row=$1 url="http://127.0.0.1:$2" level out before after
  wrk -t 2 -c 64 -d "${WARMUP}s" --timeout 10s -s benchmarks/wrk/me.lua "$url" -- "$WORK/tokens.txt" $REVOKE_EVERY /api/items >/dev/null
  for level in $LEVELS; do
    before=$(cpu_ticks)
    out=$(wrk -t 2 -c "$level" -d "${SECONDS_PER_LEVEL}s" --timeout 10s -s benchmarks/wrk/me.lua "$url" -- "$WORK/tokens.txt" $REVOKE_EVERY /api/items | grep '^RESULT')
    after=$(cpu_ticks)
    awk -v OFS='\t' -v row="$row" -v c="$level" -v out="$out" -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" -v gated="$([ "$row" = floor ] && echo 0 || echo 1)" '
      function f(name,   m) { return match(out, name "=[^ ]*") ? substr(out, RSTART + length(name) + 1, RLENGTH - length(name) - 1) + 0 : 0 }
      BEGIN {
        n = f("requests"); s = f("seconds"); split(b, x, " "); split(a, y, " "); k = n > 0 ? 1000000 / hz / n : 0 # µs of CPU per request
        nginx = (y[1] - x[1]) * k; api = (y[2] - x[2]) * k; silo = (y[3] - x[3]) * k; pg = (y[4] - x[4]) * k
        rest = (y[5] - x[5]) * k - nginx - api - silo - pg
        # Unexpected: any status but 200, and 401s beyond the revoked tokens sent (none at all on the floor).
        expected401 = gated ? f("revoked_sent") : 0
        unexpected = f("other") + f("errors") + (f("s401") > expected401 ? f("s401") - expected401 : 0)
        print row, c, sprintf("%.0f", n / s), sprintf("%.2f", f("p50_us") / 1000), sprintf("%.2f", f("p99_us") / 1000), unexpected,
          sprintf("%.0f", nginx), sprintf("%.0f", api), sprintf("%.0f", silo), sprintf("%.0f", pg < 0 ? 0 : pg), sprintf("%.0f", rest < 0 ? 0 : rest),
          f("s401"), f("revoked_sent")
      }' >>"$WORK/out/levels.tsv"
    log "$row c=$level: $(tail -n 1 "$WORK/out/levels.tsv" | cut -f3-)"
  done
}

value() { awk -F'\t' -v r="$1" -v c="$2" -v col="$3" '$1 == r && $2 == c { print $col }' "$WORK/out/levels.tsv"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
cpu_sum() { awk -F'\t' -v r="$1" -v c="$2" '$1 == r && $2 == c { print $7 + $8 + $9 + $10 + $11 }' "$WORK/out/levels.tsv"; }

report() { # file
  local level
  {
    echo "# The registry at the gateway: nginx auth_request, side by side with the floor and with introspection"
    echo
    [ $SMOKE = no ] || { echo "**Smoke run (\`scripts/bench-gateway.sh --smoke\`): durations of seconds, numbers are not meaningful.**"; echo; }
    echo "\`scripts/bench-gateway.sh\` on $(nproc) cores, commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ);"
    echo "nginx $(nginx -v 2>&1 | sed 's|.*/||'), one worker; the registry: 1 silo, 1 API node (Release, Development settings)."
    echo "wrk, $SECONDS_PER_LEVEL s per level after ${WARMUP} s of warm-up, $TOKENS distinct tokens (every ${REVOKE_EVERY}th revoked: its 401 is expected)."
    echo "CPU in µs per request, from /proc (nginx: master and worker; PostgreSQL: postmaster and backends; rest: the machine's other busy time, wrk included)."
    echo
    echo "| row | connections | requests/s | p50 ms | p99 ms | unexpected | nginx µs | API node µs | silo µs | PostgreSQL µs | rest µs |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' -v OFS=' | ' '{ print "| " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 " |" }' "$WORK/out/levels.tsv"
    echo
    echo "## Targets"
    echo
    for level in $LEVELS; do
      local reg intro floor over
      reg=$(value registry "$level" 3); intro=$(value introspection "$level" 3); floor=$(value floor "$level" 3)
      over=$(awk -v a="$(cpu_sum registry "$level")" -v b="$(cpu_sum floor "$level")" 'BEGIN { printf "%.0f", a - b }')
      echo "- At $level connections: the registry $(ratio "$reg" "$intro")× introspection's requests/s (target ≥ 3×: $(awk -v r="$(ratio "$reg" "$intro")" 'BEGIN { print (r >= 3 ? "met" : "**not met**") }')), $(ratio "$reg" "$floor")× the floor's; it costs $over µs of CPU per request over the floor (nginx's subrequest, the API node's validation and near-cache check, the silo's share)."
    done
  } >"$1"
}

started=$SECONDS
prepare
measure floor $FLOOR_PORT
measure registry $REGISTRY_PORT
measure introspection $INTROSPECTION_PORT
bad=$(awk -F'\t' '$6 != 0 || $3 == 0' "$WORK/out/levels.tsv")
file=benchmarks/results-gateway.md
[ $SMOKE = no ] || file="$WORK/out/results-gateway.md"
report "$file"
[ -z "$bad" ] || die "unexpected statuses or no requests (see $file): $bad"
echo "bench-gateway: done in $((SECONDS - started)) s; wrote $file"
