#!/usr/bin/env bash
# Runs once, when the compose postgres service initialises an empty volume (docker-entrypoint-initdb.d),
# as the server's superuser (POSTGRES_USER), which nothing else in the compose file connects as.
# Creates the registry's database roles (docs/deploy.md, "Database roles"):
#   registry             owns the database `registry` and its schema; `migrate` connects as it
#   registry_silo        NOLOGIN group: what silos do (migration 0008 grants it)
#   registry_api         NOLOGIN group: what API nodes read (migration 0008 grants it)
#   registry_silo_login  the silos' login, a member of registry_silo
#   registry_api_login   the API nodes' login, a member of registry_api
# Passwords come from the service's environment (REGISTRY_DB_PASSWORD, REGISTRY_DB_SILO_PASSWORD,
# REGISTRY_DB_API_PASSWORD) and are passed to psql as variables, never spliced into the SQL text.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --no-password --no-psqlrc --dbname postgres \
  --set owner_password="${REGISTRY_DB_PASSWORD:?}" \
  --set silo_password="${REGISTRY_DB_SILO_PASSWORD:?}" \
  --set api_password="${REGISTRY_DB_API_PASSWORD:?}" <<'SQL'
CREATE ROLE registry LOGIN PASSWORD :'owner_password';
CREATE ROLE registry_silo NOLOGIN;
CREATE ROLE registry_api NOLOGIN;
CREATE ROLE registry_silo_login LOGIN PASSWORD :'silo_password' IN ROLE registry_silo;
CREATE ROLE registry_api_login LOGIN PASSWORD :'api_password' IN ROLE registry_api;
CREATE DATABASE registry OWNER registry;
SQL
