#!/usr/bin/env bash
# Real gateways in front of a non-.NET backend, for the end-to-end tests and for trying it by hand:
#
#   scripts/gateway.sh start DIR NGINX_REGISTRY CADDY_REGISTRY
#       nginx (auth_request to NGINX_REGISTRY, e.g. 127.0.0.1:21200) and Caddy (forward_auth to
#       CADDY_REGISTRY) in front of one Python backend (FastAPI on uvicorn) that echoes the identity
#       headers it receives; each on a free port of 127.0.0.1. Writes DIR/ports.env
#       (BACKEND_PORT, NGINX_PORT, CADDY_PORT), DIR/pids/*.pid and DIR/logs/*.log.
#   scripts/gateway.sh stop DIR      stops exactly the processes `start` recorded in DIR/pids (PID and
#                                    start time: a later process given the same PID is left alone)
#
# The gateways' configs are generated from deploy/gateways/nginx/registry-forward-auth.conf and
# deploy/gateways/caddy/Caddyfile, changing only their addresses (and failing if one is not found
# exactly once), so the published snippets are what the tests run. nginx runs in the foreground
# with its own prefix, config, pid, logs and temp paths under DIR; nothing is written to /etc or
# /var. Debian's nginx, caddy, python3-fastapi and python3-uvicorn are installed with apt-get when
# missing; a step that fails stops the script (exit non-zero), so no test skips silently.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
PYTHON=/usr/bin/python3   # Debian's, where python3-fastapi and python3-uvicorn install

usage() { echo "usage: $0 start DIR NGINX_REGISTRY CADDY_REGISTRY | stop DIR" >&2; exit 2; }

