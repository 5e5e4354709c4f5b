#!/usr/bin/env bash
# Thread stacks: both services started through run.sh with and without a smaller stack size
# (-Xss256k instead of the JVM's 1 MiB), sets alternating, each after the same short load
# (15 s of wrk on business's /dashboard and auth's /users/me with one token each); then each
# process's thread count, Native Memory Tracking's committed thread stacks and its resident
# memory. Rates are printed but are no measure here (one short run, not warm).
#
# Environment: AUTH_PORT (18480), BUSINESS_PORT (18481). Prints one line per process.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export AUTH_PORT=${AUTH_PORT:-18480} BUSINESS_PORT=${BUSINESS_PORT:-18481}
AUTH=http://127.0.0.1:$AUTH_PORT/auth
BUSINESS=http://127.0.0.1:$BUSINESS_PORT/business
WORK=$PWD/bench/target/thread-stacks
CREDENTIALS='"email":"stacks@example.com","password":"a long enough password"'
token() { # audience
    curl -fsS -H 'Content-Type: application/json' -d "{$CREDENTIALS,\"audience\":\"$1\"}" "$AUTH/login" \
        | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'
}
rm -rf "$WORK"; mkdir -p "$WORK"
for set in default xss256k default xss256k; do
    case $set in default) extra="" ;; *) extra="-Xss256k" ;; esac
    export DATA_DIR=$WORK/data-$set-$RANDOM
    export AUTH_JAVA_OPTIONS="-XX:NativeMemoryTracking=summary $extra"
    export BUSINESS_JAVA_OPTIONS="$AUTH_JAVA_OPTIONS"
    ./run.sh start >"$WORK/start.log" 2>&1 || { tail "$WORK/start.log"; exit 1; }
    curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{$CREDENTIALS}" "$AUTH/users"
    wrk -t2 -c64 -d15s -H "Authorization: Bearer $(token business)" "$BUSINESS/dashboard" >"$WORK/wrk-business.txt"
    wrk -t2 -c64 -d15s -H "Authorization: Bearer $(token auth)" "$AUTH/users/me" >"$WORK/wrk-auth.txt"
    sleep 5
    for service in auth business; do
        pid=$(cat "$DATA_DIR/$service.pid")
        rss=$(ps -o rss= -p "$pid" | awk '{printf "%d", $1/1024}')
        threads=$(ls "/proc/$pid/task" | wc -l)
        stacks=$(jcmd "$pid" VM.native_memory summary scale=KB | grep -E '^-\s+Thread \(' | tr -s ' ')
        echo "$set $service rss=${rss}MiB threads=$threads | $stacks"
    done
    echo "$set rates (not a measure): business $(grep Requests/sec "$WORK/wrk-business.txt"), auth $(grep Requests/sec "$WORK/wrk-auth.txt")"
    ./run.sh stop >/dev/null 2>&1
done
