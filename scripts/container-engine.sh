#!/usr/bin/env bash
# scripts/container-engine.sh — makes Debian's podman usable on this machine, idempotently:
# installs with apt-get whatever is missing of podman, buildah, runc, debootstrap, podman-compose,
# docker-compose (v1; renders the compose files, whose `${VAR:-}` podman-compose 1.0.3 leaves
# unexpanded) and the CNI dnsname plugin (without it containers cannot resolve each other's
# service names), and writes the two settings this sandbox needs to a drop-in of containers.conf:
#   runtime = "runc"      crun (podman's default) fails here: "cgroups in hybrid mode not supported"
#   default_ulimits = []  the sandbox forbids raising RLIMIT_NOFILE/NPROC, which podman does by default
# Needs root (or sudo). `--check` only tells whether an engine is usable (exit 0) or why not (exit 1,
# the reason on stdout), installing nothing.
set -euo pipefail
conf=/etc/containers/containers.conf.d/50-revocation-registry.conf
# package=command on the PATH or file it installs
needs=(podman=podman buildah=buildah runc=runc debootstrap=debootstrap podman-compose=podman-compose
  docker-compose=docker-compose golang-github-containernetworking-plugin-dnsname=/usr/lib/cni/dnsname)

missing() {
  local need package probe
  for need in "${needs[@]}"; do
    package="${need%%=*}" probe="${need#*=}"
    if [ "${probe#/}" != "$probe" ]; then [ -e "$probe" ] || echo "$package"
    else command -v "$probe" >/dev/null 2>&1 || echo "$package"; fi
  done
}

if [ "${1:-}" = --check ]; then
  absent="$(missing | tr '\n' ' ')"
  if [ -n "$absent" ]; then echo "not installed: ${absent% }"; exit 1; fi
  [ -f "$conf" ] || { echo "$conf missing (run scripts/container-engine.sh)"; exit 1; }
  podman info >/dev/null 2>&1 || { echo "podman info fails: $(podman info 2>&1 | tail -n 1)"; exit 1; }
  exit 0
fi

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
mapfile -t absent < <(missing)
if [ "${#absent[@]}" -gt 0 ]; then
  echo "container-engine.sh: installing Debian's ${absent[*]}" >&2
  "$(dirname "$0")/apt-install.sh" "${absent[@]}"
fi

wanted='[containers]
default_ulimits = []

[engine]
runtime = "runc"'
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$wanted" ]; then
  $sudo mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$wanted" | $sudo tee "$conf" >/dev/null
fi

runtime="$(podman info --format '{{.Host.OCIRuntime.Name}}')"
[ "$runtime" = runc ] || { echo "container-engine.sh: podman uses $runtime, not runc; is $conf read?" >&2; exit 1; }
echo "container-engine.sh: $(podman --version), runtime $runtime, $(podman-compose version 2>/dev/null | grep -o 'podman-composer* version *[0-9.]*' || echo podman-compose)" >&2
