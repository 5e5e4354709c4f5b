#!/usr/bin/env bash
# Runs Sigil: the auth service and the business service, each in its own Payara Micro process
# with its own embedded database under DATA_DIR.
#
#   ./run.sh          build what is missing, start both, wait until they answer; Ctrl-C stops both
#   ./run.sh start    the same, but leave them running in the background
#                     (./run.sh start auth, ./run.sh start business: just one)
#   ./run.sh stop     stop both (./run.sh stop auth, ./run.sh stop business: just one)
#   ./run.sh status   show what is running
#
# Environment: AUTH_PORT (8080), BUSINESS_PORT (8081), DATA_DIR (./data), JAVA (java),
# and any service setting from docs/OPERATIONS.md (AUTH_ADMIN_EMAIL, ...). Each service uses
# the embedded H2 database under DATA_DIR, or PostgreSQL when AUTH_DB_HOST / BUSINESS_DB_HOST
# is set (with <NAME>_DB_PASSWORD, and optionally _PORT, _NAME, _USER).
#
# Each service gets only its own variables (AUTH_* or BUSINESS_*), the shared MP_* and SIGIL_*
# settings and what a JVM needs (PATH, HOME, locale, ...): auth's secrets never reach business,
# nor business's auth. What run.sh creates under DATA_DIR is readable by its owner only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AUTH_PORT=${AUTH_PORT:-8080}
BUSINESS_PORT=${BUSINESS_PORT:-8081}
DATA_DIR=${DATA_DIR:-$ROOT/data}
JAVA=${JAVA:-java}
START_TIMEOUT=${START_TIMEOUT:-240}
MICRO_JAR=$ROOT/target/payara-micro.jar
AUTH_URL=http://localhost:$AUTH_PORT/auth
BUSINESS_URL=http://localhost:$BUSINESS_PORT/business

# Where business finds auth follows AUTH_PORT unless set explicitly.
export AUTH_TOKEN_ISSUER=${AUTH_TOKEN_ISSUER:-$AUTH_URL}
export MP_JWT_VERIFY_ISSUER=${MP_JWT_VERIFY_ISSUER:-$AUTH_TOKEN_ISSUER}
export MP_JWT_VERIFY_PUBLICKEY_LOCATION=${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-$AUTH_URL/.well-known/jwks.json}

say() { printf '%s\n' "$*"; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# Databases, logs and key copies: the owner's only. The build keeps the caller's umask.
CALLER_UMASK=$(umask)
umask 077
mkdir -p "$DATA_DIR"
[ ! -k "$DATA_DIR" ] || die "DATA_DIR=$DATA_DIR is a shared directory (sticky, like /tmp); give Sigil a directory of its own"
chmod 700 "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)

pid_of() { # prints the pid of a running service, or nothing
    local file=$DATA_DIR/$1.pid pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; else rm -f "$file"; fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build_if_needed() {
    local stale=false war
    for war in auth-war/target/auth.war business-war/target/business.war; do
        if [ ! -f "$ROOT/$war" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src -newer "$ROOT/$war" -type f -print -quit 2>/dev/null)" ]; then
            stale=true
        fi
    done
    [ -f "$MICRO_JAR" ] || stale=true
    if $stale; then
        say "Building (./mvnw package, tests skipped)..."
        (umask "$CALLER_UMASK" && cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
    fi
}

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
}

# Whether a service gets an environment variable: its own prefix, the settings both read
# (MicroProfile's MP_*, the shared libraries' SIGIL_*) and what the JVM and tools need.
service_variable() { # name variable
    case $2 in
        "${1^^}"_* | MP_* | SIGIL_*) return 0 ;;
        PATH | HOME | USER | LOGNAME | LANG | LANGUAGE | LC_* | TZ | TMPDIR | JAVA_HOME | JDK_JAVA_OPTIONS | JAVA_TOOL_OPTIONS) return 0 ;;
        *) return 1 ;;
    esac
}

# env arguments that remove every other variable from a service's environment (env -u NAME):
# names only, so no value appears on a command line. Reads the environment as the service would
# get it, including names the shell cannot hold (a.b=...) and exported functions. Sets FOREIGN.
foreign_variables() { # name
    local name=$1 entry
    FOREIGN=()
    while IFS= read -r -d '' entry; do
        service_variable "$name" "${entry%%=*}" || FOREIGN+=(-u "${entry%%=*}")
    done < <(env -0)
}

start_service() { # name port war
    local name=$1 port=$2 war=$3 config=$ROOT/server-config/$1 options=()
    if [ -n "$(pid_of "$name")" ]; then return 0; fi
    port_busy "$port" && die "port $port is taken by another program; set ${name^^}_PORT to a free port"
    mkdir -p "$DATA_DIR/$name"
    # new files are the owner's (umask 077); this closes what an older run.sh left open
    chmod -R go= "$DATA_DIR/$name" || die "cannot make $DATA_DIR/$name readable by its owner only"
    [ -f "$config/jvm.options" ] && mapfile -t options < <(grep -v -e '^\s*#' -e '^\s*$' "$config/jvm.options")
    database_options "$name" "$config"
    foreign_variables "$name"
    say "Starting $name on port $port (${DATABASE_OPTIONS[0]:+PostgreSQL at $(db_var "$name" HOST):$(db_var "$name" PORT), }log: $DATA_DIR/$name.log)"
    rm -f "$DATA_DIR/$name.log" # a log of an older run.sh may be readable by others; this one is created anew
    nohup env "${FOREIGN[@]}" "$JAVA" "${options[@]}" -jar "$MICRO_JAR" \
        --nohazelcast \
        --port "$port" \
        --rootdir "$DATA_DIR/$name" \
        --prebootcommandfile "$config/pre-boot-commands.asadmin" \
        "${DATABASE_OPTIONS[@]}" \
        --deploy "$ROOT/$war" \
        >"$DATA_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$DATA_DIR/$name.pid"
}

