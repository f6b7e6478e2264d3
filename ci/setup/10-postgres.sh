#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:54329 for the study-store tests (idempotent).
# Writes LEVAIN_TEST_POSTGRES=<connection string> to ci/setup/.env.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${LEVAIN_PG_PORT:-54329}"
data="${LEVAIN_PG_DATA:-/tmp/levain-pg-$port}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  if [[ ! -f "$data/PG_VERSION" ]]; then
    rm -rf "$data"; mkdir -p "$data"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  # Unix socket in the data dir so we never touch the system cluster's /var/run/postgresql.
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200" start >/dev/null
fi
for _ in $(seq 60); do as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break; sleep 1; done

psql_pg() { as_pg psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname='levain'")" != 1 ]]; then
  psql_pg -c "CREATE ROLE levain LOGIN PASSWORD 'levain'"
fi
if [[ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname='levain_test'")" != 1 ]]; then
  psql_pg -c "CREATE DATABASE levain_test OWNER levain"
fi
sed -i "/^LEVAIN_TEST_POSTGRES=/d" "$here/.env" 2>/dev/null || true
echo "LEVAIN_TEST_POSTGRES=Host=127.0.0.1;Port=$port;Database=levain_test;Username=levain;Password=levain" >> "$here/.env"
echo "PostgreSQL ready on 127.0.0.1:$port"
