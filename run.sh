#!/usr/bin/env bash
# Runs Sigil: the auth service and the business service, each in its own Payara Micro process
# with its own embedded database under DATA_DIR.
#
#   ./run.sh          build if stale, start both, wait until they answer; Ctrl-C stops both
#   ./run.sh start    the same, but leave them running in the background
#                     (./run.sh start auth, ./run.sh start business: just one)
#   ./run.sh stop     stop both (./run.sh stop auth, ./run.sh stop business: just one)
#   ./run.sh status   show what is running (exit 0 when both run, 3 when one is stopped)
#
# Environment: AUTH_PORT (8080), BUSINESS_PORT (8081), BIND_ADDRESS (127.0.0.1: the address both
# listen on), DATA_DIR (./data), JAVA (java),
# AUTH_JAVA_OPTIONS and BUSINESS_JAVA_OPTIONS (further JVM options, after server-config's),
# and any service setting from docs/OPERATIONS.md (AUTH_ADMIN_EMAIL, ...). Each service uses
# the embedded H2 database under DATA_DIR, or PostgreSQL when AUTH_DB_HOST / BUSINESS_DB_HOST
# is set (with <NAME>_DB_PASSWORD, and optionally _PORT, _NAME, _USER).
#
# Each service gets only its own variables (AUTH_* or BUSINESS_*), the shared MP_* and SIGIL_*
# settings and what a JVM needs (PATH, HOME, locale, ...): auth's secrets never reach business,
# nor business's auth. What run.sh creates under DATA_DIR is readable by its owner only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
say() { printf '%s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

AUTH_PORT=${AUTH_PORT:-8080}
BUSINESS_PORT=${BUSINESS_PORT:-8081}
DATA_DIR=${DATA_DIR:-$ROOT/data}
BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1}
[[ $BIND_ADDRESS =~ ^[0-9A-Fa-f.:]+$ ]] || die "BIND_ADDRESS=$BIND_ADDRESS is not an IPv4 or IPv6 address"
# Where this machine reaches the services: localhost when they listen on 127.0.0.1 or on every
# interface, else the address they listen on (PROBE_ADDRESS: the same for a port check).
case $BIND_ADDRESS in
    127.0.0.1 | 0.0.0.0 | ::) HOST=localhost PROBE_ADDRESS=127.0.0.1 ;;
    *:*) HOST="[$BIND_ADDRESS]" PROBE_ADDRESS=$BIND_ADDRESS ;;
    *) HOST=$BIND_ADDRESS PROBE_ADDRESS=$BIND_ADDRESS ;;
esac
AUTH_URL=http://$HOST:$AUTH_PORT/auth
BUSINESS_URL=http://$HOST:$BUSINESS_PORT/business

# Where business finds auth follows AUTH_PORT unless set explicitly.
export AUTH_TOKEN_ISSUER=${AUTH_TOKEN_ISSUER:-$AUTH_URL}
export MP_JWT_VERIFY_ISSUER=${MP_JWT_VERIFY_ISSUER:-$AUTH_TOKEN_ISSUER}
export MP_JWT_VERIFY_PUBLICKEY_LOCATION=${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-$AUTH_URL/.well-known/jwks.json}

# Databases, logs and key copies: the owner's only. The build keeps the caller's umask.
umask 077
mkdir -p "$DATA_DIR"
[ ! -k "$DATA_DIR" ] || die "DATA_DIR=$DATA_DIR is a shared directory (sticky, like /tmp); give Sigil a directory of its own"
chmod 700 "$DATA_DIR"
# the physical path: a pid file is checked against the --rootdir its process was started with,
# and the same directory reached through a link must match it
DATA_DIR=$(cd "$DATA_DIR" && pwd -P)
RUN_DIR=$DATA_DIR

db_var() { # name suffix: the value of AUTH_DB_HOST, BUSINESS_DB_PORT, ...
    local var=${1^^}_DB_$2
    printf '%s' "${!var:-}"
}

# The server options that put a service on PostgreSQL when <NAME>_DB_HOST is set (port,
# database and user default to 5432, sigil_<name>, sigil_<name>; the password is required);
# nothing, so the embedded H2 database, otherwise. Sets DATABASE_OPTIONS.
database_options() { # name config
    local name=$1 config=$2 prefix=${1^^}_DB
    DATABASE_OPTIONS=()
    [ -n "$(db_var "$name" HOST)" ] || return 0
    [ -n "$(db_var "$name" PASSWORD)" ] || die "${prefix}_HOST is set but ${prefix}_PASSWORD is not"
    [ -f "$ROOT/target/postgresql.jar" ] || die "target/postgresql.jar is missing; run ./mvnw package"
    [ -n "$(db_var "$name" PORT)" ] || export "${prefix}_PORT=5432"
    [ -n "$(db_var "$name" NAME)" ] || export "${prefix}_NAME=sigil_$name"
    [ -n "$(db_var "$name" USER)" ] || export "${prefix}_USER=sigil_$name"
    DATABASE_OPTIONS=(--postbootcommandfile "$config/post-boot-postgresql.asadmin" --addlibs "$ROOT/target/postgresql.jar")
    say "$name uses PostgreSQL at $(db_var "$name" HOST):$(db_var "$name" PORT)"
}

