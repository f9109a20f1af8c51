#!/usr/bin/env bash
# scripts/compose-e2e.sh — runs docker-compose.yml + docker-compose.demo.yml for real with podman
# and podman-compose, and takes everything down again (also when a step fails):
#   1. engine and base images: scripts/container-engine.sh, scripts/container-base-images.sh
#   2. build both images from their Dockerfiles (podman-compose build)
#   3. start postgres → migrate (must exit 0) → one silo → api-a and api-b, each once the one
#      before is healthy (the order docker-compose.yml's depends_on conditions give)
#   4. through the ports published on 127.0.0.1: a token from api-a, /me 200 on both nodes,
#      logout on api-a, /me on api-b 401 (revoked)
#   5. scale to 3 silos; each must be healthy and Active in the membership table
#   6. down (API nodes, then silos, then postgres): containers, network, volume, the images it built (the base
#      images stay, as a cache; REGISTRY_E2E_KEEP_BASE_IMAGES=no removes them too)
# Last line: `compose e2e: passed — base images N s, build N s, start-up to healthy N s, scale-out to joined N s, down N s`
# or `compose e2e: FAILED — <step>` (exit 1), after the containers' logs.
#
# podman-compose 1.0.3 (Debian 12) needs workarounds, all in this script and its helper: it leaves
# `${VAR:-}` unexpanded, so docker-compose v1 renders the files first (`config`); it ignores
# depends_on conditions, so the script starts the services in order; it ignores `--scale` and
# mishandles exec-form health checks of a second replica (scripts/podman-compose-file.py edits
# the rendered file); it ignores stop_grace_period (down stops with a 1 s timeout), so the script
# stops the containers itself first, with the silos' 40 s. Podman runs health checks only on demand
# here (no systemd for its timers): the script runs them (`podman healthcheck run`).
# Ports: REGISTRY_E2E_API_A_PORT / REGISTRY_E2E_API_B_PORT (28081 / 28082), on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

project="registry-e2e-$$"
port_a="${REGISTRY_E2E_API_A_PORT:-28081}" port_b="${REGISTRY_E2E_API_B_PORT:-28082}"
work="$(mktemp -d "${TMPDIR:-/tmp}/compose-e2e.XXXXXX")"
rendered="$work/compose.yml"
compose=(podman-compose -p "$project" -f "$rendered")
step="setting up the engine"
log() { echo "compose-e2e: $*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

scripts/container-engine.sh
for port in "$port_a" "$port_b"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port on 127.0.0.1 is in use (REGISTRY_E2E_API_A_PORT / _B_PORT choose others)"; exit 1
  fi
done

down_done=no
take_down() {
  [ "$down_done" = yes ] && return 0
  down_done=yes
  # podman-compose 1.0.3's down stops every container with a 1 s timeout; first stop them as
  # compose does, dependants before what they depend on (a silo that leaves the cluster still
  # writes to the database), with the compose file's stop_grace_period (silos: 40 s).
  local services running
  for services in "api-a api-b" silo postgres; do
    running="$(for s in $services; do podman ps -q --filter "label=io.podman.compose.project=$project" --filter "label=com.docker.compose.service=$s"; done)"
    [ -z "$running" ] || podman stop -t 40 $running >/dev/null 2>&1 || true
  done
  [ -f "$rendered" ] && "${compose[@]}" down -v >>"$work/compose.log" 2>&1 || true
  # podman-compose 1.0.3 leaves the network behind.
  podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  podman volume rm -f "${project}_registry-data" >/dev/null 2>&1 || true
  t_gone=$(now)
  local id
  if [ -n "${images_before:-}" ]; then
    for id in $(podman images -a -q --no-trunc | sort -u | comm -13 <(printf '%s\n' "$images_before") -); do
      podman rmi -f "$id" >/dev/null 2>&1 || true
    done
  fi
  if [ "${REGISTRY_E2E_KEEP_BASE_IMAGES:-yes}" = no ]; then
    podman rmi -f $(podman images -q --filter reference='localhost/registry-standin/*') >/dev/null 2>&1 || true
  fi
}
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' 2>/dev/null); do
      echo "--- $c (last 15 lines)"; podman logs --tail 15 "$c" 2>&1 || true
    done
    [ -f "$work/compose.log" ] && { echo "--- podman-compose (last 15 lines)"; tail -n 15 "$work/compose.log"; }
  fi
  take_down
  rm -rf "$work"
  [ "$status" -eq 0 ] || echo "compose e2e: FAILED — $step"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# Waits until the compose health check of every container of SERVICE passes (TIMEOUT seconds).
wait_healthy() {
  local service="$1" timeout="$2" deadline=$((SECONDS + $2)) c pending
  while :; do
    pending=0
    for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --filter "label=com.docker.compose.service=$service" --format '{{.Names}}'); do
      podman healthcheck run "$c" >/dev/null 2>&1 || pending=$((pending + 1))
    done
    [ "$pending" -eq 0 ] && return 0
    [ $SECONDS -lt $deadline ] || { log "$service: $pending container(s) not healthy after ${timeout} s"; return 1; }
    sleep 1
  done
}

