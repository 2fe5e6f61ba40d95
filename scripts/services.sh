#!/usr/bin/env bash
# Makes sure a Redis and a PostgreSQL answer on 127.0.0.1 for the integration tests: installs them
# from Debian's packages where missing, starts them where stopped, and creates the test database.
set -euo pipefail

REDIS_PORT="${REDIS_PORT:-6379}"
PG_PORT="${PG_PORT:-5432}"
PG_DB="${ENGLIVO_TEST_PG_DB:-englivo_test}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
wait_for() { for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; "$@"; }

# Redis
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server redis-tools
  mkdir -p /tmp/englivo-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp/englivo-redis --logfile /tmp/englivo-redis/redis.log
  wait_for redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
fi

# PostgreSQL
pg_ready() { pg_isready -h 127.0.0.1 -p "$PG_PORT" -q; }
if ! (command -v pg_isready >/dev/null 2>&1 && pg_ready); then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-client
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then as_root pg_createcluster "$version" main; fi
  conf="/etc/postgresql/$version/main/pg_hba.conf"
  # trust on loopback: a throwaway test server, never a production setting
  if ! grep -q "englivo-tests" "$conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust # englivo-tests\nhost all all ::1/128 trust # englivo-tests' "$conf"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for pg_ready
fi
psql_pg() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_pg -c "select 1 from pg_database where datname='$PG_DB'")" != "1" ]; then
  psql_pg -c "create database $PG_DB"
fi
echo "services: redis on 127.0.0.1:$REDIS_PORT, postgresql on 127.0.0.1:$PG_PORT/$PG_DB"
