#!/usr/bin/env bash
# The registry at the gateway (issue 25): nginx in front of a backend, four ways, side by side in
# one run (benchmarks/gateway/nginx.conf):
#   floor                   nginx → backend, no authorization
#   registry                nginx auth_request → the API node's forward-auth endpoint → backend
#   introspection           nginx auth_request → njs → RFC 7662 introspection on the same API node
#                           (the registry's own introspection, answered from the same near cache)
#   provider-introspection  nginx auth_request → njs → RFC 7662 introspection at a real OpenID
#                           Provider (panva's oidc-provider 8, scripts/oidc-provider.sh, one Node
#                           process): what a gateway without the registry does on every request
# The tokens come from that provider (client_credentials grant, one client): for each i an RS256
# at+jwt (floor, registry and introspection rows; the API node trusts the provider as an issuer
# through its discovery and JWKS, Jwt:Issuers:0:Authority) and an opaque access token (the
# provider row: oidc-provider introspects only tokens it stores, and it does not store its JWT
# access tokens; benchmarks/gateway/provider-tokens.mjs mints both). Token i, i % 100 == 0, is
# revoked in both systems (at the registry: POST /auth/logout with the JWT; at the provider: RFC
# 7009 revocation of the opaque one), so its 401 is expected in every authorizing row.
# At each level (BENCH_LEVELS, "64 256"): requests/s, p50/p99, unexpected statuses, and CPU per
# request by process (nginx, API node, silo, PostgreSQL, the provider, the rest of the machine).
# Every request carries a different token of BENCH_TOKENS (10 000).
# BENCH_PROVIDER=no: the first three rows only, with the registry's development issuer's HS256
# tokens (no Node needed), as before the provider row.
#
#   scripts/bench-gateway.sh            writes benchmarks/results-gateway.md (also: scripts/bench.sh gateway)
#   scripts/bench-gateway.sh --smoke    seconds per step; report under $BENCH_DIR
# A run with any of BENCH_SECONDS, BENCH_WARMUP, BENCH_STACK_WARMUP, BENCH_LEVELS, BENCH_TOKENS set, or with
# BENCH_PROVIDER=no, writes its report under $BENCH_DIR/out too; BENCH_REPORT=FILE names the file.
#
# Settings: BENCH_SECONDS (15) per level, BENCH_WARMUP (5) before each row, BENCH_STACK_WARMUP (10)
# per authorizing row once before any row is measured, BENCH_DIR (/tmp/registry-bench-gateway).
# Ports: REGISTRY_BASE_PORT (29000) for the registry, REGISTRY_PG_PORT (29432), nginx 29500-29504,
# the provider OIDC_PROVIDER_PORT (29600).
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=no
[ "${1:-}" = --smoke ] && SMOKE=yes
CUSTOM=no # a report of other settings than the defaults does not replace benchmarks/results-gateway.md
[ -z "${BENCH_SECONDS:-}${BENCH_WARMUP:-}${BENCH_STACK_WARMUP:-}${BENCH_LEVELS:-}${BENCH_TOKENS:-}" ] && [ "${BENCH_PROVIDER:-yes}" = yes ] || CUSTOM=yes
if [ $SMOKE = yes ]; then
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-1}"; WARMUP="${BENCH_WARMUP:-1}"; LEVELS="${BENCH_LEVELS:-64}"; TOKENS="${BENCH_TOKENS:-1000}"
else
  SECONDS_PER_LEVEL="${BENCH_SECONDS:-15}"; WARMUP="${BENCH_WARMUP:-5}"; LEVELS="${BENCH_LEVELS:-64 256}"; TOKENS="${BENCH_TOKENS:-10000}"