install_missing() {
  local absent=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || absent+=(nginx)
  command -v caddy >/dev/null 2>&1 || absent+=(caddy)
  "$PYTHON" -c 'import fastapi' >/dev/null 2>&1 || absent+=(python3-fastapi)
  "$PYTHON" -c 'import uvicorn' >/dev/null 2>&1 || absent+=(python3-uvicorn)
  [ "${#absent[@]}" -eq 0 ] && return 0
  echo "gateway.sh: installing Debian's ${absent[*]}" >&2
  # Where systemd runs, Debian also starts the packages' own services; ours run apart from them.
  scripts/apt-install.sh "${absent[@]}"
  "$PYTHON" -c 'import fastapi, uvicorn' || { echo "gateway.sh: $PYTHON cannot import fastapi and uvicorn after installing them" >&2; exit 1; }
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# Three ports the kernel reports free on 127.0.0.1 right now.
free_ports() {
  "$PYTHON" - <<'PY'
import socket
held = [socket.socket() for _ in range(3)]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

# replace FILE OLD NEW: OLD must occur exactly once (a snippet that changed shape fails loudly).
replace() {
  local file="$1" old="$2" new="$3" count
  count="$(grep -cF -- "$old" "$file" || true)"
  [ "$count" = 1 ] || { echo "gateway.sh: '$old' occurs $count times in $file (expected once)" >&2; exit 1; }
  OLD="$old" NEW="$new" "$PYTHON" -c 'import os, sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace(os.environ["OLD"], os.environ["NEW"]))' "$file"
}

wait_for_port() { # NAME PORT PID
  local name="$1" port="$2" pid="$3" deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "gateway.sh: $name exited before listening on 127.0.0.1:$port; its log:" >&2
      tail -n 30 "$DIR/logs/$name.log" >&2 || true
      exit 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { echo "gateway.sh: $name not listening on 127.0.0.1:$port after 30 s" >&2; exit 1; }
    sleep 0.1
  done
}

start_time() { # PID -> its start time in clock ticks since boot (field 22 of /proc/PID/stat); fails if no such process
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the fields after "(comm)", which may itself hold spaces
  # shellcheck disable=SC2086 # split on purpose
  set -- $stat
  echo "${20}"
}

pid_of() { # FILE -> the PID it names if that very process still runs (not a later one given the same PID)
  local pid start
  [ -f "$1" ] && read -r pid start <"$1" && [ -n "${start:-}" ] && [ "$(start_time "$pid")" = "$start" ] && echo "$pid"
}

start_process() { # NAME COMMAND...: in the background, its output in logs/NAME.log, "PID START" in pids/NAME.pid
  local name="$1"; shift
  "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$! $(start_time $!)" >"$DIR/pids/$name.pid"
}

start() {
  # A start that fails stops whatever it had started.
  trap 'code=$?; [ "$code" -eq 0 ] || stop; exit "$code"' EXIT
  install_missing
  mkdir -p "$DIR/pids" "$DIR/logs" "$DIR/nginx/temp" "$DIR/caddy/home"
  read -r backend_port nginx_port caddy_port < <(free_ports)

  cp deploy/gateways/nginx/registry-forward-auth.conf "$DIR/nginx/registry-forward-auth.conf"
  replace "$DIR/nginx/registry-forward-auth.conf" "server 127.0.0.1:21200;" "server $NGINX_REGISTRY;"
  replace "$DIR/nginx/registry-forward-auth.conf" "server 127.0.0.1:8000;" "server 127.0.0.1:$backend_port;"
  replace "$DIR/nginx/registry-forward-auth.conf" "listen 127.0.0.1:8080;" "listen 127.0.0.1:$nginx_port;"
  local user=""
  # The workers of a master running as root would switch to nobody, who cannot use DIR's temp paths.
  [ "$(id -u)" -eq 0 ] && user="user root root;"
  cat >"$DIR/nginx/nginx.conf" <<CONF
# Generated by scripts/gateway.sh: everything under $DIR; the server block is the published snippet.
$user
daemon off;
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/logs/nginx.log warn;
events { worker_connections 256; }
http {
    access_log $DIR/logs/nginx-access.log;
    client_body_temp_path $DIR/nginx/temp/body;
    proxy_temp_path $DIR/nginx/temp/proxy;
    fastcgi_temp_path $DIR/nginx/temp/fastcgi;
    uwsgi_temp_path $DIR/nginx/temp/uwsgi;
    scgi_temp_path $DIR/nginx/temp/scgi;
    include $DIR/nginx/registry-forward-auth.conf;
}
CONF

  { cat <<CONF
# Generated by scripts/gateway.sh: global options for a private instance, then the published snippet.
{
	admin off
	auto_https off
}

CONF
    cat deploy/gateways/caddy/Caddyfile; } >"$DIR/caddy/Caddyfile"
  replace "$DIR/caddy/Caddyfile" "http://127.0.0.1:8081 {" "http://127.0.0.1:$caddy_port {"
  replace "$DIR/caddy/Caddyfile" "forward_auth 127.0.0.1:21201 {" "forward_auth $CADDY_REGISTRY {"
  replace "$DIR/caddy/Caddyfile" "reverse_proxy 127.0.0.1:8000" "reverse_proxy 127.0.0.1:$backend_port"

  "$(nginx_bin)" -t -q -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/logs/nginx.log" \
    || { echo "gateway.sh: nginx refuses the generated config:" >&2; tail -n 20 "$DIR/logs/nginx.log" >&2; exit 1; }

  start_process backend "$PYTHON" -m uvicorn echo_backend:app --app-dir "$REPO/scripts/gateway" \
    --host 127.0.0.1 --port "$backend_port" --no-access-log --log-level warning
  start_process nginx "$(nginx_bin)" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/logs/nginx.log"
  start_process caddy env HOME="$DIR/caddy/home" XDG_DATA_HOME="$DIR/caddy/home" XDG_CONFIG_HOME="$DIR/caddy/home" \
    caddy run --adapter caddyfile --config "$DIR/caddy/Caddyfile"

  wait_for_port backend "$backend_port" "$(read -r pid _ <"$DIR/pids/backend.pid"; echo "$pid")"
  wait_for_port nginx "$nginx_port" "$(read -r pid _ <"$DIR/pids/nginx.pid"; echo "$pid")"
  wait_for_port caddy "$caddy_port" "$(read -r pid _ <"$DIR/pids/caddy.pid"; echo "$pid")"
  printf 'BACKEND_PORT=%s\nNGINX_PORT=%s\nCADDY_PORT=%s\n' "$backend_port" "$nginx_port" "$caddy_port" >"$DIR/ports.env"
  echo "gateway.sh: backend 127.0.0.1:$backend_port, nginx 127.0.0.1:$nginx_port -> $NGINX_REGISTRY, caddy 127.0.0.1:$caddy_port -> $CADDY_REGISTRY"
}

stop() {
  local file pid name
  [ -d "$DIR/pids" ] || return 0
  for file in "$DIR"/pids/*.pid; do
    [ -f "$file" ] || continue
    name="$(basename "$file" .pid)"
    if pid="$(pid_of "$file")"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && { echo "gateway.sh: $name ($pid) still running 5 s after SIGTERM; SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; }
    fi
    rm -f "$file"
  done
}

[ $# -ge 2 ] || usage
DIR="$(mkdir -p "$2" && cd "$2" && pwd)"
case "$1" in
  start) [ $# -eq 4 ] || usage; NGINX_REGISTRY="$3" CADDY_REGISTRY="$4"; start ;;
  stop) stop ;;
  *) usage ;;
esac
