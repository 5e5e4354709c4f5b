#!/usr/bin/env bash
# The benchmark suite: builds, starts both services the way ./run.sh does (same server-config),
# and measures, side by side in one run:
#   1. business: GET /business/status (public, no token) against GET /business/dashboard with a
#      pool of distinct valid tokens from auth's real endpoints (one login and a chain of
#      refreshes), 64 connections, interleaved rounds whose order alternates; then the same pair with the
#      verified-token cache switched off, so every request goes through the validator;
#   2. auth: its own protected GET /users/me with the same tokens against its public discovery
#      document; login (PBKDF2 at the configured iterations) and refresh (no password hash);
#   3. cold start to first successful request, per service;
#   4. resident memory of each service after the load.
# Prints a results table and writes it to bench/results/latest.md (and a dated copy).
#
#   bench/run.sh jmh [JMH arguments]   the JMH microbenchmarks of bench/jmh (signing with auth's
#                             TokenIssuer, the validation path, the password hash): builds them,
#                             then runs java -jar bench/jmh/target/benchmarks.jar with the arguments
#   bench/run.sh revocations  only the protected / unprotected ratio of business with an empty
#                             and with a full revocation list, on one warm business (about 7 minutes)
#   bench/run.sh durability   only the cost of durable commits on the embedded database: auth's
#                             login and refresh rates with H2's write delay off and on, warmed
#                             up until steady, then alternating rounds (about 8 minutes);
#                             bench/results/<date>-durability.md
#   bench/run.sh engines      only auth's refresh of 8 independent users on H2 written at commit,
#                             H2 written later, and a second auth on HSQLDB with its log synced
#                             at commit, side by side (about 10 minutes); bench/results/<date>-engines-in-server.md
#   bench/run.sh jvm          two sets of JVM options side by side: both services twice, one pair
#                             with server-config's jvm.options plus OPTIONS_A (default none), one
#                             plus OPTIONS_B; cold starts, then business's /dashboard and auth's
#                             /users/me and /refresh, alternating rounds, then resident memory
#                             (15 to 25 minutes); bench/results/<date>-jvm.md
#   bench/run.sh logins       only auth's login rate with the JDK's PBKDF2 (the platform's
#                             Pbkdf2PasswordHash, before) and with Pbkdf2Hash (after): a second auth
#                             built from the committed sources with PasswordHasher on the platform's
#                             hash, both warm, alternating rounds (about 8 minutes);
#                             bench/results/<date>-logins.md
#
# Environment: DURATION (15s per run; durability 8s), CONNECTIONS (64), TOKENS_COUNT (10000), ROUNDS (4, business),
# REVOKED (1000 revocations for the full list),
# WARM_MAX (12 warm-up pairs at most; durability 5),
# AUTH_PORT (18280), BUSINESS_PORT (18281), PROFILE=1 to record JFR of business during the
# uncached run (bench/target/business.jfr).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

MODE=${1:-suite}
case $MODE in
    suite | revocations) DURATION=${DURATION:-15s} ;;
    durability | engines) DURATION=${DURATION:-8s} ;;
    logins | jvm) DURATION=${DURATION:-15s} ;;
    jmh)
        ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl bench/jmh -am
        exec "${JAVA:-java}" -jar bench/jmh/target/benchmarks.jar "${@:2}" ;;
    *) printf 'usage: bench/run.sh [revocations | durability | engines | logins | jvm | jmh [JMH arguments]]\n' >&2; exit 2 ;;
esac
CONNECTIONS=${CONNECTIONS:-64}
TOKENS_COUNT=${TOKENS_COUNT:-10000}
ROUNDS=${ROUNDS:-4}
REVOKED=${REVOKED:-1000}
case $MODE in durability | engines | logins) WARM_MAX=${WARM_MAX:-5} ;; *) WARM_MAX=${WARM_MAX:-12} ;; esac
export AUTH_PORT=${AUTH_PORT:-18280}
export BUSINESS_PORT=${BUSINESS_PORT:-18281}
BEFORE_PORT=${BEFORE_PORT:-18282}
export DATA_DIR=$ROOT/bench/target/data
AUTH=http://127.0.0.1:$AUTH_PORT/auth
BUSINESS=http://127.0.0.1:$BUSINESS_PORT/business
WORK=$ROOT/bench/target
EMAIL=bench@example.com
PASSWORD="benchmark password"
RESULTS=()

RUN_DIR=$DATA_DIR

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/run.sh: $*"; exit 1; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { say "Installing $tool (Debian package)..."; apt_install "$tool"; }
done
build_if_stale

./run.sh stop >/dev/null 2>&1 || true
rm -rf "$WORK" && mkdir -p "$WORK"
BEFORE=$WORK/before
trap './run.sh stop >/dev/null 2>&1 || true; [ ! -x "$BEFORE/run.sh" ] || DATA_DIR=$WORK/before-data "$BEFORE/run.sh" stop >/dev/null 2>&1 || true
      [ ! -x "$WORK/hsqldb/run.sh" ] || DATA_DIR=$WORK/hsqldb-data "$WORK/hsqldb/run.sh" stop >/dev/null 2>&1 || true
      for set in a b; do [ ! -d "$WORK/$set" ] || DATA_DIR=$WORK/$set ./run.sh stop >/dev/null 2>&1 || true; done' EXIT

millis() { date +%s%3N; }
BENCH_START_MS=$(millis)

# settle <service>: waits (at most 90 s) until the idle service uses under a tenth of a core,
# that is until its JIT compilers have worked off what the warm-up queued. On two cores a
# compiler still busy in a measured run takes a core from whichever side runs at that moment.
settle() {
    local pid ticks before after waited=0 hz
    pid=$(pid_of "$1"); hz=$(getconf CLK_TCK)
    ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
    while (( waited < 90 )); do
        before=$(ticks); sleep 2; after=$(ticks); waited=$(( waited + 2 ))
        (( (after - before) * 10 < 2 * hz )) && break
    done
    say "  $1 idle after ${waited} s"
}

