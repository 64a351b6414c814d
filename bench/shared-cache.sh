#!/usr/bin/env bash
# Measures the registry as a shared build cache (-Dmsbuild.cache.registry) for ephemeral CI
# runners: `mvn package msbuild:image` against the test bed registry, for three apps:
#   webserver: the seed webserver (examples/seed-000-webserver), standard library only;
#   moddep:    examples/go-moddep (one module dependency, github.com/google/uuid);
#   caddy:     Caddy $CADDY_VERSION (github.com/caddyserver/caddy/v2, 160 modules, ~1,000
#              packages, main package cmd/caddy), fetched from the Go module proxy at run time
#              into target/bench (`go mod download`), plus a pom.xml written here.
# Each app is a git repository of its own (target/bench/shared-cache/<app>/origin); every build
# runs in a fresh `git clone` of it, as a CI runner checks out, with a fresh cache repository in
# the registry for each run of this script. Cases:
#   (a) cold:       empty <cacheDirectory>, no registry cache (COLD_RUNS runs; BIG_COLD_RUNS for caddy);
#   (b) runner A:   empty <cacheDirectory>, -Dmsbuild.cache.registry (exports; 1 run: a second
#                   runner A would find everything there already);
#   (c) runner B:   empty <cacheDirectory>, the same commit, the registry cache (RUNS runs);
#   (d) warm local: runner A's <cacheDirectory> again on a fresh clone, same command (RUNS runs);
#   (e) runner B2:  empty <cacheDirectory>, a new commit with a one-line change, the registry
#                   cache: the compile runs, with Go's build and module caches imported (RUNS
#                   runs, each its own change; each exports its new chunk, as CI would).
# Bytes: "cache" is what the plugin's summary line says it downloaded and uploaded for the
# registry cache; "all" is every byte to and from the registry's port (iptables, as root:
# requests, pulls, pushes and the cache), medians over the runs.
# Prints the tables and appends them, with the date and the machine, to
# target/bench/shared-cache.txt. Takes about 20-25 minutes on 2 cores (caddy is most of it).
NAME=shared-cache
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
COLD_RUNS=${COLD_RUNS:-2}
BIG_COLD_RUNS=${BIG_COLD_RUNS:-1}
APPS=${APPS:-webserver moddep caddy}
CADDY_VERSION=v2.11.9
WORK=$BENCH/shared-cache
RUN_ID=$(date +%s)

bench_setup
PORT=${REGISTRY##*:}
rm -rf "$WORK"
mkdir -p "$WORK"
# The builds use a copy of the local Maven repository as it is after the install: another
# `mvn install` on this machine during the run cannot swap the plugin's jar under a build.
cp -r "${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}" "$WORK/m2"

# Bytes to (up) and from (down) the registry's port, counted by two rules of our own; read as
# differences, so other rules' counters are left alone.
COUNT=0
if [[ $(id -u) -eq 0 ]] && command -v iptables >/dev/null; then
  COUNT=1
  iptables -I INPUT -p tcp -d 127.0.0.1 --dport "$PORT" -j ACCEPT -m comment --comment msbuild-shared-cache-up
  iptables -I INPUT -p tcp -s 127.0.0.1 --sport "$PORT" -j ACCEPT -m comment --comment msbuild-shared-cache-down
  trap 'iptables -D INPUT -p tcp -d 127.0.0.1 --dport "$PORT" -j ACCEPT -m comment --comment msbuild-shared-cache-up
        iptables -D INPUT -p tcp -s 127.0.0.1 --sport "$PORT" -j ACCEPT -m comment --comment msbuild-shared-cache-down
        bash "$ROOT/testbed/registry-down.sh" "$TESTBED"' EXIT
fi
counters() { # "up down" bytes so far
  if ((COUNT)); then
    iptables -L INPUT -v -x -n | awk '/msbuild-shared-cache-up/ { u = $2 } /msbuild-shared-cache-down/ { d = $2 } END { printf "%.0f %.0f\n", u, d }'
  else
    echo "0 0"
  fi
}

git_() { git -c user.name=bench -c user.email=bench@msbuild.dev -c init.defaultBranch=main "$@"; }

# --- the apps' sources ----------------------------------------------------------------------
mkdir -p "$WORK/src"
cp -r examples/seed-000-webserver "$WORK/src/webserver"
cp -r examples/go-moddep "$WORK/src/moddep"
if [[ " $APPS " == *" caddy "* ]]; then
  log "fetching github.com/caddyserver/caddy/v2@$CADDY_VERSION from the Go module proxy"
  FETCH=$WORK/fetch
  dir=$(GOMODCACHE=$FETCH GOFLAGS=-mod=mod go mod download -json "github.com/caddyserver/caddy/v2@$CADDY_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp -r "$dir" "$WORK/src/caddy"
  chmod -R u+w "$WORK/src/caddy" "$FETCH"
  rm -rf "$FETCH"
  # The pom is the seed webserver's, with the main package below the module's root.
  cat > "$WORK/src/caddy/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.msbuild.bench</groupId>
  <artifactId>caddy</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>dev.msbuild</groupId>
        <artifactId>msbuild-maven-plugin</artifactId>
        <version>0.1.0-SNAPSHOT</version>
        <configuration>
          <builder>
            <image>golang:1.26-alpine</image>
            <mainPackage>cmd/caddy</mainPackage>
            <output>caddy</output>
          </builder>
          <from><image>alpine:3.20</image></from>
          <to><image>registry.example.com/demo/caddy:1.0</image></to>
          <container>
            <ports><port>80</port><port>443</port></ports>
          </container>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
fi
for app in $APPS; do
  mkdir -p "$WORK/$app"
  mv "$WORK/src/$app" "$WORK/$app/origin"
  (cd "$WORK/$app/origin" && git_ init -q && git_ add -A && git_ commit -qm "$app as fetched")
done

# edit APP DIR MARK: a one-line change to the app's source, and its check in the binary.
edit() {
  local dir=$2 mark=$3
  case $1 in
    webserver) sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker ($mark):/" "$dir/main.go" ;;
    moddep) sed -i "s/module dependency ok[^:\"]*:/module dependency ok ($mark):/" "$dir/main.go" ;;
    caddy) sed -i "s/Short: \"Prints the version[^\"]*\"/Short: \"Prints the version ($mark)\"/" "$dir/cmd/commands.go" ;;
  esac
  (cd "$dir" && git_ commit -qam "bench: $mark")
  [[ $(cd "$dir" && git diff HEAD~1 --numstat | awk '{ a += $1 } END { print a }') == 1 ]] \
    || { log "the edit '$mark' of $1 did not change one line"; exit 1; }
}

