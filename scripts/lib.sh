# Shared by the scripts in this folder; sourced, not run.

# Installs Debian packages without letting them start their system-wide service (a package's
# own nginx on port 80, or PostgreSQL's "main" cluster on 5432): policy-rc.d forbids it.
apt_install() {
    local policy=/usr/sbin/policy-rc.d added=false status=0
    command -v apt-get >/dev/null || { printf '%s is missing and apt-get is not available\n' "$*" >&2; return 1; }
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=true
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; } || status=$?
    if $added; then rm -f "$policy"; fi
    return $status
}
