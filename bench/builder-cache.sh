#!/usr/bin/env bash
# Measures what the builder stage's caches buy: `mvn package msbuild:build` of the seed webserver
# (examples/seed-000-webserver) against the test bed registry,
#   cold:   an empty <cacheDirectory> (pull, unpack the builder image, compile everything), 2 runs;
#   warm:   nothing changed (unpacked image and Go's build cache reused), 3 runs;
#   change: a one-line change to main.go before each run (only the main package recompiles), 3 runs.
# Prints a table of the median wall-clock seconds and the ratio to cold, and appends it with the
# date, nproc and the CPU model to target/bench/builder-cache.txt. Takes about 2-3 minutes.
NAME=builder-cache
source "$(dirname "$0")/lib.sh"
WEB=$BENCH/webserver
CACHE=$BENCH/cache

bench_setup
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
TABLE=$(cat <<EOF
| Build | Runs (s) | Median (s) | Warm / cold |
|---|---|---|---|
| cold: empty cache | ${cold[*]} | $COLD | 1.00 |
| warm: no change | ${warm[*]} | $WARM | $(ratio "$WARM") |
| warm: one-line change to main.go | ${change[*]} | $CHANGE | $(ratio "$CHANGE") |
EOF
)
record "$BENCH/builder-cache.txt" "$TABLE"
