#!/usr/bin/env bash
# scripts/apt-install.sh [--recommends] PACKAGE... — installs Debian packages with apt-get (update,
# then install; without recommended packages unless --recommends), one install at a time across
# this repository's scripts: CI runs the benchmark smoke next to the compose check, a developer may
# run a benchmark next to the tests, and both may install tools at once; a second apt-get would
# fail on dpkg's lock.
# Uses sudo when not root.
set -euo pipefail
recommends=--no-install-recommends
[ "${1:-}" != --recommends ] || { recommends=--install-recommends; shift; }
[ $# -ge 1 ] || { echo "usage: $0 [--recommends] PACKAGE..." >&2; exit 2; }
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
exec 9>"${TMPDIR:-/tmp}/registry-apt-install.lock"
flock 9
$sudo apt-get update -qq >&2
# By default the tools only. (Where systemd runs, Debian also starts a package's service, e.g.
# prometheus on :9090; the callers here run their own on ports of their own.)
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$recommends" "$@" >&2
