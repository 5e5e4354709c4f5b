#!/usr/bin/env bash
# The benchmark suite: builds, starts both services the way ./run.sh does (same server-config),
# and measures, side by side in one run:
#   1. business: GET /business/status (public, no token) against GET /business/dashboard with a
#      pool of distinct valid tokens from auth's real endpoints (one login and a chain of
#      refreshes), 64 connections, interleaved rounds; then the same dashboard run with the
#      verified-token cache switched off, so every request goes through the validator;
#   2. auth: its own protected GET /users/me with the same tokens against its public discovery
#      document; login (PBKDF2 at the configured iterations) and refresh (no password hash);
#   3. cold start to first successful request, per service;
#   4. resident memory of each service after the load.
# Prints a results table and writes it to bench/results/latest.md (and a dated copy).
#
# Environment: DURATION (15s per run), CONNECTIONS (64), TOKENS_COUNT (10000), ROUNDS (2),
# AUTH_PORT (18280), BUSINESS_PORT (18281), PROFILE=1 to record JFR of business during the
# uncached run (bench/target/business.jfr).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
TOKENS_COUNT=${TOKENS_COUNT:-10000}
ROUNDS=${ROUNDS:-2}
export AUTH_PORT=${AUTH_PORT:-18280}
export BUSINESS_PORT=${BUSINESS_PORT:-18281}
export DATA_DIR=$ROOT/bench/target/data
AUTH=http://localhost:$AUTH_PORT/auth
BUSINESS=http://localhost:$BUSINESS_PORT/business
WORK=$ROOT/bench/target
EMAIL=bench@example.com
PASSWORD="benchmark password"
RESULTS=()

