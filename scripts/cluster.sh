#!/usr/bin/env bash
# Sigil scaled out on one machine, everything on loopback:
#
#   nginx :CLUSTER_PORT ─┬─ /auth/     → auth-1, auth-2         (one Hazelcast data grid, one PostgreSQL database)
#                        └─ /business/ → business-1, business-2 (stateless, one PostgreSQL database)
#
# The auth instances share their PostgreSQL database (users, sessions, keys) and Payara
# Micro's data grid (login failure counts), discovered over TCP on loopback. The business
# instances share nothing but their orders database; they read auth's keys through nginx.
# PostgreSQL and nginx are installed from Debian packages when missing.
#
#   scripts/cluster.sh start            build if needed, start PostgreSQL, four instances, nginx
#   scripts/cluster.sh stop             stop all (PostgreSQL too); data stays under CLUSTER_DIR
#   scripts/cluster.sh status           what runs, and each instance's readiness
#   scripts/cluster.sh kill NAME        kill -9 one instance (auth-1, auth-2, business-1, business-2)
#   scripts/cluster.sh start-one NAME   start one instance again
#
# Environment: CLUSTER_PORT (8090; the instances listen on the next four ports),
# CLUSTER_HZ_PORT (6900; the grid uses it and the next), CLUSTER_DIR (target/cluster),
# CLUSTER_SECRETS_DIR (~/.config/sigil), PG_PORT (15432), JAVA (java), and service settings:
# AUTH_* and SIGIL_* reach the auth instances, BUSINESS_* and SIGIL_* the business instances,
# MP_* both; no other variable reaches an instance but PATH, HOME, TMPDIR, JAVA_HOME, TZ, LANG
# and LC_*.
#
# On a shared host: files are created for the current user only (umask 077). The database
# passwords reach the instances in post-boot files (scripts/postgres.sh), never through their
# environment. The data grid's name, which a member must know to join and a client to connect,
# ends in a random secret kept in CLUSTER_SECRETS_DIR/grid.secret (0600) and is set in the
# instance's 0600 pre-boot file, not on its command line. nginx connects to the instances from
# PROXY_ADDRESS, the only address auth believes X-Forwarded-For from.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLUSTER_PORT=${CLUSTER_PORT:-8090}
CLUSTER_HZ_PORT=${CLUSTER_HZ_PORT:-6900}
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/target/cluster}
CLUSTER_SECRETS_DIR=${CLUSTER_SECRETS_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/sigil}
JAVA=${JAVA:-java}
MICRO_JAR=$ROOT/target/payara-micro.jar
PUBLIC=http://127.0.0.1:$CLUSTER_PORT
INSTANCES=(auth-1 auth-2 business-1 business-2)
# nginx's source address towards the instances. Clients connect from 127.0.0.1 unless they
# choose another loopback address on purpose: see "Shared host" in docs/OPERATIONS.md.
PROXY_ADDRESS=127.0.0.2
umask 077

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

port_of() { # instance
    case $1 in
        auth-1) echo $((CLUSTER_PORT + 1)) ;;
        auth-2) echo $((CLUSTER_PORT + 2)) ;;
        business-1) echo $((CLUSTER_PORT + 3)) ;;
        business-2) echo $((CLUSTER_PORT + 4)) ;;
        *) die "no instance $1 (auth-1, auth-2, business-1, business-2)" ;;
    esac
}

pid_of() { # instance: its pid if it runs
    local file=$CLUSTER_DIR/$1.pid pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; else rm -f "$file"; fi
}

install_nginx() {
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && return 0
    say "installing nginx (Debian package)"
    apt_install nginx
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

build_if_needed() {
    if [ ! -f "$ROOT/auth-war/target/auth.war" ] || [ ! -f "$ROOT/business-war/target/business.war" ] ||
        [ ! -f "$MICRO_JAR" ] || [ ! -f "$ROOT/target/postgresql.jar" ]; then
        say "building (./mvnw package, tests skipped)"
        (cd "$ROOT" && ./mvnw -q -B -DskipTests package) || die "build failed"
    fi
}

# Removes from this (sub)shell's environment every variable the instance of KIND must not see:
# the other service's settings, the database settings (they come in the post-boot file), and
# everything else that is not needed to run Java.
keep_only_settings_of() { # kind
    local own var
    if [ "$1" = auth ]; then own=AUTH_; else own=BUSINESS_; fi
    for var in $(compgen -e); do
        case $var in
            *_DB_*) ;;
            "$own"* | MP_* | SIGIL_* | PATH | HOME | TMPDIR | JAVA_HOME | TZ | LANG | LC_*) continue ;;
        esac
        export -n "$var"
    done
}

