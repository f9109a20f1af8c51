#!/usr/bin/env bash
# scripts/container-base-images.sh — makes local stand-ins for the base images the Dockerfiles and
# docker-compose.yml name, for machines that cannot pull from mcr.microsoft.com or Docker Hub:
#   localhost/registry-standin/debian:bookworm   debootstrap of Debian 12 (minbase)
#   localhost/registry-standin/aspnet:10.0       + this machine's .NET and ASP.NET Core runtimes
#   localhost/registry-standin/sdk:10.0          + this machine's .NET SDK and trusted CAs
#   localhost/registry-standin/postgres:15       + Debian's postgresql-15, official image's variables
# Each image that already exists is kept (--rebuild makes them all again). Uses podman (set up by
# scripts/container-engine.sh), apt-get and debootstrap against Debian's mirror, and the .NET
# installation that `dotnet` on the PATH runs from. The official .NET 10 images are Ubuntu 24.04;
# Debian 12 is what this machine's registry serves, and the runtime is the same build.
# Prints the variables docker-compose.yml reads to use them (REGISTRY_*_IMAGE=...).
set -euo pipefail
cd "$(dirname "$0")"
rebuild=no; [ "${1:-}" = --rebuild ] && rebuild=yes

prefix=localhost/registry-standin
debian="$prefix/debian:bookworm" aspnet="$prefix/aspnet:10.0" sdk="$prefix/sdk:10.0" postgres="$prefix/postgres:15"
mirror="${REGISTRY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="${REGISTRY_CONTAINER_CACHE:-/var/tmp/registry-containers}"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"

have() { [ "$rebuild" = no ] && podman image exists "$1"; }
log() { echo "container-base-images.sh: $*" >&2; }
build() { # build IMAGE CONTAINERFILE [podman build options]
  local image="$1" file="$2"; shift 2
  log "building $image"
  podman build --quiet --layers=false -t "$image" -f "container-images/$file" "$@" container-images >/dev/null
}

if ! have "$debian"; then
  log "debootstrap of Debian bookworm (minbase) from $mirror"
  mkdir -p "$work" && rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$debian" >/dev/null
  rm -rf "$work/rootfs"
fi
have "$aspnet" || build "$aspnet" aspnet.Containerfile --build-arg BASE_IMAGE="$debian" -v "$dotnet_root:/mnt/dotnet:ro"
ca=(); [ -d /usr/local/share/ca-certificates ] && ca=(-v /usr/local/share/ca-certificates:/mnt/ca:ro)
have "$sdk" || build "$sdk" sdk.Containerfile --build-arg ASPNET_IMAGE="$aspnet" -v "$dotnet_root:/mnt/dotnet:ro" "${ca[@]}" \
  --build-arg NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-}"
have "$postgres" || build "$postgres" postgres.Containerfile --build-arg BASE_IMAGE="$debian"

echo "REGISTRY_SDK_IMAGE=$sdk"
echo "REGISTRY_RUNTIME_IMAGE=$aspnet"
echo "REGISTRY_POSTGRES_IMAGE=$postgres"
