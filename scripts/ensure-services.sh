#!/usr/bin/env bash
# Starts the local PostgreSQL and MariaDB servers the JDBC tests use, when they are installed but not running.
# Installs neither: on a machine without them, point the tests elsewhere with PP_TEST_PG_URL / PP_TEST_MARIADB_URL.
set -uo pipefail

wait_for() { # name, check command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then echo "$1 is up"; return 0; fi
    sleep 1
  done
  echo "$1 did not come up" >&2
  return 1
}

if [ -z "${PP_TEST_PG_URL:-}" ] && command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    wait_for PostgreSQL "pg_isready -q -h 127.0.0.1 -p 5432"
  fi
fi

if [ -z "${PP_TEST_MARIADB_URL:-}" ] && [ -x /usr/sbin/mariadbd ]; then
  if ! mariadb-admin -uroot -h127.0.0.1 status >/dev/null 2>&1; then
    echo "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
    wait_for MariaDB "mariadb-admin -uroot -h127.0.0.1 status"
  fi
fi
exit 0
