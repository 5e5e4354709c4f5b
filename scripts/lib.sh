# Shared by run.sh and the scripts in scripts/ and bench/; sourced, not run. The caller defines
# say() and die().
#
# The life cycle of a service process (build-if-stale, start, wait-ready, stop, status) lives here
# once; run.sh, scripts/cluster.sh and bench/run.sh use it. The caller sets ROOT (the checkout)
# and RUN_DIR (where an instance NAME keeps NAME.pid, NAME.log and its Payara root directory
# NAME/), and may set JAVA (java), START_TIMEOUT (seconds, 240) and DROP_VARIABLES (glob patterns
# of variables no instance may see, not even its own service's).

# The umask the caller started with: a build keeps it, whatever the caller sets for its own files.
CALLER_UMASK=${CALLER_UMASK:-$(umask)}
DROP_VARIABLES=()
# The instances this call started, oldest first: what stop_started stops.
STARTED=()

# Installs Debian packages without letting them start their system-wide service (a package's
# own nginx on port 80, or PostgreSQL's "main" cluster on 5432): policy-rc.d forbids it.
apt_install() ( # in a subshell of its own, so that its traps and lock end with it
    policy=/usr/sbin/policy-rc.d
    command -v apt-get >/dev/null || { printf '%s is missing and apt-get is not available\n' "$*" >&2; exit 1; }
    # One installation at a time: the build runs modules in parallel, and two of them may
    # install PostgreSQL at once on a fresh machine, where dpkg refuses a second caller. The
    # lock lives where only root writes when root installs (/run/lock is writable by everyone, so
    # a file there could be a link planted to make root truncate another file), not in a /tmp
    # any user could take; it is opened without truncating, and waited for at most 10 minutes.
    lock=${TMPDIR:-/tmp}/sigil-apt.lock
    if [ "$(id -u)" = 0 ] && mkdir -p -m 700 /run/sigil 2>/dev/null; then lock=/run/sigil/apt.lock; fi
    exec 8<>"$lock" && flock -w 600 8 || { printf 'cannot lock %s\n' "$lock" >&2; exit 1; }
    if [ ! -e "$policy" ]; then
        # removed however the installation ends, interrupted or not: left behind, it would keep
        # every package's service on this machine from starting
        trap 'rm -f "$policy"' EXIT
        trap 'exit 130' INT TERM
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # waits for dpkg's lock, which a fresh machine's unattended upgrades may hold for minutes
    local wait=(-o DPkg::Lock::Timeout=600)
    apt-get "${wait[@]}" install -y -qq "$@" >/dev/null 2>&1 ||
        { apt-get "${wait[@]}" update -qq && apt-get "${wait[@]}" install -y -qq "$@" >/dev/null; }
)