# run APP CASE N CACHEDIR [mark] [registry]: one timed build in a fresh clone; appends
# "app case n seconds cache_down cache_up all_up all_down hits misses" to $WORK/results.
run() {
  local app=$1 case=$2 n=$3 cache=$4 mark=${5:-} shared=${6:-} dir out start end args up0 down0 up1 down1
  dir=$WORK/$app/$case-$n
  out=$WORK/$app-$case-$n.log
  rm -rf "$dir"
  git_ clone -q "$WORK/$app/origin" "$dir"
  if [[ -n $mark ]]; then edit "$app" "$dir" "$mark"; fi
  args=("-Dmaven.repo.local=$WORK/m2" "-Dmsbuild.cacheDirectory=$cache" "-Dmsbuild.registryMirrors=docker.io=$REGISTRY"
        -Dmsbuild.allowInsecureRegistries=true "-Dmsbuild.to.image=$REGISTRY/bench/$app:$case-$n")
  if [[ -n $shared ]]; then args+=("-Dmsbuild.cache.registry=$shared"); fi
  # What earlier runs wrote (and deleted) reaches the disk first, so no run pays for another's.
  sync
  read -r up0 down0 < <(counters)
  start=$(date +%s.%N)
  if ! (cd "$dir" && mvn -B -ntp package msbuild:image "${args[@]}") > "$out" 2>&1; then
    log "$app $case run $n failed; its output ($out):"
    tail -n 40 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  read -r up1 down1 < <(counters)
  local bin=$dir/target/msbuild/$app
  [[ -x $bin ]] || { log "$app $case run $n built no $bin"; exit 1; }
  if [[ -n $mark ]]; then
    grep -aqF "($mark)" "$bin" || { log "$app $case run $n: the binary does not carry '$mark'"; exit 1; }
  fi
  # "Registry cache <repo> (readwrite): 3 hits, 1 miss; 6.1 MB downloaded, 0 B uploaded"
  local summary
  summary=$(grep -aE '^\[INFO\] Registry cache .+ \((readwrite|read)\): [0-9]+ hits?, ' "$out" | tail -n 1 || true)
  if [[ -n $shared && -z $summary ]]; then
    log "$app $case run $n: no 'Registry cache ...' summary line in $out"
  fi
  python3 - "$app" "$case" "$n" "$start" "$end" "$((up1 - up0))" "$((down1 - down0))" "$summary" "$out" >> "$WORK/results" <<'PY'
import re, sys
app, case, n, start, end, up, down, summary, out = sys.argv[1:]
text = open(out, errors="replace").read()
def seconds(pattern):
    return "%.1f" % sum(float(x) for x in re.findall(pattern, text))
# Where the time went: the builder image unpacked, the registry cache imported, go build.
unpack = seconds(r"unpacked layer \d+ of \d+ \([^)]*\) in ([\d.]+) s")
imported = seconds(r"Registry cache: imported the .* in ([\d.]+) s")
build = seconds(r"Built target/msbuild/\S+ \([^)]*\) in ([\d.]+) s")
unit = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
def size(text):
    m = re.match(r"([\d.,]+) (B|kB|MB|GB)$", text.strip())
    return float(m.group(1).replace(",", "")) * unit[m.group(2)] if m else 0
m = re.search(r"(\d+) hits?, (\d+) miss(?:es)?; (.+) downloaded, (.+) uploaded", summary)
hits, misses, cdown, cup = (m.group(1), m.group(2), size(m.group(3)), size(m.group(4))) if m else ("-", "-", 0, 0)
print(app, case, n, "%.2f" % (float(end) - float(start)), "%.0f" % cdown, "%.0f" % cup, up, down, hits, misses,
      unpack, imported, build)
PY
  log "$app $case $n: $(tail -n 1 "$WORK/results" | cut -d' ' -f4-)"
  grep -a 'Registry cache: ' "$out" | sed 's/^\[INFO\] /    /' | cut -c1-220 >&2 || true
}