step="making the base images"
t_base0=$(now)
base_images="$(scripts/container-base-images.sh)"
eval "$base_images"
# Images that exist now stay; whatever appears after this (the two images and their build
# stages) is removed by take_down.
images_before="$(podman images -a -q --no-trunc | sort -u)"
log "base images ready in $(secs "$t_base0" "$(now)") s"
step="rendering the compose files"
# The cluster's certificates (mutual TLS), readable by the containers' non-root user.
export REGISTRY_TLS_DIR="$work/tls"
scripts/cluster-certs.sh "$REGISTRY_TLS_DIR" >>"$work/compose.log" 2>&1
chmod a+r "$REGISTRY_TLS_DIR"/*
export REGISTRY_SDK_IMAGE REGISTRY_RUNTIME_IMAGE REGISTRY_POSTGRES_IMAGE
export REGISTRY_API_A_PORT="$port_a" REGISTRY_API_B_PORT="$port_b" REGISTRY_CLUSTER_ID="$project"
docker-compose -p "$project" -f docker-compose.yml -f docker-compose.demo.yml config >"$rendered"
scripts/podman-compose-file.py "$rendered" health-strings

step="building the images"
t0=$(now)
# HEALTHCHECK is kept only in Docker's image format (podman's default is OCI).
BUILDAH_FORMAT=docker "${compose[@]}" build >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
t_build=$(now)
log "images built in $(secs "$t0" "$t_build") s"

step="starting postgres"
"${compose[@]}" up -d --no-deps postgres >>"$work/compose.log" 2>&1
wait_healthy postgres 60
step="running migrate"
"${compose[@]}" up -d --no-deps migrate >>"$work/compose.log" 2>&1
migrate_status="$(podman wait "${project}_migrate_1")"
[ "$migrate_status" = 0 ] || { log "migrate exited with status $migrate_status"; exit 1; }
step="starting the silo"
"${compose[@]}" up -d --no-deps silo >>"$work/compose.log" 2>&1
wait_healthy silo 120
step="starting the API nodes"
"${compose[@]}" up -d --no-deps api-a api-b >>"$work/compose.log" 2>&1
wait_healthy api-a 90
wait_healthy api-b 90
t_up=$(now)
log "postgres, migrate, 1 silo, 2 API nodes healthy $(secs "$t_build" "$t_up") s after the first start"

step="end-to-end flow through 127.0.0.1:$port_a and :$port_b"
a="http://127.0.0.1:$port_a" b="http://127.0.0.1:$port_b"
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect() { # expect WHAT WANTED GOT
  [ "$2" = "$3" ] || { log "$1: expected $2, got $3"; exit 1; }
  log "$1: $3"
}
token="$(curl -fsS -X POST "$a/auth/token" -H 'content-type: application/json' -d '{"sub":"compose-e2e","scope":"read"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
auth=(-H "authorization: Bearer $token")
expect "GET /me on api-a" 200 "$(status "${auth[@]}" "$a/me")"
expect "GET /me on api-b" 200 "$(status "${auth[@]}" "$b/me")"
expect "POST /auth/logout on api-a" 204 "$(status -X POST "${auth[@]}" "$a/auth/logout")"
expect "GET /me on api-b after the logout" 401 "$(status "${auth[@]}" "$b/me")"
curl -s -D - -o /dev/null "${auth[@]}" "$b/me" | grep -qi 'www-authenticate:.*revoked' \
  || { log "api-b's 401 does not say the token was revoked"; exit 1; }

step="scaling out to 3 silos"
active_silos() {
  podman exec "${project}_postgres_1" psql -U registry -d registry -tAc \
    "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '$project' AND Status = 3"
}
scripts/podman-compose-file.py "$rendered" replicas silo 3
t_scale=$(now)
"${compose[@]}" up -d --no-deps silo >>"$work/compose.log" 2>&1
wait_healthy silo 120
deadline=$((SECONDS + 60))
until [ "$(active_silos)" = 3 ]; do
  [ $SECONDS -lt $deadline ] || { log "membership table: $(active_silos) active silos, expected 3"; exit 1; }
  sleep 1
done
t_joined=$(now)
log "3 silos healthy and Active in the membership table $(secs "$t_scale" "$t_joined") s after the scale-out"
expect "GET /me on api-a with the revoked token, 3 silos" 401 "$(status "${auth[@]}" "$a/me")"

step="taking it down"
t_down=$(now)
take_down
left="$(podman ps -a -q --filter "label=io.podman.compose.project=$project" | wc -l)"
[ "$left" = 0 ] || { log "$left containers left after down"; exit 1; }
step="done"
echo "compose e2e: passed — base images $(secs "$t_base0" "$t0") s, build $(secs "$t0" "$t_build") s, start-up to healthy $(secs "$t_build" "$t_up") s," \
  "scale-out to joined $(secs "$t_scale" "$t_joined") s, down $(secs "$t_down" "$t_gone") s"