# A directory only OWNER may enter (0700): created if missing; an existing one must be a real
# directory (not a symbolic link) that belongs to OWNER. In a shared /tmp another user could
# have created it first, to read what we put there or to swap it for a link.
private_dir() { # dir [owner, default: the current user]
    local dir=$1 owner=${2:-$(id -un)}
    [ ! -L "$dir" ] || die "$dir is a symbolic link; refusing to use it"
    if [ ! -e "$dir" ]; then
        mkdir -m 0700 "$dir" || die "cannot create $dir"
        [ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
    fi
    [ -d "$dir" ] || die "$dir is not a directory; refusing to use it"
    [ "$(stat -c %U "$dir")" = "$owner" ] || die "$dir belongs to $(stat -c %U "$dir"), not $owner; refusing to use it"
    chmod 0700 "$dir"
}

# Prints the secret kept in FILE, which only the current user may read (0600); at first use
# it is made from 32 random bytes (64 hex digits: safe in SQL, asadmin and nginx files).
secret() { # file
    local file=$1 fresh
    [ ! -L "$file" ] || die "$file is a symbolic link; refusing to use it"
    if [ ! -s "$file" ]; then
        fresh=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
        [ ${#fresh} = 64 ] || die "cannot read /dev/urandom"
        (umask 077 && printf '%s\n' "$fresh" >"$file.$$" && mv -f "$file.$$" "$file") || die "cannot write $file"
    fi
    [ "$(stat -c %U "$file")" = "$(id -un)" ] || die "$file belongs to $(stat -c %U "$file"); refusing to use it"
    chmod 0600 "$file"
    head -n 1 "$file"
}

# Builds both WARs (./mvnw package, tests skipped) when one is missing or older than a pom or a
# source file, or when Payara Micro or a file the caller names is missing: a service always runs
# the current build, formatted or not (./mvnw verify checks the formatting).
build_if_stale() { # [file the start needs, relative to ROOT]...
    local stale=false war file
    for war in auth-war/target/auth.war business-war/target/business.war; do
        if [ ! -f "$ROOT/$war" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src -newer "$ROOT/$war" -type f -print -quit 2>/dev/null)" ]; then
            stale=true
        fi
    done
    for file in target/payara-micro.jar "$@"; do [ -f "$ROOT/$file" ] || stale=true; done
    $stale || return 0
    say "Building (./mvnw package, tests skipped)..."
    (umask "$CALLER_UMASK" && cd "$ROOT" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true package) || die "build failed"
}

# Whether process PID runs with TEXT in its command line: a pid file that outlived its process
# (a reboot keeps the file, not the process) may name another program by now, which must never
# be signalled.
runs_with() { # pid text
    [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

pid_of() { # instance: prints its pid while it runs, or nothing
    local file=$RUN_DIR/$1.pid pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if runs_with "$pid" "--rootdir $RUN_DIR/$1 "; then echo "$pid"; else rm -f "$file"; fi
}

port_busy() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; } # port [address]

# Whether an instance of service KIND gets an environment variable: its own service's (AUTH_* or
# BUSINESS_*), the settings both read (MicroProfile's MP_*, the shared libraries' SIGIL_*) and
# what the JVM and tools need; never one that matches DROP_VARIABLES.
service_variable() { # kind variable
    local pattern
    for pattern in "${DROP_VARIABLES[@]}"; do
        # shellcheck disable=SC2053 # the pattern is a glob on purpose
        [[ $2 != $pattern ]] || return 1
    done
    # the validator's audiences are business's to set: auth derives its own, and business's value
    # would make auth refuse its own tokens (auth refuses to start with it)
    [ "$1:$2" != auth:MP_JWT_VERIFY_AUDIENCES ] || return 1
    case $2 in
        "${1^^}"_* | MP_* | SIGIL_*) return 0 ;;
        PATH | HOME | USER | LOGNAME | LANG | LANGUAGE | LC_* | TZ | TMPDIR | JAVA_HOME | JDK_JAVA_OPTIONS | JAVA_TOOL_OPTIONS) return 0 ;;
        *) return 1 ;;
    esac
}

# env arguments that remove every other variable from an instance's environment (env -u NAME):
# names only, so no value appears on a command line. Reads the environment as the instance would
# get it, including names the shell cannot hold (a.b=...) and exported functions. Sets FOREIGN.
foreign_variables() { # kind
    local entry
    FOREIGN=()
    while IFS= read -r -d '' entry; do
        service_variable "$1" "${entry%%=*}" || FOREIGN+=(-u "${entry%%=*}")
    done < <(env -0)
}

# Starts an instance of service KIND (auth or business) in the background, unless it runs: Payara
# Micro with any JVM OPTIONs given, server-config/KIND/jvm.options and KIND_JAVA_OPTIONS, KIND's
# WAR, the root directory RUN_DIR/NAME (the owner's only), the log RUN_DIR/NAME.log, and the
# environment foreign_variables leaves. The Payara ARGUMENTs say the rest: its configuration
# files, the data grid.
start_service() { # name kind port [JVM option... --] [Payara Micro argument]...
    local name=$1 kind=$2 port=$3 options=() log=$RUN_DIR/$1.log
    shift 3
    if [[ " $* " == *" -- "* ]]; then
        while [ "$1" != -- ]; do options+=("$1"); shift; done
        shift
    fi
    [ -z "$(pid_of "$name")" ] || return 0
    mkdir -p "$RUN_DIR/$name"
    # new files are the owner's (umask 077); this closes what an older script left open
    chmod -R go= "$RUN_DIR/$name" || die "cannot make $RUN_DIR/$name readable by its owner only"
    mapfile -t -O "${#options[@]}" options < <(grep -v -e '^\s*#' -e '^\s*$' "$ROOT/server-config/$kind/jvm.options")
    # then the operator's own, last so they win (e.g. another -Xmx): words of AUTH_JAVA_OPTIONS or
    # BUSINESS_JAVA_OPTIONS
    local extra=${kind^^}_JAVA_OPTIONS more=()
    read -r -a more <<<"${!extra:-}"
    options+=("${more[@]}")
    foreign_variables "$kind"
    # The root directory keeps what was deployed in it, with a copy of the WAR, and Payara Micro
    # loads that at every start before it deploys a --deploy WAR over it: two full deployments.
    # So the WAR is given only when it is not the one deployed already, and then the old one is
    # forgotten first: the server configuration that names it (Payara Micro recreates a missing
    # domain.xml from its defaults, and the pre-boot and post-boot files every start passes apply
    # Sigil's settings again), its expanded copy and what was generated for it. The database, the
    # keys and their secret stay.
    # The same when the arguments or the database settings differ from the last start's: the
    # post-boot commands that set up a PostgreSQL pool only create what is missing, so a kept
    # domain.xml would keep the old database (or PostgreSQL after *_DB_HOST was unset).
    local war=$ROOT/$kind-war/target/$kind.war root=$RUN_DIR/$name deploy=() settings variable
    settings="$*"
    for variable in "$@"; do # the configuration files given, by content (cluster.sh's hold the database)
        [ ! -f "$variable" ] || settings+=" $(sha256sum <"$variable" | cut -c1-64)"
    done
    for variable in HOST PORT NAME USER; do
        variable=${kind^^}_DB_$variable
        settings+=" $variable=${!variable:-}"
    done
    if ! cmp -s "$war" "$root/applications/__internal/$kind/$kind.war" ||
        ! grep -q "<application [^>]*name=\"$kind\"" "$root/config/domain.xml" 2>/dev/null ||
        [ "$(cat "$root/sigil-start-settings" 2>/dev/null)" != "$settings" ]; then
        deploy=(--deploy "$war")
        rm -rf "$root/config/domain.xml" "$root/config/domain.xml.bak" "$root/applications" "$root/generated"
    fi
    printf '%s\n' "$settings" >"$root/sigil-start-settings"
    say "Starting $name on port $port (log: $log)"
    rm -f "$log" # a log of an older run may be readable by others; this one is created anew
    nohup env "${FOREIGN[@]}" "${JAVA:-java}" "${options[@]}" -jar "$ROOT/target/payara-micro.jar" \
        --port "$port" \
        --rootdir "$RUN_DIR/$name" \
        "$@" \
        "${deploy[@]}" \
        >"$log" 2>&1 </dev/null 9>&- &
    echo $! >"$RUN_DIR/$name.pid"
    STARTED+=("$name")
    # until the background shell has become Java, pid_of would take the pid for someone else's
    for _ in $(seq 1 50); do runs_with "$!" "--rootdir $RUN_DIR/$name " && break; sleep 0.1; done
}

# Whether Payara logged that the instance's application failed to deploy, e.g. because a start-up
# check (the configured administrator, the key encryption secret) threw.
deployment_failed() { # name
    grep -q -e "Exception while loading the app" -e "Startup of context .* failed" "$RUN_DIR/$1.log"
}

deployment_causes() { # name: the distinct "Caused by:" lines of the log, the operator's to-do
    # Payara logs the failure line before the stack trace under it: wait (at most 5 s) until the
    # causes are logged and the log has stopped growing.
    local size=-1 now log=$RUN_DIR/$1.log
    for _ in $(seq 1 25); do
        now=$(stat -c %s "$log" 2>/dev/null || echo 0)
        [ "$now" = "$size" ] && grep -q -e '^Caused by: ' "$log" && break
        size=$now
        sleep 0.2
    done
    printf '%s\n' "$1 did not deploy; from $log:"
    grep -e '^Caused by: ' "$log" | awk '!seen[$0]++' | head -n 10 | sed 's/^/  /' || true
}

wait_ready() { # name url: our own process must have booted and the application itself must answer
    local name=$1 url=$2 timeout=${START_TIMEOUT:-240} log=$RUN_DIR/$1.log deadline
    deadline=$((SECONDS + timeout))
    # "ready in" is printed even when a deployment failed, and a port taken by another program
    # would answer too: so require all three, our process alive, booted, and the URL answering.
    until [ -n "$(pid_of "$name")" ] && grep -q "Payara Micro .* ready in" "$log" &&
        curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
        if [ -z "$(pid_of "$name")" ]; then
            tail -n 40 "$log" >&2 || true
            die "$name stopped during start-up; see $log"
        fi
        if deployment_failed "$name"; then
            # Payara Micro keeps running without the application (404 everywhere): stop it, fail closed
            deployment_causes "$name" >&2
            stop_service "$name" >&2
            die "$name failed to start: its application did not deploy (causes above); see $log"
        fi
        [ $SECONDS -lt $deadline ] || die "$name did not answer $url within ${timeout}s; see $log"
        sleep 0.2
    done
}

stop_service() { # name: TERM, and KILL after 30 s
    local name=$1 pid
    pid=$(pid_of "$name")
    [ -n "$pid" ] || return 0
    say "Stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    # the pid is checked to be the service's still before each look and the KILL: once the
    # service has gone, the number may be another program's
    for _ in $(seq 1 60); do runs_with "$pid" "--rootdir $RUN_DIR/$name " || break; sleep 0.5; done
    ! runs_with "$pid" "--rootdir $RUN_DIR/$name " || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$RUN_DIR/$name.pid"
}

# Stops what this call started, newest first; instances that ran before it are left alone.
stop_started() {
    local i
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_service "${STARTED[i]}"; done
    STARTED=()
}

# Runs COMMAND (stop_started unless given) when the script ends in failure, so that a start failing
# half-way (a deployment refused, a timeout, a taken port, Ctrl-C or a TERM or HUP signal) leaves
# nothing of its own running. A signal exits with 130 first: the EXIT trap's $? would otherwise be
# the status of the last command, often 0.
undo_on_failure() { # [command]
    trap 'exit 130' INT TERM HUP
    # shellcheck disable=SC2064 # the command is fixed now, on purpose
    trap "[ \$? = 0 ] || { cleaning_up; ${1:-stop_started}; }" EXIT
}

# Called first in an EXIT trap that stops services: from here on a second Ctrl-C, a hangup, a
# reader of our output that has gone (tee ended by the same Ctrl-C) or a failed write must not
# end the script half-way, with services left running and nothing tracking them.
cleaning_up() {
    trap '' INT TERM HUP PIPE
    set +e
}

service_status() { # name [url]: one line on standard output, with what the url answers if given
    local pid
    pid=$(pid_of "$1")
    if [ -z "$pid" ]; then printf '%s: stopped\n' "$1"; return 0; fi
    printf '%s: running, pid %s%s\n' "$1" "$pid" \
        "${2:+, $(curl -s --max-time 5 "$2" || echo unreachable)}"
}
