#!/usr/bin/env bash
# scripts/ensure-package.sh COMMAND PACKAGE — installs Debian's PACKAGE (scripts/apt-install.sh)
# unless COMMAND is already on the PATH (e.g. `promtool prometheus`, `gnuplot gnuplot-nox`). Exits
# non-zero, saying why, when COMMAND is still missing afterwards: callers fail rather than skip.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 COMMAND PACKAGE" >&2; exit 2; }
command="$1" package="$2"
command -v "$command" >/dev/null 2>&1 && exit 0
echo "ensure-package.sh: $command not found; installing Debian's $package package" >&2
"$(dirname "$0")/apt-install.sh" "$package"
command -v "$command" >/dev/null 2>&1 || { echo "ensure-package.sh: no $command after installing $package" >&2; exit 1; }
