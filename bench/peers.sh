#!/usr/bin/env bash
# Measures msbuild against the tools users would otherwise pick, side by side on this machine,
# each pushing to the test bed registry:
#   ko (from the Go module proxy) with this machine's go, alpine:3.20 as its base;
#   buildah (Debian) running multi-stage Dockerfiles (bench/dockerfiles/), with
#     `bud --layers --isolation chroot --storage-driver overlay` (--layers: its step cache, as
#     Docker keeps one), golang:1.26-alpine and alpine:3.20 from
#     the test bed through a registries.conf mirror;
#   jib-maven-plugin for the Java case (examples/java-hello on eclipse-temurin:25-jre).
# Apps: the seed webserver (examples/seed-000-webserver) and a Go module with a dependency
# (examples/go-moddep). Cases, each RUNS times (default 3), median wall-clock seconds:
#   cold:   every cache of the tool emptied (builder images, Go caches, layer stores), a fresh
#           repository in the registry (the bases are there, as in any registry);
#   change: warm, after a one-line change to the source;
#   no-op:  warm, nothing changed.
# "Sent" is every byte the tool sent to the registry's port (iptables counts them: uploads plus
# requests), median over the runs. "Size" is the pushed image's compressed layers.
# Also: the plugin's own cost inside a Maven build, `mvn package msbuild:image` minus
# `mvn package`, after a one-line change.
# Prints the tables and appends them, with the date and the machine, to target/bench/peers.txt.
# Needs root (iptables, buildah's chroot). Takes about 25 minutes.
NAME=peers
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
KO_VERSION=v0.19.1
JIB_VERSION=3.5.2
WORK=$BENCH/peers
BIN=$BENCH/bin

[[ $(id -u) -eq 0 ]] || { log "needs root (iptables, buildah)"; exit 1; }
for pkg in buildah iptables; do
  command -v "$pkg" >/dev/null || { log "installing $pkg (Debian)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done
if [[ ! -x $BIN/ko ]] || ! go version -m "$BIN/ko" | grep -q "$KO_VERSION"; then
  log "installing ko $KO_VERSION from the Go module proxy"
  GOBIN=$BIN go install "github.com/google/ko@$KO_VERSION"
fi
# A fresh registry (the bases seeded again) and edits no earlier run made: what is sent is what
# this run had to send.
rm -rf "$TESTBED/registry-data"
RUN_ID=$(date +%s)
bench_setup
PORT=${REGISTRY##*:}
# RESUME=1 keeps what an interrupted run measured and measures the rest.
if [[ ${RESUME:-0} != 1 ]]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"

# Bytes sent to the registry's port, counted by a rule of our own.
iptables -I INPUT -p tcp -d 127.0.0.1 --dport "$PORT" -j ACCEPT -m comment --comment msbuild-bench
trap 'iptables -D INPUT -p tcp -d 127.0.0.1 --dport "$PORT" -j ACCEPT -m comment --comment msbuild-bench; bash "$ROOT/testbed/registry-down.sh" "$TESTBED"' EXIT
sent() { iptables -L INPUT -v -x -n | awk '/msbuild-bench/ { print $2; exit }'; }
zero() { iptables -Z INPUT; }

buildah_mirror "$WORK/registries.conf"

# run TOOL APP CASE N: one timed build and push; appends "seconds bytes" to $WORK/results.
run() {
  local tool=$1 app=$2 case=$3 n=$4 dir=$WORK/$1/$2 cache=$WORK/$1/$2-cache repo tag out start end
  repo=bench/$tool-$app
  if [[ $case == cold ]]; then repo+=-cold$n; fi
  tag=1
  out=$WORK/$tool-$app-$case-$n.log
  zero
  start=$(date +%s.%N)
  if ! case $tool in
    msbuild)
      (cd "$dir" && mvn -B -q -ntp package msbuild:image "-Dmsbuild.cacheDirectory=$cache" \
        "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" -Dmsbuild.allowInsecureRegistries=true \
        "-Dmsbuild.to.image=$REGISTRY/$repo:$tag") ;;
    ko)
      (cd "$dir" && KO_DOCKER_REPO=$REGISTRY/$repo KO_DEFAULTBASEIMAGE=$REGISTRY/library/alpine:3.20 \
        GOCACHE=$cache/go-build GOMODCACHE=$cache/mod KOCACHE=$cache/ko GOFLAGS= \
        "$BIN/ko" build --bare --insecure-registry --sbom=none --platform=linux/amd64 --tags=$tag .) ;;
    buildah)
      # RUN steps get this machine's TLS roots (for the module proxy), as a build secret would.
      (cd "$dir" && buildah --root "$cache/root" --runroot "$cache/run" --storage-driver overlay \
          bud --layers --isolation chroot -q -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro -f "$ROOT/bench/dockerfiles/$app.Dockerfile" -t "$REGISTRY/$repo:$tag" . \
        && buildah --root "$cache/root" --runroot "$cache/run" --storage-driver overlay \
          push --tls-verify=false "$REGISTRY/$repo:$tag") ;;
    jib)
      (cd "$dir" && mvn -B -q -ntp package "com.google.cloud.tools:jib-maven-plugin:$JIB_VERSION:build" \
        -Djib.allowInsecureRegistries=true "-Djib.from.image=$REGISTRY/library/eclipse-temurin:25-jre" \
        "-Djib.to.image=$REGISTRY/$repo:$tag" "-Djib.baseImageCache=$cache/base" "-Djib.applicationCache=$cache/app") ;;
    msbuild-java)
      (cd "$dir" && mvn -B -q -ntp package msbuild:image "-Dmsbuild.cacheDirectory=$cache" \
        "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" -Dmsbuild.allowInsecureRegistries=true \
        -Dmsbuild.from.image=eclipse-temurin:25-jre "-Dmsbuild.to.image=$REGISTRY/$repo:$tag") ;;
  esac > "$out" 2>&1; then
    log "$tool $app $case run $n failed; its output ($out):"
    tail -n 30 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  echo "$tool $app $case $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') $(sent)" >> "$WORK/results"
  log "$tool $app $case $n: $(tail -n 1 "$WORK/results" | cut -d' ' -f4-5)"
  LAST_REF=$REGISTRY/$repo:$tag
}

