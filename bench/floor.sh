#!/usr/bin/env bash
# What Payara Micro itself needs, measured beside Sigil's services in one run: time from process
# start to first answer, and resident memory, of
#   bare      Payara Micro with no application (its HTTP listener's 404 at /)
#   floor     the smallest Jakarta REST application, one resource (bench/floor, /floor/status)
#   auth      auth.war    (/auth/.well-known/openid-configuration)
#   business  business.war (/business/status)
# each started as run.sh starts a service (server-config's JVM options and pre-boot commands, no
# data grid; bare and floor take auth's) on an empty root directory, ROUNDS (3) rounds in rotating
# order, one process at a time. Then floor and business, each alone, under the same load of their
# public GET (wrk, 64 connections, 3 x 20 s), with their resident memory and Native Memory
# Tracking's summary after it. Writes bench/results/<date>-floor.md.
#
# COMPARE=<directory>: a checkout of another commit, built (./mvnw package); its two services,
# with its own server-config and Payara Micro, join the starts as old-auth and old-business.
# JAVA_B=<java executable> [OPTIONS_B="<JVM options>"]: every variant runs a second time as
# <variant>-b, on that Java and with those options after server-config's, in the same rounds and
# under the same load, so that another JDK or setting is measured side by side.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18580}
WORK=$PWD/bench/target/floor
JAR=$PWD/target/payara-micro.jar
for file in "$JAR" auth-war/target/auth.war business-war/target/business.war; do
    [ -f "$file" ] || { echo "floor.sh: $file is missing; run ./mvnw package first" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "floor.sh: wrk is missing; bench/run.sh installs it" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK/api" "$WORK/war/WEB-INF/classes"
unzip -q -o -d "$WORK/api" "$JAR" MICRO-INF/runtime/jakarta.ws.rs-api.jar
javac -d "$WORK/war/WEB-INF/classes" -cp "$WORK/api/MICRO-INF/runtime/jakarta.ws.rs-api.jar" bench/floor/*.java
(cd "$WORK/war" && jar cf "$WORK/floor.war" WEB-INF)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
millis() { date +%s%3N; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
declare -A WAR=([bare]="" [floor]=$WORK/floor.war [auth]=$PWD/auth-war/target/auth.war
    [business]=$PWD/business-war/target/business.war)
declare -A URL=([bare]=/ [floor]=/floor/status [auth]=/auth/.well-known/openid-configuration
    [business]=/business/status)
declare -A ANSWER=([bare]=404 [floor]=200 [auth]=200 [business]=200)
declare -A CONFIG=([bare]=server-config/auth [floor]=server-config/auth [auth]=server-config/auth
    [business]=server-config/business)
declare -A RUNTIME=([bare]=$JAR [floor]=$JAR [auth]=$JAR [business]=$JAR)
declare -A JAVA_OF=([bare]=java [floor]=java [auth]=java [business]=java)
declare -A EXTRA=()
VARIANTS=(bare floor auth business)
LOADED=(floor business)
if [ -n "${JAVA_B:-}" ]; then
    for variant in bare floor auth business; do
        for map in WAR URL ANSWER CONFIG RUNTIME; do
            declare -n table=$map; table[$variant-b]=${table[$variant]}; unset -n table
        done
        JAVA_OF[$variant-b]=$JAVA_B
        EXTRA[$variant-b]=${OPTIONS_B:-}
        VARIANTS+=("$variant-b")
    done
    LOADED=(floor floor-b business business-b)
fi
if [ -n "${COMPARE:-}" ]; then
    COMPARE=$(cd "$COMPARE" && pwd)
    for kind in auth business; do
        WAR[old-$kind]=$COMPARE/$kind-war/target/$kind.war
        URL[old-$kind]=${URL[$kind]}
        ANSWER[old-$kind]=200
        CONFIG[old-$kind]=$COMPARE/server-config/$kind
        RUNTIME[old-$kind]=$COMPARE/target/payara-micro.jar
        JAVA_OF[old-$kind]=java
        [ -f "${WAR[old-$kind]}" ] || { echo "floor.sh: ${WAR[old-$kind]} is missing" >&2; exit 1; }
        VARIANTS+=("old-$kind")
    done
fi
PID=
start() { # variant [JVM option...]: starts it on an empty root directory, waits for its answer
    local variant=$1 config=${CONFIG[$1]} deploy=()
    shift
    [ -n "${WAR[$variant]}" ] && deploy=(--deploy "${WAR[$variant]}")
    local options=()
    mapfile -t options < <(grep -v -e '^\s*#' -e '^\s*$' "$config/jvm.options")
    local extra=()
    read -ra extra <<<"${EXTRA[$variant]:-}" # OPTIONS_B: options separated by spaces
    rm -rf "$WORK/root"
    STARTED=$(millis)
    "${JAVA_OF[$variant]}" "${options[@]}" "${extra[@]}" "$@" -jar "${RUNTIME[$variant]}" --nohazelcast --port "$PORT" --rootdir "$WORK/root" \
        --prebootcommandfile "$config/pre-boot-commands.asadmin" "${deploy[@]}" >"$WORK/$variant.log" 2>&1 &
    PID=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT${URL[$variant]}")" = "${ANSWER[$variant]}" ]; do
        kill -0 "$PID" 2>/dev/null || { echo "floor.sh: $variant stopped; see $WORK/$variant.log" >&2; exit 1; }
        sleep 0.05
    done
    TOOK=$(( $(millis) - STARTED ))
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; }
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null || true' EXIT

lines=()
for round in $(seq 1 "$ROUNDS"); do
    shift_by=$(( (round - 1) % ${#VARIANTS[@]} ))
    order=("${VARIANTS[@]:shift_by}" "${VARIANTS[@]:0:shift_by}")
    for variant in "${order[@]}"; do
        start "$variant"
        cpu=$(ps -o times= -p "$PID" | tr -d ' ')
        lines+=("| $round | $variant | $TOOK | $cpu | $(rss "$PID") |")
        echo "round $round: $variant ${TOOK} ms to its answer, ${cpu} s CPU, $(rss "$PID") MiB resident"
        stop
    done
done
mean() { # variant
    printf '%s\n' "${lines[@]}" | awk -F'|' -v v=" $1 " '$3 == v {s += $4; c += $5; n++; if (!min || $4 < min) min = $4; if ($4 > max) max = $4}
        END {printf "%.0f ms (%d to %d), %.1f s CPU", s / n, min, max, c / n}'
}

loads=()
for variant in "${LOADED[@]}"; do
    start "$variant" -XX:NativeMemoryTracking=summary
    before=$(rss "$PID")
    rates=()
    for _ in 1 2 3; do
        rates+=("$(wrk -t2 -c64 -d20s "http://127.0.0.1:$PORT${URL[$variant]}" | awk '/Requests\/sec/ {printf "%.0f", $2}')")
    done
    after=$(rss "$PID")
    jcmd=$(dirname "$(readlink -f "$(command -v "${JAVA_OF[$variant]}")")")/jcmd
    nmt=$("$jcmd" "$PID" VM.native_memory summary scale=MB |
        sed -n -E 's/^-? *(Total|Java Heap|Class|Thread|Code|GC|Symbol|Metaspace) *(:|\().*committed=([0-9]+)MB.*/\1 \3/p' |
        awk '{v = $NF; $NF = ""; sub(/ $/, ""); printf "%s%s %s MiB", (NR > 1 ? ", " : ""), $0, v}')
    loads+=("| $variant | $before | ${rates[*]} | $after | $nmt |")
    echo "$variant: $before MiB started, ${rates[*]} req/s, $after MiB after the load; $nmt"
    stop
