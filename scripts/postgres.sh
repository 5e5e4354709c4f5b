#!/usr/bin/env bash
# A private PostgreSQL server on 127.0.0.1 for the tests and the cluster script, with a database
# and user per service (sigil_auth, sigil_business). Installs PostgreSQL from Debian packages
# when it is missing. Its data lives under PG_DIR and is thrown away by `stop --drop`.
#
#   scripts/postgres.sh start          install if needed, create the cluster if needed, start it
#   scripts/postgres.sh stop [--drop]  stop it (and delete its data and passwords)
#   scripts/postgres.sh status         succeed when it runs, fail otherwise
#   scripts/postgres.sh env            print the AUTH_DB_* and BUSINESS_DB_* settings to export
#   scripts/postgres.sh post-boot NAME print the path of NAME's post-boot file (auth|business)
#   scripts/postgres.sh reset NAME     empty one service's database (drop and create it again)
#   scripts/postgres.sh fresh NAME     start, then reset NAME: what a test run begins with
#
# Environment: PG_PORT (15432), PG_DIR (/tmp/sigil-postgres-<port>: PostgreSQL runs as its own
# user, which may not enter the checkout's directories, e.g. under /root).
#
# On a shared host: PG_DIR, the socket's directory, is 0700 and must belong to the server's
# user; the administrator connects only through that socket, as the server's own operating
# system user (peer authentication); each service's role may only reach its own database, over
# TCP with a random password (scram-sha-256). The passwords are made at the first start and kept
# in PG_DIR/secrets (0700, files 0600, the current user's): sigil_auth.password,
# sigil_business.password, and auth-post-boot.asadmin / business-post-boot.asadmin, the
# service's post-boot file (server-config/<name>/post-boot-postgresql.asadmin with the settings
# filled in), so that the password reaches Payara through a file, not its environment.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PG_PORT=${PG_PORT:-15432}
PG_DIR=${PG_DIR:-${TMPDIR:-/tmp}/sigil-postgres-$PG_PORT}
DATA=$PG_DIR/data
SECRETS=$PG_DIR/secrets

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The programs of the version that made the data directory (a newer major version installed
# beside it by an upgrade cannot open it), or of the newest version for a new one.
bin_dir() {
    local dir version
    version=$(cat "$DATA/PG_VERSION" 2>/dev/null || true)
    if [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/pg_ctl" ]; then
        echo "/usr/lib/postgresql/$version/bin"
        return 0
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && echo "$dir"
}

install() {
    [ -n "$(bin_dir)" ] && return 0
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
    [ -n "$(bin_dir)" ] || die "PostgreSQL installation failed"
}

# PostgreSQL refuses to run as root: as root, its programs run as the postgres user, which is
# then also the server's superuser; otherwise the current user is both.
if [ "$(id -u)" = 0 ]; then OWNER=postgres; else OWNER=$(id -un); fi

# PostgreSQL's programs, and so the server, get none of the caller's environment: cluster.sh
# and run.sh callers hold the services' secrets there (AUTH_ADMIN_PASSWORD, ...), and as root the
# server runs as another user, postgres, whose processes could then read them.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- env -i PATH="$PATH" LANG=C.UTF-8 "$@"
    else
        env -i PATH="$PATH" LANG=C.UTF-8 "$@"
    fi
}

# The administrator: through the Unix socket in PG_DIR, as the server's operating system user.
psql_admin() {
    as_owner "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U "$OWNER" -d postgres "$@"
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_owner "$(bin_dir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

password() { # name
    private_dir "$SECRETS"
    secret "$SECRETS/sigil_$1.password"
}

# Who may connect, rewritten at every start (also over a cluster made by an older script).
write_hba() {
    cat >"$DATA/pg_hba.conf" <<HBA
# Written by scripts/postgres.sh at each start.
local   all             $OWNER                                  peer
host    sigil_auth      sigil_auth      127.0.0.1/32            scram-sha-256
host    sigil_business  sigil_business  127.0.0.1/32            scram-sha-256
HBA
    if [ "$(id -u)" = 0 ]; then chown postgres "$DATA/pg_hba.conf"; fi
    chmod 0600 "$DATA/pg_hba.conf"
}

# The service's role (with the password from its file, also when it exists already) and database.
create_database() { # name
    local password
    password=$(password "$1")
    psql_admin <<SQL
SET password_encryption = 'scram-sha-256';
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sigil_$1') THEN
        CREATE ROLE sigil_$1 LOGIN;
    END IF;
END \$\$;
ALTER ROLE sigil_$1 PASSWORD '$password';
SQL
    if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = 'sigil_$1'")" ]; then
        psql_admin -c "CREATE DATABASE sigil_$1 OWNER sigil_$1"
    fi
    write_post_boot "$1"
}

# NAME's post-boot file: the server-config one with the settings it reads from the environment
# filled in, the password included, in a file only the current user can read.
write_post_boot() { # name
    local upper=${1^^} file=$SECRETS/$1-post-boot.asadmin password
    password=$(password "$1")
    # filled in by bash itself: a secret in a program's arguments would show in ps
    local line
    (umask 077 && while IFS= read -r line || [ -n "$line" ]; do
        line=${line//"\${ENV=${upper}_DB_HOST}"/"127.0.0.1"}
        line=${line//"\${ENV=${upper}_DB_PORT}"/"$PG_PORT"}
        line=${line//"\${ENV=${upper}_DB_NAME}"/"sigil_$1"}
        line=${line//"\${ENV=${upper}_DB_USER}"/"sigil_$1"}
        line=${line//"\${ENV=${upper}_DB_PASSWORD}"/"$password"}
        printf '%s\n' "$line"
    done <"$ROOT/server-config/$1/post-boot-postgresql.asadmin" >"$file.$$" && mv -f "$file.$$" "$file")
    ! grep -v '^#' "$file" | grep -q '${ENV=' || die "$file still reads the environment; update write_post_boot"
}

start() {
    install
    private_dir "$PG_DIR" "$OWNER"
    [ ! -e "$DATA" ] || private_dir "$DATA" "$OWNER"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "creating a cluster in $DATA"
        as_owner "$(bin_dir)/initdb" -D "$DATA" -U "$OWNER" --auth-local=peer --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    write_hba
    if running; then
        as_owner "$(bin_dir)/pg_ctl" -D "$DATA" reload >/dev/null
    else
        # Loopback only; fsync off: test data that need not survive a crash of the machine.
        as_owner "$(bin_dir)/pg_ctl" -D "$DATA" -l "$PG_DIR/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR' -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256 -c fsync=off -c max_connections=200" >/dev/null ||
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
    psql_admin -c "DROP DATABASE IF EXISTS sigil_$1 WITH (FORCE)"
    create_database "$1"
}

service() { # name: checked
    case ${1:-} in auth | business) echo "$1" ;; *) die "expected auth or business, not '${1:-}'" ;; esac
}

env_settings() {
    local name upper password
    for name in auth business; do
        upper=${name^^}
        password=$(password "$name")
        printf 'export %s_DB_HOST=127.0.0.1 %s_DB_PORT=%s %s_DB_NAME=sigil_%s %s_DB_USER=sigil_%s %s_DB_PASSWORD=%s\n' \
            "$upper" "$upper" "$PG_PORT" "$upper" "$name" "$upper" "$name" "$upper" "$password"
    done
}

post_boot_file() { # name
    [ -f "$SECRETS/$1-post-boot.asadmin" ] || die "no post-boot file for $1: run postgres.sh start first"
    echo "$SECRETS/$1-post-boot.asadmin"
}

case ${1:-} in
    start) start ;;
    stop) stop "${2:-}" ;;
    status) [ -n "$(bin_dir)" ] && running ;;
    env) env_settings ;;
    post-boot) name=$(service "${2:-}"); post_boot_file "$name" ;;
    reset) name=$(service "${2:-}"); reset "$name" ;;
    fresh) name=$(service "${2:-}"); start; reset "$name" ;;
    *) die "usage: postgres.sh start|stop [--drop]|status|env|post-boot NAME|reset NAME|fresh NAME (NAME: auth|business)" ;;
esac