# cold: empty the tool's caches and its project copy's outputs.
reset() {
  local tool=$1 app=$2
  # A failed buildah run can leave its overlay mounts behind.
  { findmnt -rn -o TARGET | grep "^$WORK/$tool/$app-cache/" || true; } | sort -r | xargs -r umount -l
  rm -rf "$WORK/$tool/$app-cache" "$WORK/$tool/$app/target"
  if [[ $tool == buildah ]]; then rm -rf /var/lib/containers/cache; fi
}

# edit TOOL APP WHAT: a one-line change to the app's source, unique to this run of the bench.
edit() {
  local dir=$WORK/$1/$2 mark="$3 $RUN_ID"
  case $2 in
    webserver) sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker ($mark):/" "$dir/main.go" ;;
    moddep) sed -i "s/module dependency ok[^:\"]*:/module dependency ok ($mark):/" "$dir/main.go" ;;
    java-hello) sed -i "s/\"flag[^=\"]*=\"/\"flag ($mark)=\"/" "$dir/src/main/java/dev/msbuild/it/hello/App.java" ;;
  esac
}

size() { # compressed layer bytes of an image in the registry
  local raw
  raw=$(skopeo inspect --raw --tls-verify=false "docker://$1")
  if grep -q '"manifests"' <<<"$raw"; then
    raw=$(skopeo inspect --raw --tls-verify=false "docker://${1%:*}@$(python3 -c 'import json,sys; print(json.load(sys.stdin)["manifests"][0]["digest"])' <<<"$raw")")
  fi
  python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))' <<<"$raw"
}

measure() { # measure TOOL APP SOURCE
  local tool=$1 app=$2 src=$3 i
  if [[ ${RESUME:-0} == 1 ]] && grep -q "^$tool $app " "$WORK/sizes" 2>/dev/null; then
    log "$tool $app: measured by the interrupted run"
    return 0
  fi
  sed -i "/^$tool $app /d" "$WORK/results" 2>/dev/null || true
  mkdir -p "$WORK/$tool"
  rm -rf "$WORK/$tool/$app"
  cp -r "$src" "$WORK/$tool/$app"
  # ko builds Go modules only: the seed webserver gets the go.mod its Dockerfile never needed.
  if [[ $tool == ko && ! -f $WORK/$tool/$app/go.mod ]]; then
    printf 'module example.com/%s\n\ngo 1.26\n' "$app" > "$WORK/$tool/$app/go.mod"
  fi
  for ((i = 1; i <= RUNS; i++)); do reset "$tool" "$app"; edit "$tool" "$app" "cold $i"; run "$tool" "$app" cold "$i"; done
  for ((i = 1; i <= RUNS; i++)); do edit "$tool" "$app" "edit $i"; run "$tool" "$app" change "$i"; done
  for ((i = 1; i <= RUNS; i++)); do run "$tool" "$app" no-op "$i"; done
  echo "$tool $app $(size "$LAST_REF")" >> "$WORK/sizes"
}

