#!/usr/bin/env bash
# Installs (idempotently) what the test bed scripts need on a Debian 12 machine.
# Usage: testbed/prereqs.sh
set -euo pipefail

log() { echo "prereqs: $*" >&2; }

# command -> Debian package providing it
declare -A PKG=(
  [docker-registry]=docker-registry
  [skopeo]=skopeo
  [bwrap]=bubblewrap
  [curl]=curl
  [ip]=iproute2
  [htpasswd]=apache2-utils
  [python3]=python3
  [tar]=tar
  [gzip]=gzip
  [unshare]=util-linux
  [java]=openjdk-17-jdk-headless
  [mvn]=maven
  [git]=git
  [qemu-aarch64-static]=qemu-user-static
)
ORDER=(docker-registry skopeo bwrap curl ip htpasswd python3 tar gzip unshare java mvn git qemu-aarch64-static)

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
