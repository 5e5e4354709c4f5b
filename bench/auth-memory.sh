#!/usr/bin/env bash
# Where auth's memory goes after the load of `bench/run.sh jvm`: auth alone, started as run.sh
# starts it (server-config's JVM options, then AUTH_JAVA_OPTIONS, with Native Memory Tracking),
# on an empty data directory; 4 rounds of 15 s of GET /users/me (64 connections, 10,000 access
# tokens) and 15 s of POST /refresh (8 chains); then its resident memory, Native Memory
# Tracking's committed sizes and the heap's use. Writes bench/results/<date>-auth-memory.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
WORK=$ROOT/bench/target/auth-memory
export AUTH_PORT=${AUTH_PORT:-18480}
export DATA_DIR=$WORK/data
export AUTH_JAVA_OPTIONS="-XX:NativeMemoryTracking=summary${AUTH_JAVA_OPTIONS:+ $AUTH_JAVA_OPTIONS}"
AUTH=http://127.0.0.1:$AUTH_PORT/auth
say() { printf '%s\n' "$*" >&2; }
die() { say "auth-memory.sh: $*"; exit 1; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
# the jcmd of the Java that run.sh starts (JAVA, or java on the path)
JCMD=$(dirname "$(readlink -f "$(command -v "${JAVA:-java}")")")/jcmd
[ -x "$JCMD" ] || die "no jcmd beside ${JAVA:-java}"
RUN_DIR=$DATA_DIR
command -v wrk >/dev/null || die "wrk is missing; bench/run.sh installs it"

rm -rf "$WORK"; mkdir -p "$WORK"
trap './run.sh stop auth >/dev/null 2>&1 || true' EXIT
./run.sh start auth >/dev/null
pid=$(pid_of auth)
[ -n "$pid" ] || die "auth is not running; see $DATA_DIR/auth.log"
java bench/wrk/Tokens.java access "$AUTH" bench@example.com "benchmark password" 10000 "$WORK/tokens.txt" >/dev/null
java bench/wrk/Tokens.java refresh "$AUTH" bench@example.com "benchmark password" 32 "$WORK/chains.txt" >/dev/null
rates=()
for round in 0 1 2 3; do
    rates+=("$(TOKENS=$WORK/tokens.txt wrk -t2 -c64 -d15s -s bench/wrk/tokens.lua "$AUTH/users/me" |
        awk '/Requests\/sec/ {printf "%.0f", $2}')")
    sed -n "$(( round * 8 + 1 )),$(( round * 8 + 8 ))p" "$WORK/chains.txt" >"$WORK/chains-$round.txt"
    rates+=("$(TOKENS=$WORK/chains-$round.txt wrk -t8 -c8 -d15s -s bench/wrk/refresh.lua "$AUTH/refresh" |
        awk '/Requests\/sec/ {printf "%.0f", $2}')")
done
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
nmt=$("$JCMD" "$pid" VM.native_memory summary scale=MB | grep -E '^(Total|-)')
heap=$("$JCMD" "$pid" GC.heap_info | tail -n +2)

report=$(cat <<MD
auth's memory after load, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("${JAVA:-java}" -version 2>&1 | head -n 1)
Options after server-config's: ${AUTH_JAVA_OPTIONS}
Rates (req/s), GET /users/me and POST /refresh alternating, 4 rounds: ${rates[*]}
Resident: $rss MiB

Native Memory Tracking, summary (MB):
\`\`\`
$nmt
\`\`\`
Heap:
\`\`\`
$heap
\`\`\`
MD
)
mkdir -p bench/results
printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-auth-memory.md"
printf '%s\n' "$report"