# wrk_result <url> <script> [connections] [threads]: one run of DURATION, its RESULT line
wrk_result() {
    wrk -t"${4:-2}" -c"${3:-$CONNECTIONS}" -d"$DURATION" --timeout 10s -s "$2" "$1" | grep '^RESULT'
}

# wrk_run <label> <url> <script> [connections] [threads]: one run, its RESULT line kept as a table row
wrk_run() {
    local label=$1 line
    line=$(wrk_result "$2" "$3" "${4:-$CONNECTIONS}" "${5:-2}") || { say "wrk failed for $label"; exit 1; }
    read -r _ rps p50 p99 errors requests <<<"$line"
    say "  $label: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors"
    RESULTS+=("| $label | $rps | $p50 | $p99 | $errors | $requests |")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

mean_rps() { # the mean req/s of all result rows whose label is $1
    local row
    for row in "${RESULTS[@]}"; do
        if [[ $row == "| $1 |"* ]]; then echo "$row"; fi
    done | awk -F'|' '{s+=$3; n++} END {printf "%.1f", s/n}'
}

first_rps() { # the req/s of the first result row whose label is $1
    local row
    for row in "${RESULTS[@]}"; do
        if [[ $row == "| $1 |"* ]]; then echo "$row" | awk -F'|' '{gsub(/ /,"",$3); print $3}'; fi
    done | head -n 1
}

# compare <rounds> <public label> <public url> <protected label> <protected url>: interleaved
# runs of the two endpoints (protected ones cycle through $TOKENS), public first in odd rounds
# and protected first in even ones, so that a drift during the measurement (a compiler
# finishing, the neighbours on this shared machine) falls on both sides alike
compare() {
    local rounds=$1 public_label=$2 public_url=$3 protected_label=$4 protected_url=$5 round
    for round in $(seq 1 "$rounds"); do
        if (( round % 2 )); then
            wrk_run "$public_label" "$public_url" bench/wrk/plain.lua
            wrk_run "$protected_label" "$protected_url" bench/wrk/tokens.lua
        else
            wrk_run "$protected_label" "$protected_url" bench/wrk/tokens.lua
            wrk_run "$public_label" "$public_url" bench/wrk/plain.lua
        fi
    done
}

# warm_up <service> <public url> <protected url>: pairs of 10 s runs (the public endpoint, then
# the protected one with a fresh slice of TOKENS_COUNT / 2 tokens from auth, so that every run
# mixes first sights, which go through the validator, with tokens seen before, as the measured
# rounds do) until neither rate moved by more than 5 % from the pair before (at least 3 pairs,
# at most WARM_MAX), then waits until the idle service's compilers are done. A fresh JVM here
# keeps getting faster for minutes: in one run the protected endpoint went from 1,400 to 9,800
# requests a second over eight pairs, so a fixed short warm-up measured a service still
# compiling. After a warm-up that ended on tokens seen before, the C2 compiler was at work again
# in the first round of new tokens (4 % of its CPU samples).
warm_up() {
    local service=$1 public=$2 protected=$3 pair=0 file
    local public_rps protected_rps last_public=0 last_protected=0
    while (( pair < WARM_MAX )); do
        pair=$(( pair + 1 ))
        file=$WORK/warm-$service-$pair.txt
        java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$(( TOKENS_COUNT / 2 ))" "$file" >/dev/null
        public_rps=$(TOKENS=$file DURATION=10s wrk_result "$public" bench/wrk/plain.lua | awk '{print $2}')
        protected_rps=$(TOKENS=$file DURATION=10s wrk_result "$protected" bench/wrk/tokens.lua | awk '{print $2}')
        say "  warm-up $pair: public $public_rps req/s, protected $protected_rps req/s"
        if (( pair >= 3 )) && steady "$last_public" "$public_rps" && steady "$last_protected" "$protected_rps"; then
            break
        fi
        last_public=$public_rps; last_protected=$protected_rps
    done
    settle "$service"
}

steady() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a > 0 && b < a * 1.05 && b > a * 0.95)}'; }
all_steady() { # "a1 a2 …" "b1 b2 …": every b within 5 % of its a
    local -a a=($1) b=($2); local i
    (( ${#a[@]} == ${#b[@]} )) || return 1
    for i in "${!a[@]}"; do steady "${a[$i]}" "${b[$i]}" || return 1; done
}

# The cost of durable commits on the embedded H2 database (docs/OPERATIONS.md, "Durability"):
# auth's login (PBKDF2, then a session row) and refresh (a token spent, a new one stored) with
# the write delay off, as server-config sets it (WRITE_DELAY=0: each commit is written to the
# file before the answer), and on (H2's default of 500 ms: commits reach the file up to half a
# second later), in rounds whose order alternates, against one warm auth process. Refresh is
# measured twice: 8 sessions of one user, which serialise on that user's row (Sessions), and 8
# users with a session each, as independent clients are. The setting is switched live through
# H2's auto-server (SET WRITE_DELAY) and read back after every run: should the pool open a
# connection, whose URL sets 0, the run is void. Written later is H2 as it was before: its own
# retention of 45 s, and auth's H2Upkeep idle (it works only while the write delay is 0, and
# then lowers the retention to 5 s again within a second). The warm-up repeats pairs of
# refresh runs at both settings until no rate moved by more than 5 % from the pair before (at
# least 3 pairs, at most WARM_MAX): in an earlier version with one warm-up pair the rates still
# rose by half from the first round to the last, and the ratio with them.
# auth_sql <statement>: runs it on the usual auth's embedded H2 database through its auto-server
auth_sql() {
    [ -f "$WORK/h2.jar" ] || unzip -p target/payara-micro.jar MICRO-INF/runtime/h2.jar >"$WORK/h2.jar"
    java -cp "$WORK/h2.jar" org.h2.tools.Shell -url "jdbc:h2:$DATA_DIR/auth/lib/databases/embedded_default;AUTO_SERVER=TRUE" \
        -user "" -password "" -sql "$1"
}

# set_write_delay <ms>: sets auth's H2 write delay (and H2's own retention with a delay)
set_write_delay() {
    auth_sql "SET WRITE_DELAY $1" >/dev/null
    [ "$1" = 0 ] || auth_sql "SET RETENTION_TIME 45000" >/dev/null
}

# assert_write_delay <ms>: exits unless auth's H2 write delay is still <ms>: a connection the
# pool opened meanwhile, whose URL sets 0, voids the run
assert_write_delay() {
    [ "$(auth_sql "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'" | sed -n 2p)" = "$1" ] ||
        { say "WRITE_DELAY was not $1 throughout the run; the pool opened a connection?"; exit 1; }
}

# warm_rounds <label> <setting>...: rounds of "measure <setting>" for every setting until no
# rate moved by more than 5 % from the round before (at least 3 rounds, at most WARM_MAX); sets
# warm to what happened. measure appends each run's rate to rates.
warm_rounds() {
    local label=$1 round=0 last_rates="" setting
    shift
    warm="rates not steady within 5 % after $WARM_MAX warm-up $label (the most allowed)"
    while (( round < WARM_MAX )); do
        round=$(( round + 1 )); rates=""
        for setting in "$@"; do measure "$setting"; done
        if (( round >= 3 )) && all_steady "$last_rates" "$rates"; then warm="rates steady after $round warm-up $label"; return; fi
        last_rates=$rates
    done
}

durability() {
    local round setting order run=0 report runs user rates warm
    local database=$DATA_DIR/auth/lib/databases/embedded_default
    label() { if [ "$1" = 0 ]; then echo "written at commit (WRITE_DELAY=0)"; else echo "written later (WRITE_DELAY=$1)"; fi; }
    label_one() { echo "auth POST /refresh, 8 sessions of one user, $(label "$1")"; }
    label_many() { echo "auth POST /refresh, 8 users, $(label "$1")"; }
    label_login() { echo "auth POST /login, $(label "$1")"; }
    last_rps() { printf '%s\n' "${RESULTS[-1]}" | awk -F'|' '{gsub(/ /,"",$3); print $3}'; }
    measure() { # setting [login]: the refresh runs (8 new chains each) at this write delay, the login run if asked
        set_write_delay "$1"
        if [ "${2:-}" = login ]; then
            EMAIL=$EMAIL PASSWORD=$PASSWORD DURATION=5s wrk_run "$(label_login "$1")" "$AUTH/login" bench/wrk/login.lua 4 2
        fi
        sed -n "$(( run * 8 + 1 )),$(( run * 8 + 8 ))p" "$WORK/chains-one.txt" >"$WORK/chains-one-$run.txt"
        TOKENS=$WORK/chains-one-$run.txt wrk_run "$(label_one "$1")" "$AUTH/refresh" bench/wrk/refresh.lua 8 8
        rates+=" $(last_rps)"
        for user in $(seq 1 8); do sed -n "$(( run + 1 ))p" "$WORK/chains-user-$user.txt"; done >"$WORK/chains-many-$run.txt"
        TOKENS=$WORK/chains-many-$run.txt wrk_run "$(label_many "$1")" "$AUTH/refresh" bench/wrk/refresh.lua 8 8
        rates+=" $(last_rps)"
        run=$(( run + 1 ))
        assert_write_delay "$1"
    }
    say "Starting auth"
    ./run.sh start auth >/dev/null
    runs=$(( ROUNDS * 2 + WARM_MAX * 2 ))
    say "Start tokens: $runs runs of 8 sessions of one user, and of 8 users with one session each..."
    java bench/wrk/Tokens.java refresh "$AUTH" "$EMAIL" "$PASSWORD" $(( runs * 8 )) "$WORK/chains-one.txt" >/dev/null &
    for user in $(seq 1 8); do
        java bench/wrk/Tokens.java refresh "$AUTH" "bench-$user@example.com" "$PASSWORD" "$runs" "$WORK/chains-user-$user.txt" >/dev/null &
    done
    wait
    say "Warm-up: pairs of refresh runs at both settings until the rates stop moving"
    warm_rounds pairs 0 500
    say "  $warm"
    EMAIL=$EMAIL PASSWORD=$PASSWORD DURATION=5s wrk_run "login warm-up" "$AUTH/login" bench/wrk/login.lua 4 2
    settle auth
    RESULTS=()
    say "$ROUNDS rounds, refresh $DURATION and login 5 s per run"
    for round in $(seq 1 "$ROUNDS"); do
        if (( round % 2 )); then order="0 500"; else order="500 0"; fi
        for setting in $order; do measure "$setting" login; done
    done
    row() { # label function: one row of the summary
        local commit later
        commit=$(mean_rps "$($2 0)"); later=$(mean_rps "$($2 500)")
        echo "| $1 | $commit | $later | $(ratio "$commit" "$later") |"
    }
    report=$(cat <<MD
Sigil durability benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
auth on the embedded H2 database; wrk: login 4 connections 5 s, refresh 8 chains $DURATION; $warm; $ROUNDS rounds, order alternating

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| measure (mean of $ROUNDS runs) | written at commit | written later (500 ms) | ratio |
|--------------------------------|------------------:|-----------------------:|------:|
$(row "login req/s" label_login)
$(row "refresh req/s, 8 sessions of one user" label_one)
$(row "refresh req/s, 8 users" label_many)

H2 file after the benchmark ($(( run )) refresh runs and the logins): $(( $(stat -c %s "$database.mv.db") / 1048576 )) MiB
MD
)
    mkdir -p bench/results
    printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-durability.md"
    printf '\n%s\n' "$report"
}

# Login with the JDK's PBKDF2 against login with Pbkdf2Hash (docs/SECURITY.md, "Passwords and logins"), in
# one run: a second auth, "before", built from the committed sources with PasswordHasher's hash
# swapped back to the platform's Pbkdf2PasswordHash (which runs the JDK's PBKDF2WithHmacSHA256),
# the only difference; same server-config, same 600,000 iterations. Both run side by side on
# their own ports and databases, the idle one idle; each is warmed up with login runs until its
# rate moved by less than 5 % from the run before (at least 2, at most WARM_MAX), then ROUNDS
# rounds of one login run on each, the order alternating.
logins() {
    local hasher=auth-war/src/main/java/dev/sigil/auth/users/control/PasswordHasher.java
    local before_url=http://127.0.0.1:$BEFORE_PORT/auth round pair=0 last_before=0 last_after=0 before_rps after_rps
    local warm="login rates not steady within 5 % after $WARM_MAX warm-up runs each (the most allowed)" report
    say "Building the before auth: the committed sources, PasswordHasher on Pbkdf2PasswordHash"
    mkdir -p "$BEFORE"
    git archive HEAD | tar -x -C "$BEFORE"
    sed -i 's/^    Pbkdf2Hash hash;$/    jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash hash;/' "$BEFORE/$hasher"
    grep -q '^    jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash hash;$' "$BEFORE/$hasher" ||
        die "PasswordHasher no longer has the field 'Pbkdf2Hash hash'; adapt the logins benchmark"
    rm -rf "$BEFORE/auth-war/src/test" # its tests know the field's type; the WAR is all that is needed
    (cd "$BEFORE" && ./mvnw -o -q -B -DskipTests -Dspotless.check.skip=true package -pl auth-war -am) || die "the before build failed"
    [ -f "$BEFORE/target/payara-micro.jar" ] || { mkdir -p "$BEFORE/target" && ln -s "$ROOT/target/payara-micro.jar" "$BEFORE/target/"; }
    say "Starting auth (Pbkdf2Hash) and the before auth (Pbkdf2PasswordHash)"
    ./run.sh start auth >/dev/null
    AUTH_PORT=$BEFORE_PORT DATA_DIR=$WORK/before-data "$BEFORE/run.sh" start auth >/dev/null
    java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" 1 "$WORK/after.txt" >/dev/null
    java bench/wrk/Tokens.java access "$before_url" "$EMAIL" "$PASSWORD" 1 "$WORK/before.txt" >/dev/null
    login_rps() { # url
        EMAIL=$EMAIL PASSWORD=$PASSWORD DURATION=10s wrk_result "$1/login" bench/wrk/login.lua 4 2 | awk '{print $2}'
    }
    say "Warm-up: 10 s login runs on each until the rates stop moving"
    while (( pair < WARM_MAX )); do
        pair=$(( pair + 1 ))
        before_rps=$(login_rps "$before_url"); after_rps=$(login_rps "$AUTH")
        say "  warm-up $pair: before $before_rps, after $after_rps logins/s"
        if (( pair >= 2 )) && steady "$last_before" "$before_rps" && steady "$last_after" "$after_rps"; then
            warm="login rates steady after $pair warm-up runs each"; break
        fi
        last_before=$before_rps; last_after=$after_rps
    done
    settle auth
    RUN_DIR=$WORK/before-data settle auth
    BEFORE_LABEL="auth POST /login, JDK PBKDF2WithHmacSHA256 (Pbkdf2PasswordHash, before)"
    AFTER_LABEL="auth POST /login, Pbkdf2Hash (after)"
    say "$ROUNDS rounds, $DURATION per run"
    for round in $(seq 1 "$ROUNDS"); do
        if (( round % 2 )); then
            EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "$BEFORE_LABEL" "$before_url/login" bench/wrk/login.lua 4 2
            EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "$AFTER_LABEL" "$AUTH/login" bench/wrk/login.lua 4 2
        else
            EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "$AFTER_LABEL" "$AUTH/login" bench/wrk/login.lua 4 2
            EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "$BEFORE_LABEL" "$before_url/login" bench/wrk/login.lua 4 2
        fi
    done
    before_rps=$(mean_rps "$BEFORE_LABEL"); after_rps=$(mean_rps "$AFTER_LABEL")
    report=$(cat <<MD
Sigil login benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
auth twice, same server-config and database kind (embedded H2), 600,000 iterations of PBKDF2-HMAC-SHA256; before: PasswordHasher on the platform's Pbkdf2PasswordHash; after: on Pbkdf2Hash
wrk: 4 connections, $DURATION per run; $warm; $ROUNDS rounds, order alternating

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| measure (mean of $ROUNDS runs) | before | after | after / before |
|--------------------------------|-------:|------:|---------------:|
| logins per second | $before_rps | $after_rps | $(ratio "$after_rps" "$before_rps") |
MD
)
    mkdir -p bench/results
    printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-logins.md"
    printf '\n%s\n' "$report"
}

# Auth's refresh on an embedded engine with a log (docs/PERFORMANCE.md, "Durable commits"): a
# second auth, built from the committed sources with Flyway's HSQLDB support added (the only
# change to the WAR), on HSQLDB 2.7.4 in place of Payara Micro's H2: CACHED tables, MVCC, the
# log written and synced to the disk at every commit (hsqldb.write_delay=false). Its pool is made
# as the PostgreSQL one is, by a post-boot file, with the driver given by --addlibs. Against the
# usual auth on H2 at commit (WRITE_DELAY=0, as server-config sets it) and written later (500 ms,
# switched live as in the durability benchmark). Both run side by side, the idle one idle;
# warm-up pairs of all three until no rate moved by more than 5 % (at least 3, at most
# WARM_MAX), then ROUNDS rounds whose order rotates. Refresh only: a login is PBKDF2.
engines() {
    local variant=$WORK/hsqldb hsqldb_url=http://127.0.0.1:$BEFORE_PORT/auth report runs user
    local round rates warm order setting run_h2=0 run_hsqldb=0
    say "Building auth with Flyway's HSQLDB support"
    mkdir -p "$variant"
    git archive HEAD | tar -x -C "$variant"
    awk '{print} /<artifactId>flyway-database-postgresql<\/artifactId>/ {found=1} found && /<\/dependency>/ {
            print "        <dependency>\n            <groupId>org.flywaydb</groupId>\n            <artifactId>flyway-database-hsqldb</artifactId>\n            <version>${flyway.version}</version>\n        </dependency>"; found=0}' \
        "$variant/sigil-data/pom.xml" >"$variant/pom.tmp" && mv "$variant/pom.tmp" "$variant/sigil-data/pom.xml"
    grep -q flyway-database-hsqldb "$variant/sigil-data/pom.xml" || die "could not add flyway-database-hsqldb to sigil-data/pom.xml"
    rm -rf "$variant"/*/src/test
    (cd "$variant" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl auth-war -am) || die "the HSQLDB build failed"
    (cd "$variant" && ./mvnw -q -B dependency:copy -Dartifact=org.hsqldb:hsqldb:2.7.4 -DoutputDirectory=target \
        -Dmdep.stripVersion=true) || die "could not fetch HSQLDB"
    [ -f "$variant/target/payara-micro.jar" ] || ln -s "$ROOT/target/payara-micro.jar" "$variant/target/"
    cat >"$variant/server-config/auth/post-boot-hsqldb.asadmin" <<'ASADMIN'
create-jdbc-connection-pool --datasourceclassname org.hsqldb.jdbc.JDBCDataSource --restype javax.sql.DataSource --steadypoolsize 4 --maxpoolsize 16 --maxwait 5000 --property user=SA:password=local sigil-auth-pool
set resources.jdbc-connection-pool.sigil-auth-pool.property.url=jdbc:hsqldb:file:${com.sun.aas.instanceRoot}/lib/databases/sigil;hsqldb.tx=mvcc;hsqldb.default_table_type=cached;hsqldb.write_delay=false
set resources.jdbc-resource.jdbc/__default.pool-name=sigil-auth-pool
set resources.jdbc-connection-pool.sigil-auth-pool.sql-trace-listeners=null
ASADMIN
    # its run.sh starts auth with that pool
    sed -i 's|"\${DATABASE_OPTIONS\[@\]}"$|--postbootcommandfile "$config/post-boot-hsqldb.asadmin" --addlibs "$ROOT/target/hsqldb.jar"|' "$variant/run.sh"
    grep -q post-boot-hsqldb "$variant/run.sh" || die "could not point the variant's run.sh at HSQLDB"
    label() {
        case $1 in
            h2-0) echo "auth POST /refresh, 8 users, H2 written at commit (WRITE_DELAY=0)" ;;
            h2-500) echo "auth POST /refresh, 8 users, H2 written later (WRITE_DELAY=500)" ;;
            hsqldb) echo "auth POST /refresh, 8 users, HSQLDB log written and synced at commit" ;;
        esac
    }
    last_rps() { printf '%s\n' "${RESULTS[-1]}" | awk -F'|' '{gsub(/ /,"",$3); print $3}'; }
    measure() { # variant: one refresh run of 8 new chains, each of its own user
        local n
        case $1 in
            hsqldb) n=$run_hsqldb; run_hsqldb=$(( run_hsqldb + 1 ))
                    for user in $(seq 1 8); do sed -n "$(( n + 1 ))p" "$WORK/hsqldb-user-$user.txt"; done >"$WORK/run.txt"
                    TOKENS=$WORK/run.txt wrk_run "$(label hsqldb)" "$hsqldb_url/refresh" bench/wrk/refresh.lua 8 8 ;;
            *) n=$run_h2; run_h2=$(( run_h2 + 1 ))
               set_write_delay "${1#h2-}"
               for user in $(seq 1 8); do sed -n "$(( n + 1 ))p" "$WORK/h2-user-$user.txt"; done >"$WORK/run.txt"
               TOKENS=$WORK/run.txt wrk_run "$(label "$1")" "$AUTH/refresh" bench/wrk/refresh.lua 8 8
               assert_write_delay "${1#h2-}" ;;
        esac
        rates+=" $(last_rps)"
    }
    say "Starting auth on H2 and auth on HSQLDB"
    ./run.sh start auth >/dev/null
    AUTH_PORT=$BEFORE_PORT DATA_DIR=$WORK/hsqldb-data "$variant/run.sh" start auth >/dev/null
    grep -q "Added .*hsqldb.jar to classpath" "$WORK/hsqldb-data/auth.log" || die "the HSQLDB auth did not load HSQLDB"
    runs=$(( ROUNDS * 2 + WARM_MAX * 2 ))
    say "Start tokens: 8 users on each, $runs chains each"
    for user in $(seq 1 8); do
        java bench/wrk/Tokens.java refresh "$AUTH" "bench-$user@example.com" "$PASSWORD" "$runs" "$WORK/h2-user-$user.txt" >/dev/null &
        java bench/wrk/Tokens.java refresh "$hsqldb_url" "bench-$user@example.com" "$PASSWORD" "$runs" "$WORK/hsqldb-user-$user.txt" >/dev/null &
        wait
    done
    say "Warm-up: the three variants in turn until the rates stop moving"
    warm_rounds rounds h2-0 h2-500 hsqldb
    say "  $warm"
    settle auth
    RUN_DIR=$WORK/hsqldb-data settle auth
    RESULTS=()
    say "$ROUNDS rounds, $DURATION per run"
    for round in $(seq 1 "$ROUNDS"); do
        case $(( round % 3 )) in
            1) order="h2-0 h2-500 hsqldb" ;;
            2) order="hsqldb h2-0 h2-500" ;;
            0) order="h2-500 hsqldb h2-0" ;;
        esac
        for setting in $order; do measure "$setting"; done
    done
    local commit later hsqldb
    commit=$(mean_rps "$(label h2-0)"); later=$(mean_rps "$(label h2-500)"); hsqldb=$(mean_rps "$(label hsqldb)")
    report=$(cat <<MD
Sigil embedded engines benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
auth twice, same server-config: on Payara Micro's H2 (2.2.224), and on HSQLDB 2.7.4 (CACHED tables, MVCC, hsqldb.write_delay=false: the log written and synced at every commit; Flyway's HSQLDB support added to the WAR)
wrk: refresh, 8 users with one chain each, 8 connections, $DURATION per run; $warm; $ROUNDS rounds, order rotating

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| refresh req/s, 8 users (mean of $ROUNDS runs) | req/s | / H2 written later |
|-----------------------------------------------|------:|-------------------:|
| H2 written at commit (as the services run) | $commit | $(ratio "$commit" "$later") |
| H2 written later (before durable commits) | $later | 1.00 |
| HSQLDB, log written and synced at commit | $hsqldb | $(ratio "$hsqldb" "$later") |
MD
)
    mkdir -p bench/results
    printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-engines-in-server.md"
    printf '\n%s\n' "$report"
}

# revoke_many <count>: stores <count> revocations of other users in auth's database (through
# H2's auto-server, as auth's own endpoints would, without a login each) and one of the bench
# user made before this script started, so every token of the run is looked up and found in
# the list, then is not revoked (issued later); then waits until business has polled them.
revoke_many() {
    local h2=$WORK/h2.jar url subject payload listed
    unzip -p target/payara-micro.jar MICRO-INF/runtime/h2.jar >"$h2"
    url="jdbc:h2:$DATA_DIR/auth/lib/databases/embedded_default;AUTO_SERVER=TRUE"
    payload=$(cut -d. -f2 "$WORK/first.txt" | tr '_-' '/+')
    while (( ${#payload} % 4 )); do payload+="="; done
    subject=$(printf '%s' "$payload" | base64 -d | grep -o '"sub":"[^"]*"' | cut -d'"' -f4)
    {
        echo "INSERT INTO sigil_token_revocation (id, subject_id, before_ms, expires_at) VALUES"
        echo "('bench-own', '$subject', $BENCH_START_MS, DATEADD('HOUR', 1, CURRENT_TIMESTAMP)),"
        seq 1 "$1" | awk -v now="$(millis)" -v n="$1" '{printf "(%cbench-%d%c, %cbench-user-%d%c, %d, DATEADD(%cHOUR%c, 1, CURRENT_TIMESTAMP))%s\n", 39, $1, 39, 39, $1, 39, now, 39, 39, ($1 < n ? "," : ";")}'
    } >"$WORK/revocations.sql"
    java -cp "$h2" org.h2.tools.RunScript -url "$url" -user "" -password "" -script "$WORK/revocations.sql"
    sleep 3
    listed=$(curl -fsS "$AUTH/revocations" | cut -d. -f2 | tr '_-' '/+' | { read -r p; while (( ${#p} % 4 )); do p+="="; done; printf '%s' "$p"; } | base64 -d | grep -o '"before_ms"' | wc -l)
    say "  auth's feed lists $listed revocations"
    (( listed >= $1 + 1 )) || { say "the revocations did not reach the feed"; exit 1; }
}

# revocation_check: the protected / unprotected pair of business with the tokens of the run
# (cached by now) against a revocation list of REVOKED entries, next to the pair just measured
# with an empty one
revocation_check() {
    say "business with $REVOKED revocations in its list"
    revoke_many "$REVOKED"
    REVOKED_STATUS="business GET /status (no token), $REVOKED revocations listed"
    REVOKED_DASHBOARD="business GET /dashboard ($TOKENS_COUNT tokens), $REVOKED revocations listed"
    compare "$ROUNDS" "$REVOKED_STATUS" "$BUSINESS/status" "$REVOKED_DASHBOARD" "$BUSINESS/dashboard"
    REVOKED_RATIO=$(ratio "$(mean_rps "$REVOKED_DASHBOARD")" "$(mean_rps "$REVOKED_STATUS")")
}

if [ "$MODE" = durability ]; then
    durability
    exit 0
fi
if [ "$MODE" = engines ]; then
    engines
    exit 0
fi
# Two sets of JVM options side by side (docs/PERFORMANCE.md, "Memory and start"): both services
# twice, set A on the usual ports and set B two ports further up, each pair with its own data
# directory, each service with server-config's jvm.options and then the set's options (OPTIONS_A,
# OPTIONS_B, through AUTH_JAVA_OPTIONS / BUSINESS_JAVA_OPTIONS as run.sh takes them; later options
# win, and a collector is switched with -XX:-UseG1GC -XX:+UseSerialGC). Each service's cold start
# is timed alone. Warm-up: pairs of 10 s runs of business's /dashboard (tokens of its own auth) and
# auth's /users/me on each set until every rate moved by less than 5 % (at least 3 pairs, at most
# WARM_MAX). Then ROUNDS rounds, the order of the sets alternating, of business /dashboard, auth
# /users/me and auth /refresh (8 new chains a run), the idle set idle. The resident memory of each
# process right after its set's last run, and of all four after a further minute idle.
jvm_sets() {
    local set pair=0 round order rates last_rates="" start report
    local warm="rates not steady within 5 % after $WARM_MAX warm-up pairs (the most allowed)"
    local -A auth business options cold_auth cold_business rss_auth rss_business loaded_auth loaded_business
    options[a]=${OPTIONS_A:-}; options[b]=${OPTIONS_B:-}
    auth[a]=$AUTH; business[a]=$BUSINESS
    auth[b]=http://127.0.0.1:$(( AUTH_PORT + 4 ))/auth; business[b]=http://127.0.0.1:$(( BUSINESS_PORT + 4 ))/business
    # the tokens of a set are taken once, before its warm-up: they must outlive the whole run
    export AUTH_TOKEN_LIFETIME_SECONDS=3600
    on() { # set command...: the command with the set's ports, data directory and JVM options
        local set=$1; shift
        if [ "$set" = a ]; then
            DATA_DIR=$WORK/a AUTH_JAVA_OPTIONS=${options[a]} BUSINESS_JAVA_OPTIONS=${options[a]} "$@"
        else
            AUTH_PORT=$(( AUTH_PORT + 4 )) BUSINESS_PORT=$(( BUSINESS_PORT + 4 )) DATA_DIR=$WORK/b \
                AUTH_JAVA_OPTIONS=${options[b]} BUSINESS_JAVA_OPTIONS=${options[b]} "$@"
        fi
    }
    label() { echo "set ${1^^}: $2"; }
    rss_of() { # set service: its resident memory in MiB
        ps -o rss= -p "$(RUN_DIR=$WORK/$1 pid_of "$2")" | awk '{printf "%d", $1/1024}'
    }
    for set in a b; do
        say "Set ${set^^} (${options[$set]:-server-config only}): cold starts"
        start=$(millis); on "$set" ./run.sh start auth >/dev/null; cold_auth[$set]=$(( $(millis) - start ))
        start=$(millis); on "$set" ./run.sh start business >/dev/null; cold_business[$set]=$(( $(millis) - start ))
        java bench/wrk/Tokens.java access "${auth[$set]}" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/$set-tokens.txt" >/dev/null
        java bench/wrk/Tokens.java refresh "${auth[$set]}" "$EMAIL" "$PASSWORD" $(( (ROUNDS + 1) * 8 )) "$WORK/$set-chains.txt" >/dev/null
    done
    measure() { # set label-suffix duration round: one run of each measured endpoint on the set
        local set=$1 suffix=$2
        TOKENS=$WORK/$set-tokens.txt DURATION=$3 wrk_run "$(label "$set" "business GET /dashboard")$suffix" "${business[$set]}/dashboard" bench/wrk/tokens.lua
        TOKENS=$WORK/$set-tokens.txt DURATION=$3 wrk_run "$(label "$set" "auth GET /users/me")$suffix" "${auth[$set]}/users/me" bench/wrk/tokens.lua
        if [ -n "${4:-}" ]; then
            sed -n "$(( $4 * 8 + 1 )),$(( $4 * 8 + 8 ))p" "$WORK/$set-chains.txt" >"$WORK/$set-chains-$4.txt"
            TOKENS=$WORK/$set-chains-$4.txt DURATION=$3 wrk_run "$(label "$set" "auth POST /refresh (8 chains)")" "${auth[$set]}/refresh" bench/wrk/refresh.lua 8 8
        fi
        rates+=" $(printf '%s\n' "${RESULTS[@]: -2:2}" | awk -F'|' '{gsub(/ /,"",$3); printf "%s ", $3}')"
    }
    say "Warm-up: pairs of 10 s runs on each set until the rates stop moving"
    while (( pair < WARM_MAX )); do
        pair=$(( pair + 1 )); rates=""
        measure a " (warm-up)" 10s; measure b " (warm-up)" 10s
        say "  warm-up $pair:$rates"
        if (( pair >= 3 )) && all_steady "$last_rates" "$rates"; then warm="rates steady after $pair warm-up pairs"; break; fi
        last_rates=$rates
    done
    for set in a b; do RUN_DIR=$WORK/$set settle auth; RUN_DIR=$WORK/$set settle business; done
    RESULTS=()
    say "$ROUNDS rounds, $DURATION per run"
    for round in $(seq 1 "$ROUNDS"); do
        if (( round % 2 )); then order="a b"; else order="b a"; fi
        for set in $order; do
            measure "$set" "" "$DURATION" "$round"
            if (( round == ROUNDS )); then
                loaded_auth[$set]=$(rss_of "$set" auth); loaded_business[$set]=$(rss_of "$set" business)
            fi
        done
    done
    printf '%s\n' "${RESULTS[@]}" | awk -F'|' '$6 + 0 > 0 {bad = 1} END {exit bad}' ||
        die "some runs had errors (non-2xx answers or timeouts); the rates are void:$(printf '\n%s' "${RESULTS[@]}")"
    sleep 60
    for set in a b; do rss_auth[$set]=$(rss_of "$set" auth); rss_business[$set]=$(rss_of "$set" business); done
    row() { # measure, A value, B value
        echo "| $1 | $2 | $3 | $(ratio "$3" "$2") |"
    }
    rps_row() { # measure, label without the set
        row "$1" "$(mean_rps "$(label a "$2")")" "$(mean_rps "$(label b "$2")")"
    }
    report=$(cat <<MD
Sigil JVM options benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
Both services twice, each with server-config's jvm.options and then its set's options.
Set A: ${options[a]:-(none)}
Set B: ${options[b]:-(none)}
wrk: $CONNECTIONS connections (refresh 8 chains), $DURATION per run; $warm; $ROUNDS rounds, order of the sets alternating
Each set's $TOKENS_COUNT access tokens are taken once, before its warm-up (token lifetime 3600 s for this run)

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| measure | set A | set B | B / A |
|---------|------:|------:|------:|
$(rps_row "business GET /dashboard req/s (mean of $ROUNDS runs)" "business GET /dashboard")
$(rps_row "auth GET /users/me req/s" "auth GET /users/me")
$(rps_row "auth POST /refresh req/s" "auth POST /refresh (8 chains)")
$(row "cold start auth, ms (run.sh start to answering)" "${cold_auth[a]}" "${cold_auth[b]}")
$(row "cold start business, ms" "${cold_business[a]}" "${cold_business[b]}")
$(row "RSS auth right after its set's last run, MiB" "${loaded_auth[a]}" "${loaded_auth[b]}")
$(row "RSS business right after its set's last run, MiB" "${loaded_business[a]}" "${loaded_business[b]}")
$(row "RSS auth after the rounds and a minute idle, MiB" "${rss_auth[a]}" "${rss_auth[b]}")
$(row "RSS business after the rounds and a minute idle, MiB" "${rss_business[a]}" "${rss_business[b]}")
MD
)
    mkdir -p bench/results
    printf '%s\n' "$report" >"bench/results/$(date -u +%Y%m%dT%H%M)-jvm.md"
    printf '\n%s\n' "$report"
}

if [ "$MODE" = logins ]; then
    logins
    exit 0
fi
if [ "$MODE" = jvm ]; then
    jvm_sets
    exit 0
fi

say "Cold start: auth"
start=$(millis); ./run.sh start auth >/dev/null; AUTH_COLD=$(( $(millis) - start ))
say "Cold start: business"
start=$(millis); ./run.sh start business >/dev/null; BUSINESS_COLD=$(( $(millis) - start ))
java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" 1 "$WORK/first.txt" >/dev/null
start=$(millis)
curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$WORK/first.txt")" "$BUSINESS/dashboard"
FIRST_DASHBOARD=$(( $(millis) - start ))

say "Warming up business until its rates stop rising..."
warm_up business "$BUSINESS/status" "$BUSINESS/dashboard"
RESULTS=()

say "Getting $TOKENS_COUNT tokens from auth (one login, then refreshes)..."
start=$(millis)
java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/tokens.txt" >&2
say "  $(( ($(millis) - start) / 1000 )) s"
export TOKENS=$WORK/tokens.txt

say "business, $CONNECTIONS connections, $DURATION per run, $ROUNDS rounds"
if [ "$MODE" = revocations ]; then
    # Both lists are then measured with every token verified and cached before: the comparison
    # is the revocation check alone, not first sights or a JVM still compiling.
    say "Cache warm-up: every token once, not counted"
    compare 1 "business GET /status (no token), cache warm-up" "$BUSINESS/status" \
        "business GET /dashboard ($TOKENS_COUNT tokens), cache warm-up" "$BUSINESS/dashboard"
fi
STATUS="business GET /status (no token)"
DASHBOARD="business GET /dashboard ($TOKENS_COUNT tokens)"
compare "$ROUNDS" "$STATUS" "$BUSINESS/status" "$DASHBOARD" "$BUSINESS/dashboard"
STATUS_RPS=$(mean_rps "$STATUS")
DASHBOARD_RPS=$(mean_rps "$DASHBOARD")
FIRST_ROUND=$(ratio "$(first_rps "$DASHBOARD")" "$(first_rps "$STATUS")")
BUSINESS_RSS=$(ps -o rss= -p "$(pid_of business)" | awk '{printf "%d", $1/1024}')
revocation_check
EMPTY_RATIO=$(ratio "$DASHBOARD_RPS" "$STATUS_RPS")

if [ "$MODE" = revocations ]; then
    REPORT=$(cat <<MD
Sigil revocation-check benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
business, wrk: $CONNECTIONS connections, $DURATION per run, $ROUNDS rounds per list, order alternating; the same $TOKENS_COUNT tokens, each verified and cached in a first pair of runs not counted

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| protected / unprotected (dashboard / status, mean of $ROUNDS rounds) | value |
|----------------------------------------------------------------------|------:|
| revocation list empty | $EMPTY_RATIO |
| revocation list of $REVOKED entries, the bench user's among them | $REVOKED_RATIO |
MD
)
    mkdir -p bench/results
    printf '%s\n' "$REPORT" >"bench/results/$(date -u +%Y%m%dT%H%M)-revocations.md"
    printf '\n%s\n' "$REPORT"
    exit 0
fi

say "auth's own protected endpoint against a public one, same tokens"
warm_up auth "$AUTH/.well-known/openid-configuration" "$AUTH/users/me"
java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/auth-tokens.txt" >/dev/null
AUTH_PUBLIC="auth GET /.well-known/openid-configuration (no token)"
AUTH_PROTECTED="auth GET /users/me ($TOKENS_COUNT tokens, reads the account)"
TOKENS=$WORK/auth-tokens.txt compare 2 "$AUTH_PUBLIC" "$AUTH/.well-known/openid-configuration" \
    "$AUTH_PROTECTED" "$AUTH/users/me"
AUTH_RATIO=$(ratio "$(mean_rps "$AUTH_PROTECTED")" "$(mean_rps "$AUTH_PUBLIC")")
AUTH_FIRST_ROUND=$(ratio "$(first_rps "$AUTH_PROTECTED")" "$(first_rps "$AUTH_PUBLIC")")

say "business again, verified-token cache off: every request through the validator"
./run.sh stop business >/dev/null
if [ "${PROFILE:-0}" = 1 ]; then
    export JDK_JAVA_OPTIONS="-XX:StartFlightRecording=filename=$WORK/business.jfr,settings=profile"
fi
SIGIL_TOKENS_CACHE_SIZE=0 ./run.sh start business >/dev/null
unset JDK_JAVA_OPTIONS
warm_up business "$BUSINESS/status" "$BUSINESS/dashboard"
java bench/wrk/Tokens.java access "$AUTH" "$EMAIL" "$PASSWORD" "$TOKENS_COUNT" "$WORK/uncached.txt" >/dev/null
export TOKENS=$WORK/uncached.txt
UNCACHED_STATUS_LABEL="business GET /status (no token), cache off"
UNCACHED_LABEL="business GET /dashboard ($TOKENS_COUNT tokens), cache off"
compare 2 "$UNCACHED_STATUS_LABEL" "$BUSINESS/status" "$UNCACHED_LABEL" "$BUSINESS/dashboard"
UNCACHED_RATIO=$(ratio "$(mean_rps "$UNCACHED_LABEL")" "$(mean_rps "$UNCACHED_STATUS_LABEL")")

say "auth"
EMAIL=$EMAIL PASSWORD=$PASSWORD wrk_run "auth POST /login (PBKDF2)" "$AUTH/login" bench/wrk/login.lua 4 2
java bench/wrk/Tokens.java refresh "$AUTH" "$EMAIL" "$PASSWORD" 8 "$WORK/refresh.txt" >/dev/null
TOKENS=$WORK/refresh.txt wrk_run "auth POST /refresh (8 chains)" "$AUTH/refresh" bench/wrk/refresh.lua 8 8
AUTH_RSS=$(ps -o rss= -p "$(pid_of auth)" | awk '{printf "%d", $1/1024}')

REPORT=$(cat <<MD
Sigil benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
wrk: $CONNECTIONS connections (auth login 4, refresh 8 chains), $DURATION per run

| run | req/s | p50 ms | p99 ms | errors | requests |
|-----|------:|-------:|-------:|-------:|---------:|
$(printf '%s\n' "${RESULTS[@]}")

| measure | value |
|---------|------:|
| protected / unprotected (dashboard / status, mean of $ROUNDS rounds), revocation list empty | $EMPTY_RATIO |
| the same, revocation list of $REVOKED entries (the bench user's among them) | $REVOKED_RATIO |
| the same, first round only (every token seen for the first time) | $FIRST_ROUND |
| protected / unprotected, verified-token cache off (mean of 2 rounds) | $UNCACHED_RATIO |
| auth: protected / unprotected (users/me / openid-configuration, mean of 2 rounds) | $AUTH_RATIO |
| auth, first round only | $AUTH_FIRST_ROUND |
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
