#!/usr/bin/env bash
# A real OpenID Provider for the tests: panva's oidc-provider (npm), configured by
# scripts/oidc-provider/provider.mjs. Installs the pinned package (package-lock.json) with npm into
# $OIDC_PROVIDER_HOME (default .run/oidc-provider, ignored by git) on first use; CI starts with
# nothing (Node and npm come from Debian's packages when missing). Node 18/20 run oidc-provider
# 8.x (9.x needs Node 22). Listens on 127.0.0.1 only.
#
#   scripts/oidc-provider.sh install       install (or check) the package; prints the folder
#   scripts/oidc-provider.sh start DIR     start one provider, its pid and log in DIR; prints its URL
#   scripts/oidc-provider.sh url DIR       the URL of the provider started in DIR
#   scripts/oidc-provider.sh stop DIR      stop it
#
# start reads: OIDC_PROVIDER_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
# OIDC_BACKCHANNEL_LOGOUT_URI, OIDC_RESOURCE (the resource indicator; also the access tokens'
# aud unless OIDC_AUDIENCE says otherwise), OIDC_API_SCOPE (default api); for
# scripts/bench-gateway.sh, all off by default: OIDC_CLIENT_CREDENTIALS, OIDC_INTROSPECTION,
# OIDC_OPAQUE_RESOURCE, OIDC_ACCESS_TOKEN_TTL, OIDC_STORE (scripts/oidc-provider/provider.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=scripts/oidc-provider
home=${OIDC_PROVIDER_HOME:-.run/oidc-provider}

install() {
  # A clean CI machine may have neither: Debian's packages (Node 18) run oidc-provider 8 too.
  scripts/ensure-package.sh node nodejs >&2
  scripts/ensure-package.sh npm npm >&2
  mkdir -p "$home"
  # Installed once per lock file: a changed lock installs again.
  if ! cmp -s "$source_dir/package-lock.json" "$home/package-lock.json" || [ ! -d "$home/node_modules/oidc-provider" ]; then
    cp "$source_dir/package.json" "$source_dir/package-lock.json" "$home/"
    (cd "$home" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  fi
  cp "$source_dir/provider.mjs" "$home/"
}

case "${1:-}" in
  install)
    install
    echo "$home"
    ;;
  start)
    dir=${2:?start needs a folder for the pid and the log}
    : "${OIDC_PROVIDER_PORT:?OIDC_PROVIDER_PORT is not set}"
    install
    mkdir -p "$dir"
    url="http://127.0.0.1:$OIDC_PROVIDER_PORT"
    node "$home/provider.mjs" >"$dir/provider.log" 2>&1 &
    echo $! >"$dir/provider.pid"
    echo "$url" >"$dir/provider.url"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "$url/.well-known/openid-configuration" 2>/dev/null; then
        echo "$url"
        exit 0
      fi
      kill -0 "$(cat "$dir/provider.pid")" 2>/dev/null || break
      sleep 0.2
    done
    echo "oidc-provider.sh: the provider did not answer at $url; its log:" >&2
    cat "$dir/provider.log" >&2
    kill "$(cat "$dir/provider.pid")" 2>/dev/null || true
    exit 1
    ;;
  url)
    cat "${2:?url needs the folder given to start}/provider.url"
    ;;
  stop)
    dir=${2:?stop needs the folder given to start}
    if [ -f "$dir/provider.pid" ]; then
      kill "$(cat "$dir/provider.pid")" 2>/dev/null || true
      rm -f "$dir/provider.pid"
    fi
    ;;
  *)
    sed -n '2,18p' "$0" >&2
    exit 2
    ;;
esac
