#!/usr/bin/env bash
# Stops the registry started by registry-up.sh for WORKDIR (no error if not running).
# Usage: testbed/registry-down.sh WORKDIR
set -euo pipefail
log() { echo "registry-down: $*" >&2; }
[[ $# -eq 1 ]] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
# The auth registry lives in WORKDIR/auth with the same layout.
if [[ -f $1/auth/registry.pid ]]; then "$0" "$1/auth"; fi
PIDFILE="$1/registry.pid"
[[ -f $PIDFILE ]] || exit 0
pid=$(cat "$PIDFILE" 2>/dev/null || true)
if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
  # Only signal it if it really is our docker-registry (pids get reused).
  if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'docker-registry serve'; then
    log "stopping registry pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do   # up to 5 s
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid still alive after 5 s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  else
    log "pid $pid is not a docker-registry process, leaving it alone"
  fi
fi
rm -f "$PIDFILE"
