#!/usr/bin/env bash
# A private, throwaway PostgreSQL for development, tests and CI:
#   scripts/postgres.sh start|stop|status|url|psql [psql arguments]|pgbench [pgbench arguments]
#   scripts/postgres.sh run     the server in the foreground (a supervisor's child, e.g. the Aspire
#                               AppHost's): it stops on SIGTERM; start/stop/status do not apply to it
# Own data dir, port and socket dir (never the system server); listens on 127.0.0.1 only;
# trust authentication, so never use it for anything but local work.
# Settings (environment): REGISTRY_PG_PORT (54329), REGISTRY_PG_DIR (/tmp/revocation-registry-pg-$PORT).
set -euo pipefail

PORT="${REGISTRY_PG_PORT:-54329}"
BASE="${REGISTRY_PG_DIR:-${TMPDIR:-/tmp}/revocation-registry-pg-$PORT}"
DATA="$BASE/data"
SOCK="$BASE/socket"
LOG="$BASE/server.log"
DATABASE=registry

find_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

install_server() {
  echo "postgres.sh: PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
  "$(dirname "$0")/apt-install.sh" --recommends postgresql
}

BIN="$(find_bindir || { install_server; find_bindir; })" || { echo "postgres.sh: no pg_ctl after installing postgresql" >&2; exit 1; }

# initdb and the server refuse to run as root: run them as the postgres user then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

is_running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# The data dir, made once; its registry database is created in single-user mode, before any server runs.
init() {
  mkdir -p "$BASE"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$BASE"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_owner mkdir -p "$SOCK"
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 500
shared_preload_libraries = 'pg_stat_statements'
CONF
    echo "CREATE DATABASE $DATABASE" | as_owner "$BIN/postgres" --single -D "$DATA" postgres >/dev/null
  fi
}

# On the command line too: a data dir made by an older version keeps its file. A full test run
# makes thousands of databases' statements: 20 000 entries keep pg_stat_statements from
# evicting the ones a test is counting (the tests repeat a measurement that saw an eviction).
SERVER_SETTINGS="-c max_connections=500 -c pg_stat_statements.max=20000"

start() {
  init
  if is_running; then
    echo "postgres.sh: already running on 127.0.0.1:$PORT"
  else
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "$SERVER_SETTINGS" -w -t 60 start >/dev/null || { tail -n 20 "$LOG" >&2; exit 1; }
    echo "postgres.sh: started on 127.0.0.1:$PORT (data: $DATA)"
  fi
  if ! as_owner "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    as_owner "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -qc "CREATE DATABASE $DATABASE" >/dev/null
  fi
}

stop() {
  if [ -f "$DATA/PG_VERSION" ] && is_running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    echo "postgres.sh: stopped"
  else
    echo "postgres.sh: not running"
  fi
}

# The server itself in place of this script (no fork in between), so a supervisor's SIGTERM reaches
# it: a smart shutdown. As root it runs as postgres (setpriv executes it, where runuser would fork).
run() {
  init
  is_running && { echo "postgres.sh: a server already runs on $DATA (scripts/postgres.sh stop)" >&2; exit 1; }
  # shellcheck disable=SC2086 # the settings are words
  if [ "$(id -u)" -eq 0 ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$BIN/postgres" -D "$DATA" $SERVER_SETTINGS
  fi
  exec "$BIN/postgres" -D "$DATA" $SERVER_SETTINGS
}

case "${1:-}" in
  start) start ;;
  run) run ;;
  stop) stop ;;
  status) if [ -f "$DATA/PG_VERSION" ] && is_running; then echo "running on 127.0.0.1:$PORT"; else echo "not running"; exit 3; fi ;;
  url) echo "Host=127.0.0.1;Port=$PORT;Database=$DATABASE;Username=postgres" ;;
  psql) shift; as_owner "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 "$@" ;;
  pgbench) shift; as_owner "$BIN/pgbench" -h "$SOCK" -p "$PORT" -U postgres "$@" ;;
  *) echo "usage: $0 start|stop|status|run|url|psql|pgbench [args]" >&2; exit 2 ;;
esac