# A service alone on its port, with its own pre-boot settings and its listener on BIND_ADDRESS
# (loopback unless set: its /health, /metrics and /openapi are for this machine), no data grid.
launch() { # name port
    local name=$1 port=$2 config=$ROOT/server-config/$1 pre_boot=$DATA_DIR/$1-pre-boot.asadmin
    [ -z "$(pid_of "$name")" ] || return 0
    port_busy "$port" "$PROBE_ADDRESS" && die "port $port is taken by another program; set ${name^^}_PORT to a free port"
    database_options "$name" "$config"
    { cat "$config/pre-boot-commands.asadmin"; echo
      echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=$BIND_ADDRESS"
    } >"$pre_boot"
    start_service "$name" "$name" "$port" --nohazelcast \
        --prebootcommandfile "$pre_boot" "${DATABASE_OPTIONS[@]}"
}

# One start at a time for a DATA_DIR: two at once would each launch a service on the same root
# directory, and the second would remove files the first is deploying. Held until the start is
# over; the services themselves do not inherit it (start_service closes descriptor 9 for them).
lock_start() {
    exec 9>>"$DATA_DIR/.start.lock"
    flock -n 9 || die "another run.sh is starting Sigil with the data in $DATA_DIR; wait until it is done"
}

start_all() {
    local auth business
    auth=$(pid_of auth); business=$(pid_of business)
    if [ -n "$auth" ] && [ -n "$business" ]; then
        die "Sigil is already running (auth pid $auth, business pid $business, data in $DATA_DIR). Stop it with ./run.sh stop"
    fi
    command -v curl >/dev/null || die "curl is needed"
    build_if_stale
    launch auth "$AUTH_PORT"
    launch business "$BUSINESS_PORT"
    wait_ready auth "$AUTH_URL/.well-known/jwks.json"
    wait_ready business "$BUSINESS_URL/status"
}

start_one() { # name
    local name=$1
    [ -z "$(pid_of "$name")" ] || die "$name is already running (pid $(pid_of "$name"))"
    command -v curl >/dev/null || die "curl is needed"
    build_if_stale
    case $name in
        auth) launch auth "$AUTH_PORT"
              wait_ready auth "$AUTH_URL/.well-known/jwks.json" ;;
        business) launch business "$BUSINESS_PORT"
                  wait_ready business "$BUSINESS_URL/status" ;;
    esac
}

walkthrough() {
    cat <<EOF

Sigil is running.
  auth      $AUTH_URL      (log: $DATA_DIR/auth.log)
  business  $BUSINESS_URL  (log: $DATA_DIR/business.log)
  data      $DATA_DIR

Try it:
  curl -i -X POST $AUTH_URL/users -H 'Content-Type: application/json' \\
       -d '{"email":"alice@example.com","password":"correct horse battery"}'
  TOKEN=\$(curl -s -X POST $AUTH_URL/login -H 'Content-Type: application/json' \\
       -d '{"email":"alice@example.com","password":"correct horse battery"}' | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -i $BUSINESS_URL/dashboard -H "Authorization: Bearer \$TOKEN"
  curl -i $AUTH_URL/.well-known/jwks.json
EOF
}

case ${1:-run} in
    run)
        # from the first moment, Ctrl-C (during the build, the wait or the run) and a start that
        # fails stop what this run started; a service already running is left alone
        already_running=" $([ -z "$(pid_of auth)" ] || echo auth) $([ -z "$(pid_of business)" ] || echo business) "
        trap 'exit 130' INT TERM HUP
        trap 'cleaning_up; say; stop_started' EXIT
        lock_start
        start_all
        exec 9>&-
        walkthrough
        say ""
        if [ "$already_running" = "   " ]; then
            say "Press Ctrl-C to stop both services."
        else
            say "Press Ctrl-C to stop what this run started ($(echo $already_running) was running before and keeps running)."
        fi
        while [ -n "$(pid_of auth)" ] || [ -n "$(pid_of business)" ]; do sleep 1; done
        say "Both services have stopped."
        ;;
    start)
        # a start that fails stops what it started: the other service, already booting, too
        undo_on_failure
        lock_start
        case ${2:-all} in
            auth | business) start_one "$2"; say "$2 is running."; exit 0 ;;
            all) ;;
            *) die "usage: ./run.sh start [auth|business]" ;;
        esac
        start_all
        walkthrough
        say ""
        if [ "$DATA_DIR" = "$ROOT/data" ]; then say "Stop with: ./run.sh stop"; else say "Stop with: DATA_DIR=$(printf %q "$DATA_DIR") ./run.sh stop"; fi
        ;;
    stop)
        case ${2:-all} in
            auth | business) names=("$2") ;;
            all) names=(business auth) ;;
            *) die "usage: ./run.sh stop [auth|business]" ;;
        esac
        for name in "${names[@]}"; do
            # a service of another DATA_DIR is not this one's: say so, rather than nothing
            [ -n "$(pid_of "$name")" ] || say "$name: not running under DATA_DIR=$DATA_DIR"
            stop_service "$name"
        done
        ;;
    status)
        # exit 3 (LSB's "not running") when a service is stopped, 0 when both run
        service_status auth
        service_status business
        [ -n "$(pid_of auth)" ] && [ -n "$(pid_of business)" ] || exit 3
        ;;
    *)
        die "usage: ./run.sh [run|start [auth|business]|stop [auth|business]|status]"
        ;;
esac