fi
REVOKE_EVERY=100
STACK_WARMUP="${BENCH_STACK_WARMUP:-$([ $SMOKE = yes ] && echo 1 || echo 10)}"
PROVIDER="${BENCH_PROVIDER:-yes}"
[ "$PROVIDER" = yes ] || [ "$PROVIDER" = no ] || { echo "bench-gateway.sh: BENCH_PROVIDER must be yes or no" >&2; exit 2; }
WORK="${BENCH_DIR:-/tmp/registry-bench-gateway}"
export REGISTRY_BASE_PORT="${REGISTRY_BASE_PORT:-29000}"
export REGISTRY_PG_PORT="${REGISTRY_PG_PORT:-29432}"
export REGISTRY_PG_DIR="$WORK/pg"
export REGISTRY_CLUSTER_DIR="$WORK/cluster"
export REGISTRY_CONFIGURATION=Release
API="http://127.0.0.1:$((REGISTRY_BASE_PORT + 200))"
BACKEND_PORT=29500 FLOOR_PORT=29501 REGISTRY_PORT=29502 INTROSPECTION_PORT=29503 PROVIDER_ROW_PORT=29504
PROVIDER_PORT="${OIDC_PROVIDER_PORT:-29600}"
PROVIDER_URL="http://127.0.0.1:$PROVIDER_PORT"
PROVIDER_RESOURCE=urn:registry-bench:api          # its access tokens: RS256 at+jwt, aud = this
PROVIDER_OPAQUE_RESOURCE=urn:registry-bench:opaque # its access tokens: opaque, stored at the provider
TOOL="benchmarks/HttpCheckBench/bin/Release/net10.0/HttpCheckBench.dll"
REPORT_TOOL="benchmarks/BenchReport/bin/Release/net10.0/BenchReport.dll"
NJS_MODULE=/usr/lib/nginx/modules/ngx_http_js_module.so

log() { echo "bench-gateway.sh: $*" >&2; }
die() { log "$*"; exit 1; }

