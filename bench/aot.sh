#!/usr/bin/env bash
# Start time with classes archived ahead of time against today's start, each service on a first
# start (an empty root directory, its WAR deployed once), one process at a time, ROUNDS (3)
# rounds in rotating order. Variants per service:
#   plain    java (17) -jar payara-micro.jar, as run.sh starts it
#   launcher java (17) -jar <root>/launch-micro.jar (Payara Micro's --outputlauncher: its runtime
#            on the class path, so the JDK's own class loader loads it and an archive can hold it)
#   cds      the same with -XX:SharedArchiveFile=<file>: Java 17's class-data sharing, the archive
#            recorded once per service by a training start (-XX:ArchiveClassesAtExit)
#   aot      JAVA25 with the launcher and -XX:AOTCache=<file> (JEP 483/514/515), recorded once per
#            service by a training start (-XX:AOTCacheOutput)
# A training start serves the service's URL and stops; the archive is written as the JVM exits.
# An archive names the class path it was made for, so each launcher start restores the same root
# directory path from a template (cp -a keeps the jars' times). Writes bench/results/<date>-aot.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18590}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
WORK=$PWD/bench/target/aot
JAR=$PWD/target/payara-micro.jar
for file in "$JAR" auth-war/target/auth.war business-war/target/business.war "$JAVA25"; do
    [ -f "$file" ] || { echo "aot.sh: $file is missing (./mvnw package; JAVA25=<java 25>)" >&2; exit 1; }
done
declare -A URL=([auth]=/auth/.well-known/openid-configuration [business]=/business/status)
millis() { date +%s%3N; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
rm -rf "$WORK"; mkdir -p "$WORK"
java -jar "$JAR" --rootdir "$WORK/template" --outputlauncher >"$WORK/template.log" 2>&1
PID=
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null || true' EXIT
start() { # kind variant [JVM option...]
    local kind=$1 variant=$2 config=server-config/$1 root=$WORK/root options=() launch
    shift 2
    mapfile -t options < <(grep -v -e '^\s*#' -e '^\s*$' "$config/jvm.options")
    rm -rf "$root"
    [ "$variant" = plain ] || cp -a "$WORK/template" "$root"
    case $variant in
        plain) launch=(java "${options[@]}" "$@" -jar "$JAR") ;;
        launcher) launch=(java "${options[@]}" "$@" -jar "$root/launch-micro.jar") ;;
        cds) launch=(java "${options[@]}" "-XX:SharedArchiveFile=$WORK/$kind.jsa" "$@" -jar "$root/launch-micro.jar") ;;
        aot) launch=("$JAVA25" "${options[@]}" "-XX:AOTCache=$WORK/$kind.aot" "$@" -jar "$root/launch-micro.jar") ;;
        train-cds) launch=(java "${options[@]}" "-XX:ArchiveClassesAtExit=$WORK/$kind.jsa" -jar "$root/launch-micro.jar") ;;
        train-aot) launch=("$JAVA25" "${options[@]}" "-XX:AOTCacheOutput=$WORK/$kind.aot" -jar "$root/launch-micro.jar") ;;
    esac
    STARTED=$(millis)
    "${launch[@]}" --nohazelcast --port "$PORT" --rootdir "$root" \
        --prebootcommandfile "$config/pre-boot-commands.asadmin" --deploy "$PWD/$kind-war/target/$kind.war" \
        >"$WORK/$kind-$variant.log" 2>&1 &
    PID=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT${URL[$kind]}")" = 200 ]; do
        kill -0 "$PID" 2>/dev/null || { echo "aot.sh: $kind $variant stopped; see $WORK/$kind-$variant.log" >&2; exit 1; }
        sleep 0.05
    done
    TOOK=$(( $(millis) - STARTED ))
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
trained=()
for kind in auth business; do # training: an archive is written when the JVM exits
    for archive in cds:jsa aot:aot; do
        start "$kind" "train-${archive%:*}"
        trained+=("training start of $kind for ${archive%:*}: $TOOK ms to its answer")
        echo "${trained[-1]}"
        stop
        [ -s "$WORK/$kind.${archive#*:}" ] || { echo "aot.sh: no ${archive%:*} archive for $kind" >&2; exit 1; }
    done
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
VARIANTS=(plain launcher cds aot)
lines=()
for round in $(seq 1 "$ROUNDS"); do
    shift_by=$(( (round - 1) % ${#VARIANTS[@]} ))
    order=("${VARIANTS[@]:shift_by}" "${VARIANTS[@]:0:shift_by}")
    for kind in auth business; do
        for variant in "${order[@]}"; do
            start "$kind" "$variant"
            cpu=$(ps -o times= -p "$PID" | tr -d ' ')
            lines+=("| $round | $kind | $variant | $TOOK | $cpu | $(rss "$PID") |")
            echo "round $round: $kind $variant ${TOOK} ms, ${cpu} s CPU, $(rss "$PID") MiB"
            stop
        done
    done
done
mean() { # kind variant
    printf '%s\n' "${lines[@]}" | awk -F'|' -v k=" $1 " -v v=" $2 " '$3 == k && $4 == v {s += $5; c += $6; r += $7; n++; if (!min || $5 < min) min = $5; if ($5 > max) max = $5}
        END {printf "%.0f ms (%d to %d) | %.1f s | %.0f MiB", s / n, min, max, c / n, r / n}'
}
report=$(cat <<MD
Classes archived ahead of time against today's start, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before the rounds $LOAD_BEFORE
plain: $(java -version 2>&1 | head -n 1), -jar payara-micro.jar; launcher: the same Java, Payara Micro's root-directory launcher; cds: the same with the class-data sharing archive of a training start ($(du -m "$WORK/auth.jsa" | cut -f1) MiB for auth, $(du -m "$WORK/business.jsa" | cut -f1) MiB for business); aot: $("$JAVA25" -version 2>&1 | head -n 1), the launcher and the ahead-of-time cache of a training start ($(du -m "$WORK/auth.aot" | cut -f1) MiB for auth, $(du -m "$WORK/business.aot" | cut -f1) MiB for business)
$(printf '%s\n' "${trained[@]}")
Each a first start (empty root directory, the WAR deployed once), server-config's JVM options and pre-boot commands, no data grid, one process at a time, $ROUNDS rounds in rotating order; time from process start to the first 200 of its URL

| round | service | variant | ms to its answer | CPU s by then | MiB resident by then |
|------:|---------|---------|-----------------:|--------------:|---------------------:|
$(printf '%s\n' "${lines[@]}")

| service | variant | mean time to its answer (range) | mean CPU | mean resident |
|---------|---------|---------------------------------|---------:|--------------:|
| auth | plain | $(mean auth plain) |
| auth | launcher | $(mean auth launcher) |
| auth | cds | $(mean auth cds) |
| auth | aot | $(mean auth aot) |
| business | plain | $(mean business plain) |
| business | launcher | $(mean business launcher) |
| business | cds | $(mean business cds) |
| business | aot | $(mean business aot) |
MD
)
mkdir -p bench/results
printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-aot.md"
printf '\n%s\n' "$report"