done
PID=

more_rows=() # the rows of the -b and old- variants, if any: a table may hold no empty line
for variant in "${VARIANTS[@]}"; do
    [[ $variant == *-b ]] || continue
    more_rows+=("| $variant: ${variant%-b} on $("$JAVA_B" -version 2>&1 | head -n 1)${OPTIONS_B:+ with $OPTIONS_B} | $(mean "$variant") |")
done
if [ -n "${COMPARE:-}" ]; then
    more_rows+=("| old-auth: auth of $(git -C "$COMPARE" log -1 --format='%h, %cs' 2>/dev/null || echo "$COMPARE") | $(mean old-auth) |")
    more_rows+=("| old-business: business of the same | $(mean old-business) |")
fi

report=$(cat <<MD
Payara Micro's floor beside Sigil's services, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1), load average before the run $LOAD_BEFORE
Each start on an empty root directory with server-config's JVM options and pre-boot commands (bare and floor: auth's), no data grid, one process at a time, $ROUNDS rounds in rotating order; time from process start to the first answer of its URL

| round | variant | ms to its answer | CPU s by then | MiB resident by then |
|------:|---------|-----------------:|--------------:|---------------------:|
$(printf '%s\n' "${lines[@]}")

| variant | mean time to its answer (range), CPU |
|---------|--------------------------------------|
| bare: no application, the listener's 404 at / | $(mean bare) |
| floor: one Jakarta REST resource | $(mean floor) |
| auth | $(mean auth) |
| business | $(mean business) |
$(printf '%s\n' "${more_rows[@]}")

Under load, each alone (wrk, 64 connections, 3 x 20 s of its public GET; Native Memory Tracking's committed sizes after the load):

| variant | MiB resident when started | req/s of the three runs | MiB resident after the load | committed after the load |
|---------|--------------------------:|------------------------:|----------------------------:|--------------------------|
$(printf '%s\n' "${loads[@]}")
MD
)
mkdir -p bench/results
printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-floor.md"
printf '\n%s\n' "$report"