# Whether Payara logged that the service's application failed to deploy, e.g. because a start-up
# check (the configured administrator, the key encryption secret) threw.
deployment_failed() { # name
    grep -q -e "Exception while loading the app" -e "Startup of context .* failed" "$DATA_DIR/$1.log"
}

deployment_causes() { # name: the distinct "Caused by:" lines of the log, the operator's to-do
    # Payara logs the failure line before the stack trace under it: wait (at most 5 s) until the
    # causes are logged and the log has stopped growing.
    local size=-1 now
    for _ in $(seq 1 25); do
        now=$(stat -c %s "$DATA_DIR/$1.log" 2>/dev/null || echo 0)
        [ "$now" = "$size" ] && grep -q -e '^Caused by: ' "$DATA_DIR/$1.log" && break
        size=$now
        sleep 0.2
    done
    printf '%s\n' "$1 did not deploy; from $DATA_DIR/$1.log:"
    grep -e '^Caused by: ' "$DATA_DIR/$1.log" | awk '!seen[$0]++' | head -n 10 | sed 's/^/  /' || true
}

wait_ready() { # name url: our own process must have booted and the application itself must answer
    local name=$1 url=$2 deadline=$((SECONDS + START_TIMEOUT))
    # "ready in" is printed even when a deployment failed, and a port taken by another program
    # would answer too: so require all three, our process alive, booted, and the URL answering.
    until [ -n "$(pid_of "$name")" ] && grep -q "Payara Micro .* ready in" "$DATA_DIR/$name.log" &&
        curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
        if [ -z "$(pid_of "$name")" ]; then
            tail -n 40 "$DATA_DIR/$name.log" >&2 || true
            die "$name stopped during start-up; see $DATA_DIR/$name.log"
        fi
        if deployment_failed "$name"; then
            # Payara Micro keeps running without the application (404 everywhere): stop it, fail closed
            deployment_causes "$name" >&2
            stop_service "$name" >&2
            die "$name failed to start: its application did not deploy (causes above); see $DATA_DIR/$name.log"
        fi
        [ $SECONDS -lt $deadline ] || die "$name did not answer $url within ${START_TIMEOUT}s; see $DATA_DIR/$name.log"
        sleep 0.2
    done
}

stop_service() {
    local name=$1 pid
    pid=$(pid_of "$name")
    [ -n "$pid" ] || return 0
    say "Stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$DATA_DIR/$name.pid"
}

start_all() {
    local auth business
    auth=$(pid_of auth); business=$(pid_of business)
    if [ -n "$auth" ] && [ -n "$business" ]; then
        die "Sigil is already running (auth pid $auth, business pid $business, data in $DATA_DIR). Stop it with ./run.sh stop"
    fi
    command -v curl >/dev/null || die "curl is needed"
    build_if_needed
    start_service auth "$AUTH_PORT" auth-war/target/auth.war
    start_service business "$BUSINESS_PORT" business-war/target/business.war
    wait_ready auth "$AUTH_URL/.well-known/jwks.json"
    wait_ready business "$BUSINESS_URL/status"
}

start_one() { # name
    local name=$1
    [ -z "$(pid_of "$name")" ] || die "$name is already running (pid $(pid_of "$name"))"
    command -v curl >/dev/null || die "curl is needed"
    build_if_needed
    case $name in
        auth) start_service auth "$AUTH_PORT" auth-war/target/auth.war
              wait_ready auth "$AUTH_URL/.well-known/jwks.json" ;;
        business) start_service business "$BUSINESS_PORT" business-war/target/business.war
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
        start_all
        trap 'say; stop_service business; stop_service auth; exit 0' INT TERM
        walkthrough
        say ""
        say "Press Ctrl-C to stop both services."
        while [ -n "$(pid_of auth)" ] || [ -n "$(pid_of business)" ]; do sleep 1; done
        say "Both services have stopped."
        ;;
    start)
        case ${2:-all} in
            auth | business) start_one "$2"; say "$2 is running."; exit 0 ;;
            all) ;;
            *) die "usage: ./run.sh start [auth|business]" ;;
        esac
        start_all
        walkthrough
        say ""
        say "Stop with: ./run.sh stop"
        ;;
    stop)
        case ${2:-all} in
            auth | business) stop_service "$2" ;;
            all) stop_service business; stop_service auth ;;
            *) die "usage: ./run.sh stop [auth|business]" ;;
        esac
        ;;
    status)
        for name in auth business; do
            pid=$(pid_of "$name")
            if [ -n "$pid" ]; then say "$name: running, pid $pid"; else say "$name: stopped"; fi
        done
        ;;
    *)
        die "usage: ./run.sh [run|start [auth|business]|stop [auth|business]|status]"
        ;;
esac
