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
#   scripts/cluster.sh start            build if stale, start PostgreSQL, four instances, nginx;
#                                       a start that fails stops again what it started
#   scripts/cluster.sh stop             stop all (PostgreSQL too); data stays under CLUSTER_DIR
#   scripts/cluster.sh status           what runs, and each instance's readiness
#   scripts/cluster.sh kill NAME        kill -9 one instance (auth-1, auth-2, business-1, business-2)
#   scripts/cluster.sh start-one NAME   start one instance again
#
# Environment: CLUSTER_PORT (8090; the instances listen on the next four ports),
# CLUSTER_HZ_PORT (6900; the grid uses it and the next), CLUSTER_DIR (target/cluster),
# CLUSTER_SECRETS_DIR (~/.config/sigil), PG_PORT (15432), JAVA (java), and service settings:
# AUTH_* and SIGIL_* reach the auth instances, BUSINESS_* and SIGIL_* the business instances,
# MP_* both; no *_DB_* variable reaches any, and no other variable but what a JVM needs
# (service_variable in scripts/lib.sh).
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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
CLUSTER_PORT=${CLUSTER_PORT:-8090}
CLUSTER_HZ_PORT=${CLUSTER_HZ_PORT:-6900}
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/target/cluster}
CLUSTER_SECRETS_DIR=${CLUSTER_SECRETS_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/sigil}
RUN_DIR=$CLUSTER_DIR
# The databases' settings reach the instances in post-boot files (scripts/postgres.sh), never
# through their environment, not even those left in the caller's shell.
DROP_VARIABLES=('*_DB_*')
PUBLIC=http://127.0.0.1:$CLUSTER_PORT
INSTANCES=(auth-1 auth-2 business-1 business-2)
# nginx's source address towards the instances. Clients connect from 127.0.0.1 unless they
# choose another loopback address on purpose: see "Shared host" in docs/OPERATIONS.md.
PROXY_ADDRESS=127.0.0.2
umask 077

# One issuer for every auth instance, whose keys business reads through the balancer; nginx is
# the one proxy whose X-Forwarded-For the login throttle believes; the auth instances share one
# database, so one key-encryption secret: the file auth-1 creates.
# the login throttle's counts are the cluster's: an auth instance without its data grid does not start
export AUTH_TOKEN_ISSUER=$PUBLIC/auth AUTH_THROTTLE_TRUSTED_PROXIES=$PROXY_ADDRESS AUTH_THROTTLE_SHARED=true
export AUTH_KEYS_ENCRYPTION_SECRET_FILE=${AUTH_KEYS_ENCRYPTION_SECRET_FILE:-$CLUSTER_DIR/auth-key-encryption.secret}
export MP_JWT_VERIFY_ISSUER=$PUBLIC/auth MP_JWT_VERIFY_PUBLICKEY_LOCATION=$PUBLIC/auth/.well-known/jwks.json

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

