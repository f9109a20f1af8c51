#!/usr/bin/env bash
# Packs the client-side library into the local folder feed artifacts/packages (gitignored):
#   Revocation.AspNetCore    the check: .AddJwtBearer(...).AddRevocationCheck()
#   Revocation.Abstractions  the grain contracts it calls
# Release, deterministic, SourceLink on (ContinuousIntegrationBuild=true); the version is
# Directory.Build.props' VersionPrefix. Extra arguments go to `dotnet pack` (e.g.
# -p:VersionSuffix=rc.1). samples/nuget.config reads this feed. Prints the packages it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."

feed="${REGISTRY_PACKAGE_FEED:-artifacts/packages}"
mkdir -p "$feed"
for project in src/Grains/Revocation.Abstractions src/Api/Revocation.AspNetCore; do
  dotnet pack "$project" -c Release -o "$feed" -v q -nologo -p:ContinuousIntegrationBuild=true "$@" >&2
done
ls -1 "$feed"/*.nupkg
