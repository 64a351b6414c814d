#!/usr/bin/env bash
# The same Dockerfiles built by this plugin (<dockerfile>) and by buildah (Debian's, `bud --layers
# --isolation chroot`), side by side on this machine, both from the test bed's images and pushing
# to it: the seeds' Dockerfiles of src/it/dockerfile-seed-* and the final-stage RUN of
# src/it/dockerfile-final-run. For each: cold and no-op wall-clock seconds (median of RUNS, default
# 3), the image's compressed layers and their count, and whether the two final images hold the
# same files: both unpacked by umoci, then every path compared by type, mode, owner, size, link
# target and content (times are not compared: ours are the reproducible epoch).
# Prints the table and appends it to target/bench/dockerfile-buildah.txt. Needs root (buildah's
# chroot, umoci's owners).
NAME=dockerfile-buildah
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
WORK=$BENCH/dockerfile-buildah
CASES=${CASES:-dockerfile-seed-000 dockerfile-seed-001 dockerfile-seed-002 dockerfile-seed-003 dockerfile-final-run}

[[ $(id -u) -eq 0 ]] || { log "needs root (buildah's chroot, umoci's owners)"; exit 1; }
for pkg in buildah umoci; do
  command -v "$pkg" >/dev/null || { log "installing $pkg (Debian)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done
rm -rf "$TESTBED/registry-data"
bench_setup
rm -rf "$WORK"
mkdir -p "$WORK"
VERSION=$(sed -n "0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p" pom.xml)

buildah_mirror "$WORK/registries.conf"

# A copy of the scenario with the plugin's coordinates filled in.
project() {
  local name=$1 dir=$WORK/$1/project
  mkdir -p "$dir"
  cp -r "src/it/$name/app" "$dir/"
  sed -e "s/@project.groupId@/dev.msbuild/; s/@project.artifactId@/msbuild-maven-plugin/; s/@project.version@/$VERSION/" \
    -e "s#\${testbed.registry}#$REGISTRY#" "src/it/$name/pom.xml" > "$dir/pom.xml"
}

# build TOOL NAME CASE N: one timed build and push; prints the seconds.
build() {
  local tool=$1 name=$2 case=$3 n=$4 dir=$WORK/$2/project cache=$WORK/$2/$1-cache out start end
  out=$WORK/$name/$tool-$case-$n.log
  if [[ $case == cold ]]; then
    { findmnt -rn -o TARGET | grep "^$cache/" || true; } | sort -r | xargs -r umount -l
    rm -rf "$cache" "$dir/target"
  fi
  start=$(date +%s.%N)
  if ! case $tool in
    msbuild)
      (cd "$dir" && mvn -B -q -ntp package msbuild:image "-Dmsbuild.cacheDirectory=$cache" \
        "-Dmsbuild.registryMirrors=docker.io=$REGISTRY" -Dmsbuild.allowInsecureRegistries=true \
        "-Dmsbuild.to.image=$REGISTRY/bench/df-$name-msbuild:1") ;;
    buildah)
      (cd "$dir/app" && buildah --root "$cache/root" --runroot "$cache/run" --storage-driver overlay \
          bud --layers --isolation chroot -q -f Dockerfile -t "$REGISTRY/bench/df-$name-buildah:1" . \
        && buildah --root "$cache/root" --runroot "$cache/run" --storage-driver overlay \
          push --tls-verify=false "$REGISTRY/bench/df-$name-buildah:1") ;;
  esac > "$out" 2>&1; then
    log "$tool $name $case run $n failed; its output ($out):"
    tail -n 30 "$out" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

# tree TOOL NAME: "path type mode uid gid size target sha256" of every path of the final image.
tree() {
  local tool=$1 name=$2 dir=$WORK/$2/$1-tree
  rm -rf "$dir" && mkdir -p "$dir"
  skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/bench/df-$name-$tool:1" "oci:$dir/layout:final" >/dev/null
  umoci unpack --image "$dir/layout:final" "$dir/bundle" >/dev/null
  (cd "$dir/bundle/rootfs" && find . -printf '%p %y %m %U %G %s %l\n' | sort) > "$dir/listing"
  (cd "$dir/bundle/rootfs" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$dir/sums"
}

TABLE="| Dockerfile | msbuild cold (s) | buildah cold (s) | msbuild no-op (s) | buildah no-op (s) | msbuild layers, MB | buildah layers, MB | Same files |
|---|---|---|---|---|---|---|---|"
for name in $CASES; do
  project "$name"
  declare -A t=()
  for tool in msbuild buildah; do
    cold=() noop=()
    for n in $(seq 1 "$RUNS"); do
      cold+=("$(build "$tool" "$name" cold "$n")")
      noop+=("$(build "$tool" "$name" noop "$n")")
    done
    t[$tool-cold]=$(median "${cold[@]}")
    t[$tool-noop]=$(median "${noop[@]}")
    read -r c u l < <(image_sizes "docker://$REGISTRY/bench/df-$name-$tool:1")
    t[$tool-size]="$l, $(awk -v b="$c" 'BEGIN { printf "%.2f", b / 1e6 }')"
    tree "$tool" "$name"
    log "$name $tool: cold ${t[$tool-cold]} s, no-op ${t[$tool-noop]} s, layers ${t[$tool-size]}"
  done
  if diff -q "$WORK/$name/msbuild-tree/listing" "$WORK/$name/buildah-tree/listing" >/dev/null \
      && diff -q "$WORK/$name/msbuild-tree/sums" "$WORK/$name/buildah-tree/sums" >/dev/null; then
    same=yes
  else
    # What differs, path by path: "< " ours, "> " buildah's.
    same="no: $( { diff "$WORK/$name/msbuild-tree/listing" "$WORK/$name/buildah-tree/listing" || true; } | grep '^[<>]' \
      | head -n 4 | sed 's/^</msbuild/; s/^>/buildah/' | paste -sd ';' - | sed 's/;/; /g' || true)"
  fi
  TABLE+="
| ${name#dockerfile-} | ${t[msbuild-cold]} | ${t[buildah-cold]} | ${t[msbuild-noop]} | ${t[buildah-noop]} | ${t[msbuild-size]} | ${t[buildah-size]} | $same |"
done
record "$BENCH/dockerfile-buildah.txt" "$TABLE"
