#!/usr/bin/env bash
# Compares image sizes for one Java app (examples/java-hello: commons-lang3 and a resource),
# each pushed to the test bed registry:
#   msbuild, Jib-style:  Maven's outputs as layers on eclipse-temurin:25-jre;
#   msbuild, jlink:      a runtime of the modules jdeps finds, made in eclipse-temurin:25-jdk,
#                        on testbed/debian-glibc:12 (glibc, zlib, libgcc and nothing else);
#   msbuild, listed:     the same with <jlink><modules>java.base,java.logging (commons-lang3
#                        names java.beans, in java.desktop, on a path this app never takes);
#   jib-maven-plugin:    jib:build of the same app on the same eclipse-temurin:25-jre.
# Sizes are the compressed layers as the registry stores them (what a pull downloads) and the
# unpacked bytes. Prints a table and appends it, with the date and the machine, to
# target/bench/java-sizes.txt. Takes about 2 minutes.
NAME=java-sizes
source "$(dirname "$0")/lib.sh"
JIB_VERSION=3.5.2
APP=$BENCH/java-hello
CACHE=$BENCH/java-cache

bench_setup
rm -rf "$APP"
cp -r examples/java-hello "$APP"

# mvnq LOG ARGS...: one Maven build of the app, its output in $BENCH/LOG.
mvnq() {
  local out=$BENCH/$1
  shift
  if ! (cd "$APP" && mvn -B -ntp "$@") > "$out" 2>&1; then
    log "mvn $* failed; its output ($out):"
    tail -n 40 "$out" >&2
    exit 1
  fi
}

COMMON=("-Dmsbuild.cacheDirectory=$CACHE" "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" -Dmsbuild.allowInsecureRegistries=true)
log "msbuild, Jib-style"
mvnq java-sizes-jib-style.log package msbuild:image "${COMMON[@]}" \
  -Dmsbuild.from.image=eclipse-temurin:25-jre "-Dmsbuild.to.image=$REGISTRY/bench/java-hello:jib-style"
log "msbuild, jlink"
mvnq java-sizes-jlink.log package msbuild:image "${COMMON[@]}" \
  -Dmsbuild.java.jlink=true -Dmsbuild.builder.image=eclipse-temurin:25-jdk \
  "-Dmsbuild.from.image=$REGISTRY/testbed/debian-glibc:12" "-Dmsbuild.to.image=$REGISTRY/bench/java-hello:jlink"
log "msbuild, jlink with the modules listed"
mvnq java-sizes-jlink-modules.log package msbuild:image "${COMMON[@]}" \
  -Dmsbuild.java.jlink=true -Dmsbuild.java.jlink.modules=java.base,java.logging -Dmsbuild.builder.image=eclipse-temurin:25-jdk \
  "-Dmsbuild.from.image=$REGISTRY/testbed/debian-glibc:12" "-Dmsbuild.to.image=$REGISTRY/bench/java-hello:jlink-modules"
log "jib-maven-plugin $JIB_VERSION"
mvnq java-sizes-jib.log package "com.google.cloud.tools:jib-maven-plugin:$JIB_VERSION:build" \
  -Djib.allowInsecureRegistries=true "-Djib.from.image=$REGISTRY/library/eclipse-temurin:25-jre" \
  "-Djib.to.image=$REGISTRY/bench/java-hello:jib"

# sizes TAG: "compressed unpacked layers" of one of these images.
sizes() { image_sizes "docker://$REGISTRY/bench/java-hello:$1"; }

# Each image must run the app, the smallest runtime included.
for tag in jib-style jlink jlink-modules jib; do
  out=$(bash testbed/run-image.sh --insecure "docker://$REGISTRY/bench/java-hello:$tag" 2>&1) || { log "$tag did not run: $out"; exit 1; }
  grep -q 'Hello from a java image built by msbuild' <<<"$out" || { log "$tag printed: $out"; exit 1; }
  log "$tag runs"
done

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
read -r JS_C JS_U JS_N < <(sizes jib-style)
read -r JL_C JL_U JL_N < <(sizes jlink)
read -r JM_C JM_U JM_N < <(sizes jlink-modules)
read -r JIB_C JIB_U JIB_N < <(sizes jib)
MODULES=$(sed -n 's/.*Modules found by jdeps: //p' "$BENCH/java-sizes-jlink.log" | tail -n 1)
TABLE=$(cat <<TABLE
| java-hello image | Base | Layers | Compressed (MB) | Unpacked (MB) | Compressed vs jib-maven-plugin |
|---|---|---|---|---|---|
| jib-maven-plugin $JIB_VERSION | eclipse-temurin:25-jre | $JIB_N | $(mb "$JIB_C") | $(mb "$JIB_U") | 1.00 |
| msbuild, Jib-style | eclipse-temurin:25-jre | $JS_N | $(mb "$JS_C") | $(mb "$JS_U") | $(awk -v a="$JS_C" -v b="$JIB_C" 'BEGIN { printf "%.2f", a / b }') |
| msbuild, jlink runtime, modules from jdeps ($MODULES) | testbed/debian-glibc:12 | $JL_N | $(mb "$JL_C") | $(mb "$JL_U") | $(awk -v a="$JL_C" -v b="$JIB_C" 'BEGIN { printf "%.2f", a / b }') |
| msbuild, jlink runtime, modules listed (java.base,java.logging) | testbed/debian-glibc:12 | $JM_N | $(mb "$JM_C") | $(mb "$JM_U") | $(awk -v a="$JM_C" -v b="$JIB_C" 'BEGIN { printf "%.2f", a / b }') |
TABLE
)
record "$BENCH/java-sizes.txt" "$TABLE"