install_nginx() {
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && return 0
    say "installing nginx (Debian package)"
    apt_install nginx
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

grid_name() { # fails, rather than naming a guessable grid, when the secret cannot be had
    local secret
    secret=$(secret "$CLUSTER_SECRETS_DIR/grid.secret") && [ -n "$secret" ] || die "no data grid secret"
    echo "sigil-auth-$CLUSTER_PORT-$secret"
}

start_instance() { # instance
    local name=$1 kind=${1%-*} port post_boot grid_name= hz
    port=$(port_of "$name")
    [ -z "$(pid_of "$name")" ] || return 0
    # A port another program holds would get nginx's requests (passwords, tokens) or, for the
    # grid's ports, the members' join messages, which carry the grid's secret name: refuse.
    local taken
    for taken in "$port" $([ "$kind" != auth ] || echo $((CLUSTER_HZ_PORT + ${name#auth-} - 1))); do
        ! port_busy "$taken" || die "port $taken, $name's, is taken by another program; stop it or set CLUSTER_PORT / CLUSTER_HZ_PORT"
    done
    private_dirs
    post_boot=$("$ROOT/scripts/postgres.sh" post-boot "$kind")
    if [ "$kind" = auth ]; then grid_name=$(grid_name) || exit 1; fi
    # the service's own pre-boot settings, its HTTP listener on loopback only, and for auth
    # the data grid's name (a secret: this file is the instance's alone, 0600)
    { cat "$ROOT/server-config/$kind/pre-boot-commands.asadmin"; echo
      echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1"
      [ -z "$grid_name" ] || echo "set hazelcast-runtime-configuration.cluster-group-name=$grid_name"
    } >"$CLUSTER_DIR/$name-pre-boot.asadmin"
    local files=(--prebootcommandfile "$CLUSTER_DIR/$name-pre-boot.asadmin" --postbootcommandfile "$post_boot"
        --addlibs "$ROOT/target/postgresql.jar")
    if [ "$kind" = auth ]; then
        hz=$((CLUSTER_HZ_PORT + ${name#auth-} - 1))
        # The data grid: members found by TCP on loopback only, each backing up the other.
        start_service "$name" auth "$port" -Dhazelcast.socket.bind.any=false -- "${files[@]}" \
            --clustermode "tcpip:127.0.0.1:$CLUSTER_HZ_PORT,127.0.0.1:$((CLUSTER_HZ_PORT + 1))" \
            --interfaces 127.0.0.1 --startport "$hz" --nohostaware
    else
        start_service "$name" business "$port" "${files[@]}" --nohazelcast
    fi
}

ready() { # instance: until its readiness checks (database, keys) pass
    wait_ready "$1" "http://127.0.0.1:$(port_of "$1")/health/ready"
    say "$1 ready"
}

write_nginx_conf() {
    local tmp=$CLUSTER_DIR/nginx
    mkdir -p "$tmp"/{body,proxy,fastcgi,uwsgi,scgi}
    cat >"$CLUSTER_DIR/nginx.conf" <<EOF
# Generated by scripts/cluster.sh. Paths are quoted: a checkout may have spaces in its path.
worker_processes 1;
pid "$CLUSTER_DIR/nginx.pid";
error_log "$CLUSTER_DIR/nginx-error.log" warn;
events { worker_connections 1024; }
http {
    access_log "$CLUSTER_DIR/nginx-access.log";
    client_body_temp_path "$tmp/body";
    proxy_temp_path "$tmp/proxy";
    fastcgi_temp_path "$tmp/fastcgi";
    uwsgi_temp_path "$tmp/uwsgi";
    scgi_temp_path "$tmp/scgi";

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
        # RFC 8414 section 3: the metadata of issuer <host>/auth is at the host's root, the
        # issuer's path after the well-known name
        location = /.well-known/oauth-authorization-server/auth {
            proxy_pass http://auth/auth/.well-known/oauth-authorization-server;
        }
        # health, metrics and openapi stay on the instances, for operators only
        location / { return 404; }
    }
}
EOF
}

nginx_running() {
    [ -f "$CLUSTER_DIR/nginx.pid" ] && runs_with "$(cat "$CLUSTER_DIR/nginx.pid")" "$CLUSTER_DIR/nginx.conf"
}

start_nginx() {
    install_nginx
    write_nginx_conf
    if nginx_running; then
        "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -s reload
    else
        "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -e "$CLUSTER_DIR/nginx-error.log"
    fi
    say "nginx on $PUBLIC (auth at $PUBLIC/auth, business at $PUBLIC/business)"
}

private_dirs() {
    mkdir -p "$(dirname "$CLUSTER_DIR")" "$(dirname "$CLUSTER_SECRETS_DIR")"
    private_dir "$CLUSTER_DIR"
    private_dir "$CLUSTER_SECRETS_DIR"
}

stop_nginx() {
    ! nginx_running || "$(nginx_bin)" -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -s quit 2>/dev/null || true
    rm -f "$CLUSTER_DIR/nginx.pid"
}

start_all() {
    private_dirs
    build_if_stale target/postgresql.jar
    # A start that fails half-way (a port taken, a deployment refused, a timeout) stops what it
    # started, newest first; what ran before it, PostgreSQL for the tests say, keeps running.
    POSTGRES_RAN=false NGINX_RAN=false
    ! "$ROOT/scripts/postgres.sh" status || POSTGRES_RAN=true
    ! nginx_running || NGINX_RAN=true
    undo_on_failure undo_start
    "$ROOT/scripts/postgres.sh" start
    # auth-1 first: the administrator bootstrap (AUTH_ADMIN_EMAIL) is not coordinated between
    # instances, and two instances creating the same account at once would fail one start-up
    start_instance auth-1
    ready auth-1
    start_instance auth-2
    start_nginx
    start_instance business-1
    start_instance business-2
    ready auth-2
    ready business-1
    ready business-2
    say "cluster running: $PUBLIC/auth and $PUBLIC/business; logs in $CLUSTER_DIR"
}

undo_start() {
    say "the start failed; stopping what it started"
    stop_started
    $NGINX_RAN || stop_nginx
    $POSTGRES_RAN || "$ROOT/scripts/postgres.sh" stop
}

stop_all() {
    local name
    for name in "${INSTANCES[@]}"; do stop_service "$name"; done
    stop_nginx
    "$ROOT/scripts/postgres.sh" stop
}

status() {
    local name
    for name in "${INSTANCES[@]}"; do service_status "$name" "http://127.0.0.1:$(port_of "$name")/health/ready"; done
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
        undo_on_failure
        start_instance "$2"
        ready "$2"
        ;;
    *) die "usage: cluster.sh start|stop|status|kill NAME|start-one NAME" ;;
esac