touch "$WORK/results" "$WORK/sizes"
for app in webserver moddep; do
  src=examples/seed-000-webserver
  if [[ $app == moddep ]]; then src=examples/go-moddep; fi
  for tool in msbuild ko buildah; do
    measure "$tool" "$app" "$src"
  done
done
for tool in msbuild-java jib; do
  measure "$tool" java-hello examples/java-hello
done

# The plugin's own time in a Maven build: `mvn package msbuild:image` minus `mvn package` on the
# same project in the same state, after a one-line change (each timed run gets its own edit) and
# as a no-op, for each app.
timed() { # timed DIR ARGS...: seconds of one quiet mvn run
  local dir=$1 start
  shift
  start=$(date +%s.%N)
  (cd "$dir" && mvn -B -q -ntp "$@") > /dev/null
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
}
own_time() { # own_time TOOL APP
  local tool=$1 app=$2 i dir=$WORK/$1/$2 cache=$WORK/$1/$2-cache
  for ((i = 1; i <= RUNS; i++)); do
    edit "$tool" "$app" "own plain $i"
    echo "$tool $app own-change-plain $(timed "$dir" package "-Dmsbuild.cacheDirectory=$cache") 0" >> "$WORK/results"
    edit "$tool" "$app" "own $i"
    run "$tool" "$app" own-change "$i"
  done
  for ((i = 1; i <= RUNS; i++)); do
    echo "$tool $app own-no-op-plain $(timed "$dir" package "-Dmsbuild.cacheDirectory=$cache") 0" >> "$WORK/results"
    run "$tool" "$app" own-no-op "$i"
  done
}
own_time msbuild webserver
own_time msbuild moddep
own_time msbuild-java java-hello

med() { # med TOOL APP CASE FIELD(4=seconds,5=bytes)
  median $(awk -v t="$1" -v a="$2" -v c="$3" -v f="$4" '$1 == t && $2 == a && $3 == c { print $f }' "$WORK/results")
}
kb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }
mbs() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sz() { awk -v t="$1" -v a="$2" '$1 == t && $2 == a { print $3 }' "$WORK/sizes"; }

TABLE="| App | Case | msbuild (s) | ko (s) | buildah (s) | msbuild / ko | msbuild / buildah | Sent: msbuild | ko | buildah (KB) |
|---|---|---|---|---|---|---|---|---|---|"
for app in webserver moddep; do
  for case in cold change no-op; do
    m=$(med msbuild $app $case 4) k=$(med ko $app $case 4) b=$(med buildah $app $case 4)
    TABLE+="
| $app | $case | $m | $k | $b | $(ratio "$m" "$k") | $(ratio "$m" "$b") | $(kb "$(med msbuild $app $case 5)") | $(kb "$(med ko $app $case 5)") | $(kb "$(med buildah $app $case 5)") |"
  done
  TABLE+="
| $app | image size (MB) | $(mbs "$(sz msbuild $app)") | $(mbs "$(sz ko $app)") | $(mbs "$(sz buildah $app)") | | | | | |"
done
TABLE+="

| java-hello (JRE base) | msbuild (s) | jib-maven-plugin (s) | msbuild / jib | Sent: msbuild | jib (KB) |
|---|---|---|---|---|---|"
for case in cold change no-op; do
  m=$(med msbuild-java java-hello $case 4) j=$(med jib java-hello $case 4)
  TABLE+="
| $case | $m | $j | $(ratio "$m" "$j") | $(kb "$(med msbuild-java java-hello $case 5)") | $(kb "$(med jib java-hello $case 5)") |"
done
TABLE+="
| image size (MB) | $(mbs "$(sz msbuild-java java-hello)") | $(mbs "$(sz jib java-hello)") | | | |

| App | Case | mvn package msbuild:image (s) | mvn package (s) | plugin's own (s) | peer's whole (s) | own / peer |
|---|---|---|---|---|---|---|"
# The goal: the plugin's own time at most the peer's whole wall time.
for pair in "msbuild webserver ko" "msbuild moddep ko" "msbuild-java java-hello jib"; do
  read -r tool app peer <<<"$pair"
  for case in change no-op; do
    full=$(med "$tool" "$app" "own-$case" 4) plain=$(med "$tool" "$app" "own-$case-plain" 4)
    p=$(med "$peer" "$app" "$case" 4)
    o=$(awk -v a="$full" -v b="$plain" 'BEGIN { d = a - b; if (d < 0) d = 0; printf "%.2f", d }')
    TABLE+="
| $app | $case | $full | $plain | $o | $peer $p | $(ratio "$o" "$p") |"
  done
done
TABLE+="

Machine load while measuring (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
record "$BENCH/peers.txt" "$TABLE"
