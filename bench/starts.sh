#!/usr/bin/env bash
# Start times of both services through run.sh, two variants side by side, order alternating,
# each on its own kept data directory (after one start each that is not counted).
#
#   bench/starts.sh restarts   a restart with the build the root directory holds (the WAR is
#                              not passed again: Payara Micro loads the kept application) against
#                              a start after a new build (the root directory's copy made to
#                              differ: run.sh removes the old build from the root directory and
#                              passes the WAR); one deployment each
#   bench/starts.sh scanning   the WARs as built against copies with a WEB-INF/glassfish-web.xml
#                              that keeps Payara's deployment scanning to Sigil's own jars
#
# Environment: ROUNDS (4). Prints one line per start and writes bench/results/<date>-<mode>.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MODE=${1:-restarts}
ROUNDS=${ROUNDS:-4}
WORK=$PWD/bench/target/starts
export AUTH_PORT=${AUTH_PORT:-18380} BUSINESS_PORT=${BUSINESS_PORT:-18381}
case $MODE in
    restarts) VARIANTS=(kept newbuild) ;;
    scanning) VARIANTS=(built scan) ;;
    *) echo "usage: bench/starts.sh [restarts | scanning]" >&2; exit 2 ;;
esac
millis() { date +%s%3N; }

# what an earlier run of this script left running, in its own data directories only: never the
# operator's Sigil under ./data
for variant in kept newbuild built scan; do DATA_DIR=$WORK/data-$variant ./run.sh stop >/dev/null 2>&1 || true; done
rm -rf "$WORK"; mkdir -p "$WORK"
for kind in auth business; do cp "$kind-war/target/$kind.war" "$WORK/built-$kind.war"; done
restore() { for kind in auth business; do cp "$WORK/built-$kind.war" "$kind-war/target/$kind.war"; done; }
if [ "$MODE" = scanning ]; then
    mkdir -p "$WORK/descriptor/WEB-INF"
    cat >"$WORK/descriptor/WEB-INF/glassfish-web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<glassfish-web-app>
    <scanning-exclude>*</scanning-exclude>
    <scanning-include>sigil</scanning-include>
</glassfish-web-app>
XML
    for kind in auth business; do
        cp "$WORK/built-$kind.war" "$WORK/scan-$kind.war"
        (cd "$WORK/descriptor" && jar uf "$WORK/scan-$kind.war" WEB-INF/glassfish-web.xml)
    done
    trap restore EXIT
    trap 'exit 130' INT TERM # so that EXIT restores the built WARs on an interruption too
fi
use() { # variant: its WARs in place (scanning), its data directory
    if [ "$MODE" = scanning ]; then
        for kind in auth business; do cp "$WORK/$1-$kind.war" "$kind-war/target/$kind.war"; done
    fi
    export DATA_DIR=$WORK/data-$1
}
for variant in "${VARIANTS[@]}"; do use "$variant"; ./run.sh start >/dev/null; ./run.sh stop >/dev/null; done
lines=()
for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 )); then order=("${VARIANTS[@]}"); else order=("${VARIANTS[1]}" "${VARIANTS[0]}"); fi
    for variant in "${order[@]}"; do
        use "$variant"
        for kind in auth business; do
            if [ "$variant" = newbuild ]; then printf x >>"$DATA_DIR/$kind/applications/__internal/$kind/$kind.war"; fi
            start=$(millis); ./run.sh start "$kind" >/dev/null; took=$(( $(millis) - start ))
            deployments=$(sed 's/\x1b\[[0-9;]*m//g' "$DATA_DIR/$kind.log" |
                grep -c -e "successfully deployed in" -e "Loading application [a-z]* done in" || true)
            cpu=$(ps -o times= -p "$(cat "$DATA_DIR/$kind.pid")" | tr -d ' ')
            lines+=("| $round | $variant | $kind | $took | $cpu | $deployments |")
            echo "round $round: $variant $kind ${took} ms to answering, ${cpu} s CPU, $deployments deployment(s)"
        done
        ./run.sh stop >/dev/null
    done
done
mean() { # variant kind
    printf '%s\n' "${lines[@]}" | awk -F'|' -v v=" $1 " -v k=" $2 " '$3 == v && $4 == k {s += $5; c += $6; n++} END {printf "%.0f ms, %.1f s CPU", s / n, c / n}'
}
report=$(cat <<MD
Sigil start times ($MODE), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
run.sh start of one service at a time, to its first answer; $ROUNDS rounds, order of the variants alternating

| round | variant | service | ms to answering | CPU s at that moment | deployments in the log |
|------:|---------|---------|----------------:|---------------------:|-----------------------:|
$(printf '%s\n' "${lines[@]}")

| service | ${VARIANTS[0]} | ${VARIANTS[1]} |
|---------|------|------|
| auth | $(mean "${VARIANTS[0]}" auth) | $(mean "${VARIANTS[1]}" auth) |
| business | $(mean "${VARIANTS[0]}" business) | $(mean "${VARIANTS[1]}" business) |
MD
)
mkdir -p bench/results
printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-$MODE.md"
printf '\n%s\n' "$report"
