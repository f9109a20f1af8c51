#!/usr/bin/env bash
# A local registry cluster of real processes on 127.0.0.1:
#   scripts/cluster.sh up [--silos N] [--apis M]   PostgreSQL, migrations once, N silos, M API nodes
#   scripts/cluster.sh status                      what runs, with PIDs and ports
#   scripts/cluster.sh pid silo-I|api-J            the PID of that process, if it still runs
#   scripts/cluster.sh add-silo                    start one more silo; it joins the running cluster
#   scripts/cluster.sh restart-silo I              stop silo I gracefully (SIGTERM) and start it again
#   scripts/cluster.sh restart-api J               stop API node J and start it again
#   scripts/cluster.sh down [--kill]               stop exactly the processes `up` started;
#                                                  --kill: at once with SIGKILL, no graceful
#                                                  shutdown (a throwaway cluster, e.g. a test's)
#   scripts/cluster.sh client-env                  the ClusterTls__* settings a client of this cluster
#                                                  needs (words KEY=value), e.g. for a load harness
# Each silo runs under a small supervisor that starts it again when it exits with status 75
# (it recycled itself: Rejuvenation:*), and only then; `down` and `restart-silo` stop the
# supervisor first, so nothing restarts a silo an operator stopped.
# Everything (PIDs, logs, ports) lives under $REGISTRY_CLUSTER_DIR (default .run/cluster).
# Ports: silo i listens on BASE+i, its gateway on BASE+100+i, its health/metrics HTTP on
# BASE+300+i, its Orleans Dashboard (only with Dashboard__Enabled=true) on BASE+400+i; API node j
# on BASE+200+j
# (BASE = $REGISTRY_BASE_PORT, default 21000). Silos form the cluster through the Orleans
# membership table in PostgreSQL (ADO.NET clustering) under a ClusterId fresh for each `up`;
# API nodes find their gateways in the same table. API nodes run in the Development environment
# (development issuer and keys) unless ASPNETCORE_ENVIRONMENT says otherwise. Settings for one
# API node only: REGISTRY_API_<J>_SETTINGS="Section__Key=value ..." (e.g. a FailOpen node).
# $REGISTRY_CONFIGURATION (Release) picks the build; --no-build skips building.
# Mutual TLS on every Orleans connection (ClusterTls:*) with a throwaway CA made by
# scripts/cluster-certs.sh under $DIR/tls; REGISTRY_CLUSTER_TLS=off runs plain TCP instead
# (ClusterTls__AllowUnauthenticatedClusterAccess=true), e.g. to measure what TLS costs.
# The commands are C#: src/Tools/ProcessCluster (built here, Debug, when its sources are newer
# than its build), which the end-to-end tests' PID files and kills share.
set -euo pipefail
cd "$(dirname "$0")/.."

tool=src/Tools/ProcessCluster
dll="$tool/bin/Debug/net10.0/Revocation.ProcessCluster.dll"
stale() { [ ! -f "$dll" ] || [ -n "$(find "$tool" -path "$tool/bin" -prune -o -path "$tool/obj" -prune -o -newer "$dll" -type f -print -quit)" ]; }
if stale; then
  # One build at a time (two commands started together would both find it stale).
  exec 9>"${TMPDIR:-/tmp}/registry-process-cluster.build.lock"
  flock 9
  if stale; then
    dotnet build "$tool/Revocation.ProcessCluster.csproj" -c Debug -v q -nologo >/dev/null \
      || { echo "cluster.sh: could not build $tool (dotnet build $tool)" >&2; exit 1; }
    touch "$dll" # an unchanged build leaves it older than the sources
  fi
  exec 9>&-
fi
exec dotnet "$dll" "$@"
