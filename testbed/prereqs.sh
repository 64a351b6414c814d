#!/usr/bin/env bash
# Installs (idempotently) what the test bed scripts need on a Debian 12 machine.
# Usage: testbed/prereqs.sh
set -euo pipefail

log() { echo "prereqs: $*" >&2; }

# command -> Debian package providing it
declare -A PKG=(
  [docker-registry]=docker-registry
  [skopeo]=skopeo
  [umoci]=umoci
  [bwrap]=bubblewrap
  [curl]=curl
  [ip]=iproute2
  [htpasswd]=apache2-utils
  [python3]=python3
  [tar]=tar
  [gzip]=gzip
  [unshare]=util-linux
  [setpriv]=util-linux
  [runuser]=util-linux
  [useradd]=passwd
  [java]=openjdk-17-jdk-headless
  [mvn]=maven
  [git]=git
  [openssl]=openssl
  [qemu-aarch64-static]=qemu-user-static
)
ORDER=(docker-registry skopeo umoci bwrap curl ip htpasswd python3 tar gzip unshare setpriv runuser useradd java mvn git openssl qemu-aarch64-static)

missing=()
for c in "${ORDER[@]}"; do
  if ! command -v "$c" >/dev/null 2>&1; then
    missing+=("${PKG[$c]}")
    log "missing command '$c' (package ${PKG[$c]})"
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "need root to install: ${missing[*]}"
    exit 1
  fi
  # De-duplicate package names, keep order.
  mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
  log "apt-get update"
  apt-get update
  log "installing: ${pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}"
  for c in "${ORDER[@]}"; do
    command -v "$c" >/dev/null 2>&1 || { log "'$c' still missing after install"; exit 1; }
  done
else
  log "all required commands present"
fi

# Unprivileged user namespaces: the sandboxes (bubblewrap, unshare) and testbed/run-image.sh
# need them when not run as root, and scripts/test-nonroot.sh runs scenarios as a plain user.
# Debian's and Ubuntu's kernels may turn them off; the knobs exist only on those kernels.
userns_knob() { # userns_knob NAME WANTED
  local file=/proc/sys/${1//.//} now
  [[ -e $file ]] || return 0
  now=$(cat "$file")
  [[ $now == "$2" ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    log "WARNING: $1 is $now; unprivileged user namespaces need $2 (as root: sysctl -w $1=$2)"
    return 0
  fi
  log "sysctl -w $1=$2 (was $now): unprivileged user namespaces for the non-root scenarios"
  sysctl -w "$1=$2" >/dev/null
}
userns_knob kernel.unprivileged_userns_clone 1
userns_knob kernel.apparmor_restrict_unprivileged_userns 0
if [[ -e /proc/sys/user/max_user_namespaces && $(cat /proc/sys/user/max_user_namespaces) -eq 0 ]]; then
  userns_knob user.max_user_namespaces 15000
fi

# Go is not installed from Debian (too old); the machine image is expected to ship it.
if ! command -v go >/dev/null 2>&1; then
  log "ERROR: 'go' not found on PATH. This machine kind is expected to ship a Go toolchain" \
      "(e.g. /usr/local/go/bin); install Go and put it on PATH, then re-run."
  exit 1
fi
log "go: $(go env GOVERSION) at $(go env GOROOT)"
log "java: $(java -version 2>&1 | head -1)"
log "mvn: $(mvn -B -v 2>/dev/null | head -1)"
log "ok"
