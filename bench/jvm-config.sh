#!/usr/bin/env bash
# What a `.mvn/jvm.config` of `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`, and of those flags with
# a class-data-sharing archive of the build's classes (Maven's and the plugin's), does to a no-op
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

# The archive: JDK 19 and later make it themselves on the first run (AutoCreateSharedArchive);
# JDK 17 writes it at the exit of one run, then maps it.
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
ARCHIVE=.mvn/classes.jsa
if (( JAVA_MAJOR >= 19 )); then
  CDS_FLAGS="$FLAGS -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$ARCHIVE"
else
  CDS_FLAGS="$FLAGS -XX:SharedArchiveFile=$ARCHIVE"
  mkdir -p "$WEB/.mvn"
  (cd "$WEB" && MAVEN_OPTS="-XX:ArchiveClassesAtExit=$ARCHIVE" mvn "${args[@]}" package msbuild:image) > "$BENCH/jvm-config-archive.log" 2>&1 \
    || { log "the build writing the class archive failed ($BENCH/jvm-config-archive.log)"; exit 1; }
fi

cpu_default=(); wall_default=(); cpu_tuned=(); wall_tuned=(); cpu_cds=(); wall_cds=()
run() { # run default|tuned|cds: one timed no-op
  local how=$1 out="$BENCH/jvm-config-$1.time"
  mkdir -p "$WEB/.mvn"
  rm -f "$WEB/.mvn/jvm.config"
  if [[ $how == tuned ]]; then echo "$FLAGS" > "$WEB/.mvn/jvm.config"; fi
  if [[ $how == cds ]]; then echo "$CDS_FLAGS" > "$WEB/.mvn/jvm.config"; fi
  (cd "$WEB" && /usr/bin/time -f '%U %S %e' -o "$out" mvn "${args[@]}" package msbuild:image) > "$BENCH/jvm-config-$how.log" 2>&1 \
    || { log "a $how no-op failed"; exit 1; }
  grep -q '"pushedBytes" *: *0[,}]' "$WEB/target/msbuild/image.json" || { log "a $how build pushed something"; exit 1; }
  read -r user sys wall < "$out"
  eval "cpu_$how+=($(echo "$user + $sys" | bc))"
  eval "wall_$how+=($wall)"
}
# One unmeasured run with those flags first (on JDK 19 and later it writes the archive).
(cd "$WEB" && echo "$CDS_FLAGS" > .mvn/jvm.config && mvn "${args[@]}" package msbuild:image) > "$BENCH/jvm-config-cds-first.log" 2>&1 \
  || { log "the first build with $CDS_FLAGS failed"; exit 1; }
for i in 1 2 3 4 5; do run default; run tuned; run cds; done
cd_=$(median "${cpu_default[@]}"); wd=$(median "${wall_default[@]}")
ct=$(median "${cpu_tuned[@]}"); wt=$(median "${wall_tuned[@]}")
cc=$(median "${cpu_cds[@]}"); wc_=$(median "${wall_cds[@]}")
table="| No-op \`mvn package msbuild:image\` (medians of 5) | CPU (s) | wall (s) |
|---|---|---|
| no .mvn/jvm.config | $cd_ | $wd |
| .mvn/jvm.config: $FLAGS | $ct | $wt |
| tuned / default | $(echo "scale=2; $ct / $cd_" | bc) | $(echo "scale=2; $wt / $wd" | bc) |
| .mvn/jvm.config: $CDS_FLAGS | $cc | $wc_ |
| with the archive / default | $(echo "scale=2; $cc / $cd_" | bc) | $(echo "scale=2; $wc_ / $wd" | bc) |
JDK $JAVA_MAJOR.
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
record "$BENCH/jvm-config.txt" "$table"
