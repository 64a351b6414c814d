#!/usr/bin/env bash
# Measures what a second platform costs: `mvn package msbuild:image` of the seed webserver
# (examples/seed-000-webserver, alpine base) pushed to the test bed registry, for linux/amd64
# alone and for linux/amd64 + linux/arm64 (one index), in two regimes:
#   compile: Go's build cache emptied before each run (the standard library is compiled for every
#            platform; the builder image, base layers and module cache stay), 2 runs each;
#   change:  everything warm, a one-line change to main.go before each run, 3 runs each.
# Prints a table of median wall-clock seconds and the 2-platform/1-platform ratio, and appends it
# with the date, nproc and the CPU model to target/bench/platforms.txt. Takes about 4 minutes.
NAME=platforms
source "$(dirname "$0")/lib.sh"
WEB=$BENCH/platforms-webserver
CACHE=$BENCH/platforms-cache

bench_setup
rm -rf "$WEB" "$CACHE"
cp -r examples/seed-000-webserver "$WEB"

# image NAME PLATFORMS: one timed build and push; appends the seconds to the array NAME.
image() {
  local name=$1 platforms=$2 n out start end seconds
  n=$(eval "echo \${#$name[@]}")
  out="$BENCH/platforms-$name-$((n + 1)).log"
  start=$(date +%s.%N)
  if ! (cd "$WEB" && mvn -B -q package msbuild:image \
          "-Dmsbuild.platforms=$platforms" \
          "-Dmsbuild.from.image=alpine:3.20" \
          "-Dmsbuild.to.image=$REGISTRY/bench/platforms:$name" \
          "-Dmsbuild.cacheDirectory=$CACHE" \
          "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" \
          -Dmsbuild.allowInsecureRegistries=true) > "$out" 2>&1; then
    log "$name run $((n + 1)) failed; its output ($out):"
    tail -n 40 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  eval "$name+=(\"$seconds\")"
  log "$name run $((n + 1)): $seconds s"
}

ONE=linux/amd64
TWO=linux/amd64,linux/arm64
warmup=()
image warmup "$TWO"   # pulls and unpacks the builder image, pulls both bases, fills the module cache

compile_one=() compile_two=()
for _ in 1 2; do
  find "$CACHE/go" -mindepth 2 -maxdepth 2 -type d ! -name mod -exec rm -rf {} +
  image compile_one "$ONE"
  find "$CACHE/go" -mindepth 2 -maxdepth 2 -type d ! -name mod -exec rm -rf {} +
  image compile_two "$TWO"
done
change_one=() change_two=()
for i in 1 2 3; do
  sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker (one $i):/" "$WEB/main.go"
  image change_one "$ONE"
  sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker (two $i):/" "$WEB/main.go"
  image change_two "$TWO"
done

C1=$(median "${compile_one[@]}") C2=$(median "${compile_two[@]}")
W1=$(median "${change_one[@]}") W2=$(median "${change_two[@]}")
table=$(cat <<TABLE
| Build (seed webserver on alpine, pushed) | 1 platform (s) | 2 platforms (s) | 2 / 1 |
|---|---|---|---|
| Go build cache empty (standard library compiled per platform) | $C1 | $C2 | $(awk -v a="$C2" -v b="$C1" 'BEGIN { printf "%.2f", a / b }') |
| warm, one-line change to main.go | $W1 | $W2 | $(awk -v a="$W2" -v b="$W1" 'BEGIN { printf "%.2f", a / b }') |
TABLE
)
record "$BENCH/platforms.txt" "$table"