nginx_pid="" started_postgres=no provider_pid=""
cleanup() {
  [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; }
  scripts/cluster.sh down >/dev/null 2>&1 || true
  [ -z "$provider_pid" ] || scripts/oidc-provider.sh stop "$WORK/provider" >/dev/null 2>&1 || true
  [ "$started_postgres" = no ] || scripts/postgres.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

prepare() {
  scripts/ensure-package.sh nginx nginx
  scripts/ensure-package.sh wrk wrk
  if [ ! -f "$NJS_MODULE" ]; then
    log "installing Debian's libnginx-mod-http-js (njs, for the introspection row)"
    scripts/apt-install.sh libnginx-mod-http-js
    [ -f "$NJS_MODULE" ] || die "no $NJS_MODULE after installing libnginx-mod-http-js"
  fi
  rm -rf "$WORK" && mkdir -p "$WORK/out" "$WORK/nginx"
  [ "$PROVIDER" = no ] || scripts/oidc-provider.sh install >/dev/null
  log "building (Release)"
  dotnet build -c Release benchmarks/HttpCheckBench/HttpCheckBench.csproj -v q -nologo >/dev/null
  dotnet build -c Release benchmarks/BenchReport/BenchReport.csproj -v q -nologo >/dev/null
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
  # The introspection row is one client asking as fast as it can: its rate limit is lifted here.
  local api_settings="OAuth__RateLimit__ClientPermitLimit=1000000"
  if [ "$PROVIDER" = yes ]; then
    # The provider's one client is the registry's development OAuth client (same id and secret):
    # its tokens name it (client_id), and the registry introspects only a client's own tokens.
    log "starting the OpenID Provider (oidc-provider, $PROVIDER_URL)"
    ! curl -s -o /dev/null --max-time 2 "$PROVIDER_URL/" || die "something already answers at $PROVIDER_URL (OIDC_PROVIDER_PORT picks another port)"
    OIDC_PROVIDER_PORT=$PROVIDER_PORT OIDC_CLIENT_ID="$client" OIDC_CLIENT_SECRET="$secret" \
      OIDC_REDIRECT_URI=http://127.0.0.1:9/callback OIDC_BACKCHANNEL_LOGOUT_URI=http://127.0.0.1:9/backchannel-logout \
      OIDC_RESOURCE=$PROVIDER_RESOURCE OIDC_OPAQUE_RESOURCE=$PROVIDER_OPAQUE_RESOURCE OIDC_ACCESS_TOKEN_TTL=7200 \
      OIDC_CLIENT_CREDENTIALS=1 OIDC_INTROSPECTION=1 OIDC_STORE=map \
      scripts/oidc-provider.sh start "$WORK/provider" >/dev/null || die "the provider did not start (see $WORK/provider/provider.log)"
    provider_pid=$(cat "$WORK/provider/provider.pid")
    api_settings="$api_settings Jwt__Issuers__0__Issuer=$PROVIDER_URL Jwt__Issuers__0__Audience=$PROVIDER_RESOURCE"
    api_settings="$api_settings Jwt__Issuers__0__Authority=$PROVIDER_URL Jwt__Issuers__0__RequireHttpsMetadata=false Jwt__Issuers__0__RequireAccessTokenType=true"
  fi
  log "starting the registry (1 silo, 1 API node)"
  REGISTRY_API_0_SETTINGS="$api_settings" \
    scripts/cluster.sh up --silos 1 --apis 1 >"$WORK/cluster.log" 2>&1 || die "the registry did not start (see $WORK/cluster.log)"
  sed -e "s|@WORK@|$WORK/nginx|g" -e "s|@JS@|$PWD/benchmarks/gateway/introspection.js|g" \
    -e "s/@BACKEND_PORT@/$BACKEND_PORT/g" -e "s/@FLOOR_PORT@/$FLOOR_PORT/g" -e "s/@REGISTRY_PORT@/$REGISTRY_PORT/g" \
    -e "s/@INTROSPECTION_PORT@/$INTROSPECTION_PORT/g" -e "s/@API_PORT@/$((REGISTRY_BASE_PORT + 200))/g" \
    -e "s/@PROVIDER_ROW_PORT@/$PROVIDER_ROW_PORT/g" -e "s/@PROVIDER_PORT@/$PROVIDER_PORT/g" \
    -e "s|@CLIENT_BASIC@|$(printf '%s:%s' "$client" "$secret" | base64 -w0)|g" \
    benchmarks/gateway/nginx.conf >"$WORK/nginx/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g "daemon off; pid $WORK/nginx/nginx.pid;" &
  nginx_pid=$!
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/" || die "nginx did not start (see $WORK/nginx/error.log)"

  if [ "$PROVIDER" = yes ]; then
    log "minting $TOKENS RS256 JWT and $TOKENS opaque access tokens at the provider, revoking every ${REVOKE_EVERY}th's opaque one there"
    local t0=$SECONDS
    MINTED=$(node benchmarks/gateway/provider-tokens.mjs "$PROVIDER_URL" "$client" "$secret" $PROVIDER_RESOURCE $PROVIDER_OPAQUE_RESOURCE \
      "$TOKENS" "$REVOKE_EVERY" "$WORK/tokens.txt" "$WORK/provider-tokens.txt" "$WORK/revoked.txt") \
      || die "minting at the provider failed (see $WORK/provider/provider.log)"
    log "$MINTED; $((SECONDS - t0)) s in all; revoking every ${REVOKE_EVERY}th JWT at the registry"
  else
    log "minting $TOKENS tokens, revoking every ${REVOKE_EVERY}th through the registry"
    dotnet "$TOOL" mint "gw$(date +%s)" "$TOKENS" "$REVOKE_EVERY" "$WORK/tokens.txt" "$WORK/revoked.txt" >/dev/null
  fi
  log "$(dotnet "$TOOL" revoke "$API" "$WORK/revoked.txt")"
}

. scripts/lib/cpu-ticks.sh
cpu_ticks() { # nginx, API node, silo, PostgreSQL, provider, machine
  echo "$(tree_ticks "$nginx_pid") $(proc_ticks "$(scripts/cluster.sh pid api-0)") $(proc_ticks "$(scripts/cluster.sh pid silo-0)") $(tree_ticks "$(head -n 1 "$REGISTRY_PG_DIR/data/postmaster.pid")") $([ -z "$provider_pid" ] && echo 0 || proc_ticks "$provider_pid") $(machine_ticks)"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

warm() { # port, tokens file, seconds: load, not measured
  wrk -t 2 -c 64 -d "${3}s" --timeout 10s -s benchmarks/wrk/me.lua "http://127.0.0.1:$1" -- "$2" $REVOKE_EVERY /api/items >/dev/null
}

measure() { # row, port, tokens file
  local row=$1 url="http://127.0.0.1:$2" tokens=$3 level out before after
  warm "$2" "$tokens" "$WARMUP"
  for level in $LEVELS; do
    before=$(cpu_ticks)
    out=$(wrk -t 2 -c "$level" -d "${SECONDS_PER_LEVEL}s" --timeout 10s -s benchmarks/wrk/me.lua "$url" -- "$tokens" $REVOKE_EVERY /api/items | grep '^RESULT')
    after=$(cpu_ticks)
    awk -v OFS='\t' -v row="$row" -v c="$level" -v out="$out" -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" -v gated="$([ "$row" = floor ] && echo 0 || echo 1)" '
      function f(name,   m) { return match(out, name "=[^ ]*") ? substr(out, RSTART + length(name) + 1, RLENGTH - length(name) - 1) + 0 : 0 }
      BEGIN {
        n = f("requests"); s = f("seconds"); split(b, x, " "); split(a, y, " "); k = n > 0 ? 1000000 / hz / n : 0 # µs of CPU per request
        nginx = (y[1] - x[1]) * k; api = (y[2] - x[2]) * k; silo = (y[3] - x[3]) * k; pg = (y[4] - x[4]) * k; idp = (y[5] - x[5]) * k
        rest = (y[6] - x[6]) * k - nginx - api - silo - pg - idp
        # Unexpected: any status but 200, and 401s beyond the revoked tokens sent (none at all on the floor).
        expected401 = gated ? f("revoked_sent") : 0
        unexpected = f("other") + f("errors") + (f("s401") > expected401 ? f("s401") - expected401 : 0)
        print row, c, sprintf("%.0f", n / s), sprintf("%.2f", f("p50_us") / 1000), sprintf("%.2f", f("p99_us") / 1000), unexpected,
          sprintf("%.0f", nginx), sprintf("%.0f", api), sprintf("%.0f", silo), sprintf("%.0f", pg < 0 ? 0 : pg), sprintf("%.0f", idp), sprintf("%.0f", rest < 0 ? 0 : rest),
          f("s401"), f("revoked_sent")
      }' >>"$WORK/out/levels.tsv"
    log "$row c=$level: $(tail -n 1 "$WORK/out/levels.tsv" | cut -f3-)"
  done
}

# The report (tables, ratios, the ≥ 3× target) is written by benchmarks/BenchReport from levels.tsv.
report() { # file
  local provider_version=""
  [ "$PROVIDER" = no ] || provider_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "${OIDC_PROVIDER_HOME:-.run/oidc-provider}/node_modules/oidc-provider/package.json")
  dotnet "$REPORT_TOOL" gateway --work "$WORK" --out "$1" --smoke "$([ $SMOKE = yes ] && echo true || echo false)" \
    --custom "$([ $CUSTOM = yes ] && echo true || echo false)" --provider "$([ "$PROVIDER" = yes ] && echo true || echo false)" \
    --levels "$LEVELS" --seconds "$SECONDS_PER_LEVEL" --warmup "$WARMUP" --tokens "$TOKENS" --revoke-every "$REVOKE_EVERY" \
    --nginx-version "$(nginx -v 2>&1 | sed 's|.*/||')" --provider-version "$provider_version" \
    --node-version "$(node --version 2>/dev/null || true)" --mint-seconds "$(field mint_seconds "$MINTED")"
}

started=$SECONDS
MINTED=""
prepare
# A first warm-up through every authorizing row before any is measured: the row measured first
# after the start would otherwise pay for the processes' warming (JIT tiering, the near cache's
# first fill), which the rows after it do not: with 2 s of it, a short run measured the registry
# row at 0.5–0.6× the requests/s of the same row measured again later, at 2–3× its API-node CPU.
log "warming up every row (${STACK_WARMUP} s each)"
warm $REGISTRY_PORT "$WORK/tokens.txt" "$STACK_WARMUP"
warm $INTROSPECTION_PORT "$WORK/tokens.txt" "$STACK_WARMUP"
[ "$PROVIDER" = no ] || warm $PROVIDER_ROW_PORT "$WORK/provider-tokens.txt" "$STACK_WARMUP"
measure floor $FLOOR_PORT "$WORK/tokens.txt"
measure registry $REGISTRY_PORT "$WORK/tokens.txt"
measure introspection $INTROSPECTION_PORT "$WORK/tokens.txt"
[ "$PROVIDER" = no ] || measure provider-introspection $PROVIDER_ROW_PORT "$WORK/provider-tokens.txt"
bad=$(awk -F'\t' '$6 != 0 || $3 == 0' "$WORK/out/levels.tsv")
file=benchmarks/results-gateway.md
[ $SMOKE = no ] && [ $CUSTOM = no ] || file="$WORK/out/results-gateway.md"
file="${BENCH_REPORT:-$file}"
report "$file"
[ -z "$bad" ] || die "unexpected statuses or no requests (see $file): $bad"
echo "bench-gateway: done in $((SECONDS - started)) s; wrote $file"
