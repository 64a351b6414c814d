#!/usr/bin/env bash
# One Spring Boot 4 web app (examples/spring-boot-web: starter-web, no <mainClass>) built and
# pushed to the test bed registry three ways, side by side:
#   msbuild, Jib-style:  its classes and dependency jars as layers on eclipse-temurin:25-jre;
#   msbuild, jlink:      a runtime of the modules jdeps finds, linked in eclipse-temurin:25-jdk,
#                        on testbed/debian-glibc:12;
#   jib-maven-plugin:    jib:build on the same eclipse-temurin:25-jre.
# For each: a cold build (the tool's caches emptied; Maven's repository kept), then 3 builds
# after a one-line change to the controller (medians), the image's layers and sizes (compressed as
# the registry stores them, and unpacked), and a check that the image serves the page.
# Prints a table and appends it with the date and machine to target/bench/java-spring-boot.txt.
NAME=java-spring-boot
source "$(dirname "$0")/lib.sh"
JIB_VERSION=3.5.2
APP=$BENCH/spring-boot-web
SOURCE=src/main/java/dev/msbuild/examples/boot/WebApplication.java

bench_setup
rm -rf "$APP"
cp -r examples/spring-boot-web "$APP"

# timed LOG ARGS...: one Maven build of the app; prints its wall-clock seconds.
timed() {
  local out=$BENCH/$1 start end
  shift
  start=$(date +%s.%N)
  if ! (cd "$APP" && mvn -B -ntp "$@") > "$out" 2>&1; then
    log "mvn $* failed; its output ($out):"
    tail -n 40 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# change N: a one-line change to the page's text.
change() {
  sed -i "s/built by msbuild[^,]*,/built by msbuild (change $1),/" "$APP/$SOURCE"
}

declare -A COLD WARM TAG
run_tool() { # run_tool KEY ARGS...: cold, then 3 changes
  local key=$1 warm=()
  shift
  change "$key-cold"
  COLD[$key]=$(timed "$NAME-$key-cold.log" "$@")
  for i in 1 2 3; do
    change "$key-$i"
    warm+=("$(timed "$NAME-$key-change-$i.log" "$@")")
  done
  WARM[$key]=$(median "${warm[@]}")
  log "$key: cold ${COLD[$key]} s, change ${WARM[$key]} s"
}

MS=("-Dmsbuild.registryMirrors=docker.io=$REGISTRY" -Dmsbuild.allowInsecureRegistries=true)
rm -rf "$BENCH/boot-cache-jib-style" "$BENCH/boot-cache-jlink" "$BENCH/boot-jib-cache"
TAG[jib-style]=msbuild-jib-style
run_tool jib-style package msbuild:image "${MS[@]}" "-Dmsbuild.cacheDirectory=$BENCH/boot-cache-jib-style" \
  "-Dmsbuild.to.image=$REGISTRY/bench/spring-boot-web:${TAG[jib-style]}"
TAG[jlink]=msbuild-jlink
run_tool jlink package msbuild:image "${MS[@]}" "-Dmsbuild.cacheDirectory=$BENCH/boot-cache-jlink" \
  -Dmsbuild.java.jlink=true -Dmsbuild.builder.image=eclipse-temurin:25-jdk \
  "-Dmsbuild.from.image=$REGISTRY/testbed/debian-glibc:12" "-Dmsbuild.to.image=$REGISTRY/bench/spring-boot-web:${TAG[jlink]}"
TAG[jib]=jib
run_tool jib package "com.google.cloud.tools:jib-maven-plugin:$JIB_VERSION:build" -Djib.allowInsecureRegistries=true \
  "-Djib.baseImageCache=$BENCH/boot-jib-cache/base" "-Djib.applicationCache=$BENCH/boot-jib-cache/app" \
  "-Djib.from.image=$REGISTRY/library/eclipse-temurin:25-jre" "-Djib.to.image=$REGISTRY/bench/spring-boot-web:${TAG[jib]}"

# sizes TAG: "compressed unpacked layers" of one of these images.
sizes() { image_sizes "docker://$REGISTRY/bench/spring-boot-web:$1"; }

# Each image must serve the page with the last change's text.
for key in jib-style jlink jib; do
  out=$(bash testbed/run-image.sh --insecure --http-wait 90 --http 8080 /hello "docker://$REGISTRY/bench/spring-boot-web:${TAG[$key]}" 2>&1) \
    || { log "${TAG[$key]} did not serve: $out"; exit 1; }
  grep -q "built by msbuild (change $key-3)" <<<"$out" || { log "${TAG[$key]} served: $out"; exit 1; }
  log "${TAG[$key]} serves"
done

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
read -r S_C S_U S_N < <(sizes "${TAG[jib-style]}")
read -r L_C L_U L_N < <(sizes "${TAG[jlink]}")
read -r J_C J_U J_N < <(sizes "${TAG[jib]}")
MODULES=$(sed -n 's/.*Modules found by jdeps: //p' "$BENCH/$NAME-jlink-cold.log" | tail -n 1 | tr ',' '\n' | wc -l)
TABLE=$(cat <<TABLE
| spring-boot-web image | Base | Layers | Compressed (MB) | Unpacked (MB) | Cold (s) | After a change (s) | Cold / jib | Change / jib |
|---|---|---|---|---|---|---|---|---|
| jib-maven-plugin $JIB_VERSION | eclipse-temurin:25-jre | $J_N | $(mb "$J_C") | $(mb "$J_U") | ${COLD[jib]} | ${WARM[jib]} | 1.00 | 1.00 |
| msbuild, Jib-style | eclipse-temurin:25-jre | $S_N | $(mb "$S_C") | $(mb "$S_U") | ${COLD[jib-style]} | ${WARM[jib-style]} | $(ratio "${COLD[jib-style]}" "${COLD[jib]}") | $(ratio "${WARM[jib-style]}" "${WARM[jib]}") |
| msbuild, jlink runtime ($MODULES modules from jdeps) | testbed/debian-glibc:12 | $L_N | $(mb "$L_C") | $(mb "$L_U") | ${COLD[jlink]} | ${WARM[jlink]} | $(ratio "${COLD[jlink]}" "${COLD[jib]}") | $(ratio "${WARM[jlink]}" "${WARM[jib]}") |
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
TABLE
)
record "$BENCH/$NAME.txt" "$TABLE"
