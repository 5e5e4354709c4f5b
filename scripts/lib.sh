# Shared by the scripts in this folder; sourced, not run. The caller defines die().

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