grid_name() { echo "sigil-auth-$CLUSTER_PORT-$(secret "$CLUSTER_SECRETS_DIR/grid.secret")"; }

start_instance() { # instance
    local name=$1 kind=${1%-*} port options=() grid=() post_boot grid_name=
    port=$(port_of "$name")
    [ -z "$(pid_of "$name")" ] || return 0
    private_dirs
    mkdir -p "$CLUSTER_DIR/$name"
    post_boot=$("$ROOT/scripts/postgres.sh" post-boot "$kind")
    [ "$kind" != auth ] || grid_name=$(grid_name)
    mapfile -t options < <(grep -v -e '^\s*#' -e '^\s*$' "$ROOT/server-config/$kind/jvm.options")
    # the service's own pre-boot settings, its HTTP listener on loopback only, and for auth
    # the data grid's name (a secret: this file is the instance's alone, 0600)
    { cat "$ROOT/server-config/$kind/pre-boot-commands.asadmin"; echo
      echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1"
      [ -z "$grid_name" ] || echo "set hazelcast-runtime-configuration.cluster-group-name=$grid_name"
    } >"$CLUSTER_DIR/$name-pre-boot.asadmin"
    if [ "$kind" = auth ]; then
        local hz=$((CLUSTER_HZ_PORT + ${name#auth-} - 1))
        # The data grid: members found by TCP on loopback only, each backing up the other.
        options+=(-Dhazelcast.socket.bind.any=false)
        grid=(--clustermode "tcpip:127.0.0.1:$CLUSTER_HZ_PORT,127.0.0.1:$((CLUSTER_HZ_PORT + 1))"
            --interfaces 127.0.0.1 --startport "$hz" --nohostaware)
    else
        grid=(--nohazelcast)
    fi
    say "starting $name on 127.0.0.1:$port"
    (
        keep_only_settings_of "$kind"
        if [ "$kind" = auth ]; then
            # nginx is the one proxy whose X-Forwarded-For the login throttle believes
            export AUTH_THROTTLE_TRUSTED_PROXIES=$PROXY_ADDRESS
            # one issuer for every auth instance
            export AUTH_TOKEN_ISSUER=$PUBLIC/auth
            # the auth instances share one database, so one key-encryption secret: the file auth-1 creates
            export AUTH_KEYS_ENCRYPTION_SECRET_FILE=${AUTH_KEYS_ENCRYPTION_SECRET_FILE:-$CLUSTER_DIR/auth-key-encryption.secret}
        fi
        # business reads the keys through the balancer
        export MP_JWT_VERIFY_ISSUER=$PUBLIC/auth MP_JWT_VERIFY_PUBLICKEY_LOCATION=$PUBLIC/auth/.well-known/jwks.json
        exec nohup "$JAVA" "${options[@]}" -jar "$MICRO_JAR" \
            "${grid[@]}" \
            --port "$port" \
            --rootdir "$CLUSTER_DIR/$name" \
            --prebootcommandfile "$CLUSTER_DIR/$name-pre-boot.asadmin" \
            --postbootcommandfile "$post_boot" \
            --addlibs "$ROOT/target/postgresql.jar" \
            --deploy "$ROOT/$kind-war/target/$kind.war" \
            >"$CLUSTER_DIR/$name.log" 2>&1 </dev/null
    ) &
    echo $! >"$CLUSTER_DIR/$name.pid"
}

wait_ready() { # instance: until its readiness checks (database, keys) pass
    local name=$1 port deadline=$((SECONDS + 240))
    port=$(port_of "$name")
    until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
        [ -n "$(pid_of "$name")" ] || { tail -n 40 "$CLUSTER_DIR/$name.log" >&2; die "$name stopped during start-up"; }
        [ $SECONDS -lt $deadline ] || die "$name not ready within 240 s; see $CLUSTER_DIR/$name.log"
        sleep 0.5
    done
    say "$name ready"
}

write_nginx_conf() {
    local tmp=$CLUSTER_DIR/nginx
    mkdir -p "$tmp"/{body,proxy,fastcgi,uwsgi,scgi}
    cat >"$CLUSTER_DIR/nginx.conf" <<EOF
# Generated by scripts/cluster.sh.
worker_processes 1;
pid $CLUSTER_DIR/nginx.pid;
error_log $CLUSTER_DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $CLUSTER_DIR/nginx-access.log;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;

    # An instance that refuses a connection or times out is skipped for 5 s.
    upstream auth {
        server 127.0.0.1:$(port_of auth-1) max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$(port_of auth-2) max_fails=1 fail_timeout=5s;
        keepalive 16;
    }
    upstream business {
        server 127.0.0.1:$(port_of business-1) max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$(port_of business-2) max_fails=1 fail_timeout=5s;
        keepalive 16;
    }

    server {
        listen 127.0.0.1:$CLUSTER_PORT;
        # Bodies and responses stay in memory: the temporary directories are in CLUSTER_DIR,
        # which nginx's workers (another user when started as root) may not enter.
        client_max_body_size 64k;
        client_body_buffer_size 64k;
        proxy_max_temp_file_size 0;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        # auth trusts X-Forwarded-For from this source address only; its one entry is the
        # client's address, whatever the client sent in its own X-Forwarded-For
        proxy_bind $PROXY_ADDRESS;
        proxy_set_header X-Forwarded-For \$remote_addr;
        proxy_connect_timeout 2s;
        proxy_read_timeout 30s;
        # A request that failed on one instance (connection refused or reset, timeout, 502/503)
        # is sent to the other; nginx does this only for idempotent methods (GET, HEAD, ...).
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 2;

        location /auth/ { proxy_pass http://auth; }
        # the revocation stream: each event passed on as it comes (auth's heartbeat every 10 s
        # keeps it inside proxy_read_timeout)
        location = /auth/revocations/events { proxy_pass http://auth; proxy_buffering off; }
        location /business/ { proxy_pass http://business; }
        # health, metrics and openapi stay on the instances, for operators only
        location / { return 404; }
    }
}
EOF
}

start_nginx() {
    install_nginx
    write_nginx_conf
    if [ -f "$CLUSTER_DIR/nginx.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/nginx.pid")" 2>/dev/null; then
        "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -s reload
    else
        "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -e "$CLUSTER_DIR/nginx-error.log"
    fi
    say "nginx on $PUBLIC (auth at $PUBLIC/auth, business at $PUBLIC/business)"
}

stop_instance() { # instance
    local pid
    pid=$(pid_of "$1")
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$CLUSTER_DIR/$1.pid"
}

private_dirs() {
    mkdir -p "$(dirname "$CLUSTER_DIR")" "$(dirname "$CLUSTER_SECRETS_DIR")"
    private_dir "$CLUSTER_DIR"
    private_dir "$CLUSTER_SECRETS_DIR"
}

start_all() {
    build_if_needed
    private_dirs
    "$ROOT/scripts/postgres.sh" start
    # auth-1 first: the administrator bootstrap (AUTH_ADMIN_EMAIL) is not coordinated between
    # instances, and two instances creating the same account at once would fail one start-up
    start_instance auth-1
    wait_ready auth-1
    start_instance auth-2
    start_nginx
    start_instance business-1
    start_instance business-2
    wait_ready auth-2
    wait_ready business-1
    wait_ready business-2
    say "cluster running: $PUBLIC/auth and $PUBLIC/business; logs in $CLUSTER_DIR"
}

stop_all() {
    local name
    for name in "${INSTANCES[@]}"; do stop_instance "$name"; done
    if [ -f "$CLUSTER_DIR/nginx.pid" ]; then
        "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -s quit 2>/dev/null || true
    fi
    "$ROOT/scripts/postgres.sh" stop
}

status() {
    local name port
    for name in "${INSTANCES[@]}"; do
        port=$(port_of "$name")
        if [ -n "$(pid_of "$name")" ]; then
            printf '%-11s 127.0.0.1:%s  pid %s  %s\n' "$name" "$port" "$(pid_of "$name")" \
                "$(curl -s --max-time 5 "http://127.0.0.1:$port/health/ready" || echo unreachable)"
        else
            printf '%-11s stopped\n' "$name"
        fi
    done
}

case ${1:-} in
    start) start_all ;;
    stop) stop_all ;;
    status) status ;;
    kill)
        pid=$(pid_of "${2:?usage: cluster.sh kill NAME}")
        [ -n "$pid" ] || die "${2} is not running"
        kill -KILL "$pid"
        rm -f "$CLUSTER_DIR/$2.pid"
        say "killed ${2} (pid $pid)"
        ;;
    start-one)
        port_of "${2:?usage: cluster.sh start-one NAME}" >/dev/null
        start_instance "$2"
        wait_ready "$2"
        ;;
    *) die "usage: cluster.sh start|stop|status|kill NAME|start-one NAME" ;;
esac
