#!/usr/bin/env bash
# A throwaway cluster CA and the certificates it signs, for mutual TLS on the registry's Orleans
# connections (ClusterTls:* settings) in local clusters, compose and tests:
#   scripts/cluster-certs.sh DIR     writes DIR/ca.crt (+ ca.key), DIR/silo.crt + silo.key (serverAuth
#                                    and clientAuth: silos accept and open connections) and
#                                    DIR/api.crt + api.key (clientAuth: API nodes and other clients)
# Keeps what DIR already holds. EC P-256 keys, valid 30 days; for production issue them from your
# own CA (docs/deploy.md, "Cluster certificates").
set -euo pipefail
DIR=${1:?usage: $0 DIR}
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$DIR"
cd "$DIR"
[ -f ca.crt ] && [ -f silo.crt ] && [ -f api.crt ] && exit 0

"$SCRIPTS/ensure-package.sh" openssl openssl >/dev/null || { echo "cluster-certs.sh: openssl is not installed and could not be (apt-get install openssl)" >&2; exit 1; }
umask 077
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 30 -subj "/CN=revocation registry cluster CA (throwaway)" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt

issue() { # name, extendedKeyUsage
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=revocation registry $1" -out "$1.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' "$2" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
issue silo serverAuth,clientAuth
issue api clientAuth
rm -f ca.srl
