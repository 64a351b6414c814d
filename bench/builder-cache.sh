#!/usr/bin/env bash
# Measures what the builder stage's caches buy: `mvn package msbuild:build` of the seed webserver
# (examples/seed-000-webserver) against the test bed registry,
#   cold:   an empty <cacheDirectory> (pull, unpack the builder image, compile everything), 2 runs;
#   warm:   nothing changed (unpacked image and Go's build cache reused), 3 runs;
#   change: a one-line change to main.go before each run (only the main package recompiles), 3 runs.
# Prints a table of the median wall-clock seconds and the ratio to cold, and appends it with the
# date, nproc and the CPU model to target/bench/builder-cache.txt. Takes about 2-3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/target/bench
TESTBED=$BENCH/testbed
WEB=$BENCH/webserver
CACHE=$BENCH/cache
RESULTS=$BENCH/builder-cache.txt

log() { echo "builder-cache: $*" >&2; }
mkdir -p "$BENCH"

bash testbed/registry-up.sh "$TESTBED" >/dev/null
trap 'bash "$ROOT/testbed/registry-down.sh" "$TESTBED"' EXIT
REGISTRY=$(sed -n 's/^testbed\.registry=//p' "$TESTBED/testbed.properties")
[[ -n $REGISTRY ]] || { log "no testbed.registry in $TESTBED/testbed.properties"; exit 1; }
log "test bed registry at $REGISTRY"

log "installing the plugin"
if ! mvn -B -ntp -q install -DskipTests -DskipITs > "$BENCH/install.log" 2>&1; then
  log "mvn install failed; its output ($BENCH/install.log):"
  tail -n 40 "$BENCH/install.log" >&2
  exit 1
fi

rm -rf "$WEB"
cp -r examples/seed-000-webserver "$WEB"

# build NAME: one timed `mvn package msbuild:build`; appends the seconds to the array NAME.
build() {
  local name=$1 n out start end
  n=$(eval "echo \${#$name[@]}")
  out="$BENCH/$name-$((n + 1)).log"
  start=$(date +%s.%N)
  if ! (cd "$WEB" && mvn -B -q package msbuild:build \
          "-Dmsbuild.cacheDirectory=$CACHE" \
          "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" \
          -Dmsbuild.allowInsecureRegistries=true) > "$out" 2>&1; then
    log "$name run $((n + 1)) failed; its output ($out):"
    tail -n 40 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  [[ -x $WEB/target/msbuild/webserver ]] || { log "$name run $((n + 1)) built no target/msbuild/webserver"; exit 1; }
  local seconds
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  eval "$name+=(\"$seconds\")"
  log "$name run $((n + 1)): $seconds s"
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cold=() warm=() change=()
for _ in 1 2; do
  rm -rf "$CACHE" "$WEB/target"
  build cold
done
for _ in 1 2 3; do
  build warm
done
for i in 1 2 3; do
  # One line of main.go changes: a new greeting, so the main package must be compiled again.
  sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker (edit $i):/" "$WEB/main.go"
  grep -q "Docker (edit $i):" "$WEB/main.go" || { log "the edit of main.go did not apply"; exit 1; }
  build change
  grep -aq "Docker (edit $i):" "$WEB/target/msbuild/webserver" || { log "the binary does not carry edit $i"; exit 1; }
done

COLD=$(median "${cold[@]}")
WARM=$(median "${warm[@]}")
CHANGE=$(median "${change[@]}")
ratio() { awk -v a="$1" -v b="$COLD" 'BEGIN { printf "%.2f", a / b }'; }
CPU=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
TABLE=$(cat <<EOF
builder-cache $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc), ${CPU:-$(uname -m)}, $(go env GOVERSION 2>/dev/null || echo go?)
| Build | Runs (s) | Median (s) | Warm / cold |
|---|---|---|---|
| cold: empty cache | ${cold[*]} | $COLD | 1.00 |
| warm: no change | ${warm[*]} | $WARM | $(ratio "$WARM") |
| warm: one-line change to main.go | ${change[*]} | $CHANGE | $(ratio "$CHANGE") |
EOF
)
echo "$TABLE"
printf '%s\n\n' "$TABLE" >> "$RESULTS"
log "appended to $RESULTS"
