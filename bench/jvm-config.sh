#!/usr/bin/env bash
# What a `.mvn/jvm.config` of `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC` does to a no-op
# `mvn package msbuild:image` of the seed webserver: 5 runs each way, alternating, medians of the
# CPU seconds (user + system, which the machine's other load hardly changes) and of the wall time.
# Prints a table and appends it with the date and machine to target/bench/jvm-config.txt.
NAME=jvm-config
source "$(dirname "$0")/lib.sh"
WEB=$BENCH/jvm-config-webserver
CACHE=$BENCH/jvm-config-cache
FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

[[ -x /usr/bin/time ]] && command -v bc >/dev/null || { log "needs /usr/bin/time and bc: apt-get install time bc"; exit 1; }
bench_setup
rm -rf "$WEB" "$CACHE"
cp -r examples/seed-000-webserver "$WEB"
args=(-B -q "-Dmsbuild.cacheDirectory=$CACHE" "-Dmsbuild.registryMirrors=docker.io=$REGISTRY"
  -Dmsbuild.allowInsecureRegistries=true "-Dmsbuild.to.image=$REGISTRY/bench/jvm-config:1")
(cd "$WEB" && mvn "${args[@]}" package msbuild:image) > "$BENCH/jvm-config-first.log" 2>&1 \
  || { log "the first build failed ($BENCH/jvm-config-first.log)"; exit 1; }

cpu_default=(); wall_default=(); cpu_tuned=(); wall_tuned=()
run() { # run default|tuned: one timed no-op
  local how=$1 out="$BENCH/jvm-config-$1.time"
  rm -rf "$WEB/.mvn"
  if [[ $how == tuned ]]; then mkdir -p "$WEB/.mvn" && echo "$FLAGS" > "$WEB/.mvn/jvm.config"; fi
  (cd "$WEB" && /usr/bin/time -f '%U %S %e' -o "$out" mvn "${args[@]}" package msbuild:image) > "$BENCH/jvm-config-$how.log" 2>&1 \
    || { log "a $how no-op failed"; exit 1; }
  grep -q '"pushedBytes" *: *0[,}]' "$WEB/target/msbuild/image.json" || { log "a $how build pushed something"; exit 1; }
  read -r user sys wall < "$out"
  eval "cpu_$how+=($(echo "$user + $sys" | bc))"
  eval "wall_$how+=($wall)"
}
for i in 1 2 3 4 5; do run default; run tuned; done
cd_=$(median "${cpu_default[@]}"); wd=$(median "${wall_default[@]}")
ct=$(median "${cpu_tuned[@]}"); wt=$(median "${wall_tuned[@]}")
table="| No-op \`mvn package msbuild:image\` (medians of 5) | CPU (s) | wall (s) |
|---|---|---|
| no .mvn/jvm.config | $cd_ | $wd |
| .mvn/jvm.config: $FLAGS | $ct | $wt |
| tuned / default | $(echo "scale=2; $ct / $cd_" | bc) | $(echo "scale=2; $wt / $wd" | bc) |
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
record "$BENCH/jvm-config.txt" "$table"
