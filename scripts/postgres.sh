#!/usr/bin/env bash
# A private PostgreSQL server on 127.0.0.1 for the tests and the cluster script, with a database
# and user per service (sigil_auth, sigil_business). Installs PostgreSQL from Debian packages
# when it is missing. Its data lives under PG_DIR and is thrown away by `stop --drop`.
#
#   scripts/postgres.sh start        install if needed, create the cluster if needed, start it
#   scripts/postgres.sh stop [--drop] stop it (and delete its data)
#   scripts/postgres.sh env          print the AUTH_DB_* and BUSINESS_DB_* settings to export
#   scripts/postgres.sh reset NAME   empty one service's database (drop and create it again)
#   scripts/postgres.sh fresh NAME   start, then reset NAME: what a test run begins with
#
# Environment: PG_PORT (15432), PG_DIR (/tmp/sigil-postgres-<port>: PostgreSQL runs as its own
# user, which may not enter the checkout's directories, e.g. under /root).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_PORT=${PG_PORT:-15432}
PG_DIR=${PG_DIR:-${TMPDIR:-/tmp}/sigil-postgres-$PG_PORT}
DATA=$PG_DIR/data
# Test credentials for a server that listens on loopback only and lives for one test run.
PASSWORD=sigil-test-password

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && echo "$dir"
}

install() {
    [ -n "$(bin_dir)" ] && return 0
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
    [ -n "$(bin_dir)" ] || die "PostgreSQL installation failed"
}

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The administrator connects through the server's Unix socket (trusted); the services connect
# over TCP with their password.
psql_admin() {
    as_owner "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_owner "$(bin_dir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

create_database() { # name
    psql_admin <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sigil_$1') THEN
        CREATE ROLE sigil_$1 LOGIN PASSWORD '$PASSWORD';
    END IF;
END \$\$;
SQL
    if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = 'sigil_$1'")" ]; then
        psql_admin -c "CREATE DATABASE sigil_$1 OWNER sigil_$1"
    fi
}

start() {
    install
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "creating a cluster in $DATA"
        as_owner "$(bin_dir)/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! running; then
        # Loopback only; fsync off: test data that need not survive a crash of the machine.
        as_owner "$(bin_dir)/pg_ctl" -D "$DATA" -l "$PG_DIR/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" >/dev/null ||
            { tail -n 20 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
        say "PostgreSQL running on 127.0.0.1:$PG_PORT"
    fi
    create_database auth
    create_database business
}

stop() {
    if [ -n "$(bin_dir)" ] && running; then
        as_owner "$(bin_dir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "PostgreSQL stopped"
    fi
    if [ "${1:-}" = --drop ]; then rm -rf "$PG_DIR"; fi
}

reset() { # name
    case ${1:-} in auth | business) ;; *) die "usage: postgres.sh reset auth|business" ;; esac
    psql_admin -c "DROP DATABASE IF EXISTS sigil_$1 WITH (FORCE)"
    create_database "$1"
}

env_settings() {
    local name
    for name in AUTH BUSINESS; do
        local lower=${name,,}
        printf 'export %s_DB_HOST=127.0.0.1 %s_DB_PORT=%s %s_DB_NAME=sigil_%s %s_DB_USER=sigil_%s %s_DB_PASSWORD=%s\n' \
            "$name" "$name" "$PG_PORT" "$name" "$lower" "$name" "$lower" "$name" "$PASSWORD"
    done
}

case ${1:-} in
    start) start ;;
    stop) stop "${2:-}" ;;
    env) env_settings ;;
    reset) reset "${2:-}" ;;
    fresh) start && reset "${2:-}" ;;
    *) die "usage: postgres.sh start|stop [--drop]|env|reset auth|business|fresh auth|business" ;;
esac