say() { printf '%s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
    say "Installing wrk (Debian package)..."
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null

say "Building..."
./mvnw -q -B -DskipTests package

./run.sh stop >/dev/null 2>&1 || true
rm -rf "$WORK" && mkdir -p "$WORK"
trap './run.sh stop >/dev/null 2>&1 || true' EXIT

millis() { date +%s%3N; }

# settle <service>: waits (at most 90 s) until the idle service uses under a tenth of a core,
# that is until its JIT compilers have worked off what the warm-up queued. On two cores a
# compiler still busy in a measured run takes a core from whichever side runs at that moment.
settle() {
    local pid ticks before after waited=0 hz
    pid=$(cat "$DATA_DIR/$1.pid"); hz=$(getconf CLK_TCK)
    ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
    while (( waited < 90 )); do
        before=$(ticks); sleep 2; after=$(ticks); waited=$(( waited + 2 ))
        (( (after - before) * 10 < 2 * hz )) && break
    done
    say "  $1 idle after ${waited} s"
}

# wrk_run <label> <url> <script> [connections] [threads]: one run, its RESULT line kept as a table row
wrk_run() {
    local label=$1 url=$2 script=$3 connections=${4:-$CONNECTIONS} threads=${5:-2} line
    line=$(wrk -t"$threads" -c"$connections" -d"$DURATION" --timeout 10s -s "$script" "$url" | grep '^RESULT') ||
        { say "wrk failed for $label"; exit 1; }
    read -r _ rps p50 p99 errors requests <<<"$line"
    say "  $label: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors"
    RESULTS+=("| $label | $rps | $p50 | $p99 | $errors | $requests |")
}

rps_of() { # the req/s of the last result row whose label is $1
    local row
    for row in "${RESULTS[@]}"; do
        if [[ $row == "| $1 |"* ]]; then echo "$row" | awk -F'|' '{gsub(/ /,"",$3); print $3}'; fi
    done | tail -n 1
}

say "Cold start: auth"
start=$(millis); ./run.sh start auth >/dev/null; AUTH_COLD=$(( $(millis) - start ))
say "Cold start: business"
start=$(millis); ./run.sh start business >/dev/null; BUSINESS_COLD=$(( $(millis) - start ))
java bench/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" 1 "$WORK/first.txt" >/dev/null
start=$(millis)
curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$WORK/first.txt")" "$BUSINESS/dashboard"
FIRST_DASHBOARD=$(( $(millis) - start ))

say "Warming up until the JIT compilers are done..."
# Three slices of 5,000 tokens of their own, a fresh slice per dashboard run, so that both the
# validator (first sight of a token) and the verified-token path are compiled; the measured
# tokens stay unseen. Then wait until the compilers have worked off their queue.
java bench/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$(( TOKENS_COUNT * 3 / 2 ))" "$WORK/warm.txt" >/dev/null
split -n l/3 -d "$WORK/warm.txt" "$WORK/warm-"
for slice in 0 1 2; do
    DURATION=10s wrk_run "warm-up status" "$BUSINESS/status" bench/wrk/plain.lua
    DURATION=10s TOKENS=$WORK/warm-0$slice wrk_run "warm-up dashboard" "$BUSINESS/dashboard" bench/wrk/tokens.lua
done
settle business
RESULTS=()

say "Getting $TOKENS_COUNT tokens from auth (one login, then refreshes)..."
start=$(millis)
java bench/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/tokens.txt" >&2
say "  $(( ($(millis) - start) / 1000 )) s"
export TOKENS=$WORK/tokens.txt

say "business, $CONNECTIONS connections, $DURATION per run, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
    wrk_run "business GET /status (no token)" "$BUSINESS/status" bench/wrk/plain.lua
    wrk_run "business GET /dashboard ($TOKENS_COUNT tokens)" "$BUSINESS/dashboard" bench/wrk/tokens.lua
done
STATUS_RPS=$(for row in "${RESULTS[@]}"; do echo "$row"; done | grep '/status' | awk -F'|' '{s+=$3; n++} END {printf "%.1f", s/n}')
DASHBOARD_RPS=$(for row in "${RESULTS[@]}"; do echo "$row"; done | grep '/dashboard' | awk -F'|' '{s+=$3; n++} END {printf "%.1f", s/n}')
BUSINESS_RSS=$(ps -o rss= -p "$(cat "$DATA_DIR/business.pid")" | awk '{printf "%d", $1/1024}')

say "auth's own protected endpoint against a public one, same tokens"
# warmed up like business: tokens of its own (the earlier warm-up pool has expired by now)
java bench/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/auth-warm.txt" >/dev/null
split -n l/2 -d "$WORK/auth-warm.txt" "$WORK/auth-warm-"
for slice in 0 1; do
    DURATION=10s wrk_run "warm-up" "$AUTH/.well-known/openid-configuration" bench/wrk/plain.lua
    DURATION=10s TOKENS=$WORK/auth-warm-0$slice wrk_run "warm-up" "$AUTH/users/me" bench/wrk/tokens.lua
done
settle auth
RESULTS=("${RESULTS[@]:0:${#RESULTS[@]}-4}")
AUTH_PUBLIC="auth GET /.well-known/openid-configuration (no token)"
AUTH_PROTECTED="auth GET /users/me ($TOKENS_COUNT tokens, reads the account)"
wrk_run "$AUTH_PUBLIC" "$AUTH/.well-known/openid-configuration" bench/wrk/plain.lua
wrk_run "$AUTH_PROTECTED" "$AUTH/users/me" bench/wrk/tokens.lua

say "business again, verified-token cache off: every request through the validator"
./run.sh stop business >/dev/null
if [ "${PROFILE:-0}" = 1 ]; then
    export JDK_JAVA_OPTIONS="-XX:StartFlightRecording=filename=$WORK/business.jfr,settings=profile"
fi
SIGIL_TOKENS_CACHE_SIZE=0 ./run.sh start business >/dev/null
unset JDK_JAVA_OPTIONS
# nothing is remembered now, so the warm-up may use the measured tokens: fresh ones, as the
# first pool may expire during this part
java bench/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/uncached.txt" >/dev/null
export TOKENS=$WORK/uncached.txt
for _ in 1 2 3; do
    DURATION=10s wrk_run "warm-up" "$BUSINESS/status" bench/wrk/plain.lua
    DURATION=10s wrk_run "warm-up" "$BUSINESS/dashboard" bench/wrk/tokens.lua
done
settle business
RESULTS=("${RESULTS[@]:0:${#RESULTS[@]}-6}")
wrk_run "business GET /status (no token), cache off" "$BUSINESS/status" bench/wrk/plain.lua
wrk_run "business GET /dashboard ($TOKENS_COUNT tokens), cache off" "$BUSINESS/dashboard" bench/wrk/tokens.lua
UNCACHED_STATUS=$(rps_of "business GET /status (no token), cache off")
UNCACHED_RPS=$(rps_of "business GET /dashboard ($TOKENS_COUNT tokens), cache off")

say "auth"
EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "auth POST /login (PBKDF2)" "$AUTH/login" bench/wrk/login.lua 4 2
java bench/Tokens.java refresh "$AUTH" "$EMAIL" "$PASSWORD" 8 "$WORK/refresh.txt" >/dev/null
TOKENS=$WORK/refresh.txt wrk_run "auth POST /refresh (8 chains)" "$AUTH/refresh" bench/wrk/refresh.lua 8 8
AUTH_RSS=$(ps -o rss= -p "$(cat "$DATA_DIR/auth.pid")" | awk '{printf "%d", $1/1024}')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
REPORT=$(cat <<MD
Sigil benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
wrk: $CONNECTIONS connections (auth login 4, refresh 8 chains), $DURATION per run

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| measure | value |
|---------|------:|
| protected / unprotected (dashboard / status, mean of $ROUNDS rounds) | $(ratio "$DASHBOARD_RPS" "$STATUS_RPS") |
| protected / unprotected, verified-token cache off | $(ratio "$UNCACHED_RPS" "$UNCACHED_STATUS") |
| auth: protected / unprotected (users/me / openid-configuration, one round) | $(ratio "$(rps_of "$AUTH_PROTECTED")" "$(rps_of "$AUTH_PUBLIC")") |
| cold start auth, process start to JWKS answering | $AUTH_COLD ms |
| cold start business, process start to /status answering | $BUSINESS_COLD ms |
| first /dashboard request after start (fetches the keys) | $FIRST_DASHBOARD ms |
| RSS auth after load | $AUTH_RSS MiB |
| RSS business after load | $BUSINESS_RSS MiB |
MD
)
mkdir -p bench/results
printf '%s\n' "$REPORT" | tee bench/results/latest.md > "bench/results/$(date -u +%Y%m%dT%H%M).md"
printf '\n%s\n' "$REPORT"