touch "$WORK/results"
for app in $APPS; do
  shared=$REGISTRY/cache/$app-$RUN_ID
  cold=$COLD_RUNS
  if [[ $app == caddy ]]; then cold=$BIG_COLD_RUNS; fi
  for ((i = 1; i <= cold; i++)); do
    rm -rf "$WORK/$app/cache-cold"
    run "$app" cold "$i" "$WORK/$app/cache-cold"
  done
  rm -rf "$WORK/$app/cache-cold"
  run "$app" runner-a 1 "$WORK/$app/cache-a" "" "$shared"
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/cache-b"
    run "$app" runner-b "$i" "$WORK/$app/cache-b" "" "$shared"
  done
  for ((i = 1; i <= RUNS; i++)); do
    run "$app" warm-local "$i" "$WORK/$app/cache-a" "" "$shared"
  done
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/cache-b"
    run "$app" runner-b2 "$i" "$WORK/$app/cache-b" "edit $RUN_ID-$i" "$shared"
  done
  rm -rf "$WORK/$app/cache-b" "$WORK/$app"/runner-* "$WORK/$app"/cold-*
done

# --- tables ---------------------------------------------------------------------------------
col() { awk -v a="$1" -v c="$2" -v f="$3" '$1 == a && $2 == c { print $f }' "$WORK/results"; }
med() { median $(col "$1" "$2" "$3"); }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
runs() { col "$1" "$2" 4 | paste -sd' ' -; }

TABLE="| App | (a) cold, no registry cache (s) | (b) runner A: cold, exports (s) | (c) runner B: empty cache dir, registry cache (s) | (d) warm local (s) | (e) runner B2: one-line change, registry cache (s) | B / warm local (goal ≤ 1.5) | B2 / cold |
|---|---|---|---|---|---|---|---|"
for app in $APPS; do
  a=$(med "$app" cold 4) b=$(med "$app" runner-a 4) c=$(med "$app" runner-b 4) d=$(med "$app" warm-local 4) e=$(med "$app" runner-b2 4)
  TABLE+="
| $app | $a | $b | $c | $d | $e | $(ratio "$c" "$d") | $(ratio "$e" "$a") |"
done
TABLE+="

Bytes moved, MB (medians): \"cache\" from the plugin's summary line (\"... downloaded, ... uploaded\"); \"all\" is every byte to and from the registry's port (requests, pulls, pushes and the cache)$( ((COUNT)) || echo ', not counted: not root or no iptables').

| App | Case | Runs (s) | Of which: builder image unpacked / cache imported / go build (s, medians) | Cache hits / misses | Cache down | Cache up | All down | All up |
|---|---|---|---|---|---|---|---|---|"
for app in $APPS; do
  for case in cold runner-a runner-b warm-local runner-b2; do
    TABLE+="
| $app | $case | $(runs "$app" "$case") | $(med "$app" "$case" 11) / $(med "$app" "$case" 12) / $(med "$app" "$case" 13) | $(col "$app" "$case" 9 | tail -n 1) / $(col "$app" "$case" 10 | tail -n 1) | $(mb "$(med "$app" "$case" 5)") | $(mb "$(med "$app" "$case" 6)") | $(mb "$(med "$app" "$case" 8)") | $(mb "$(med "$app" "$case" 7)") |"
  done
done
TABLE+="

Machine load while measuring (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
record "$BENCH/shared-cache.txt" "$TABLE"
