#!/usr/bin/env bash
# Stops what registry-up.sh started for WORKDIR: the fault proxies, the apk repository, the auth
# registry and the registry (no error for any that is not running).
# Usage: testbed/registry-down.sh WORKDIR
set -euo pipefail
log() { echo "registry-down: $*" >&2; }
[[ $# -eq 1 ]] || { echo "usage: $0 WORKDIR" >&2; exit 2; }

stop_pidfile() { # stop_pidfile PIDFILE CMDLINE_PATTERN WHAT
  local pidfile=$1 pattern=$2 what=$3 pid
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    # Only signal it if it really is our process (pids get reused).
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
      log "stopping $what pid $pid"
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
      log "pid $pid is not a $what process, leaving it alone"
    fi
  fi
  rm -f "$pidfile"
}

for name in faulty html hostile; do
  stop_pidfile "$1/proxy-$name.pid" 'faultproxy.py' "$name proxy"
done
stop_pidfile "$1/apk-repo.pid" 'http.server' 'apk repository'
# The auth registry lives in WORKDIR/auth with the same layout.
stop_pidfile "$1/auth/registry.pid" 'docker-registry serve' 'auth registry'
stop_pidfile "$1/registry.pid" 'docker-registry serve' registry
