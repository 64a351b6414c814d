#!/usr/bin/env bash
# Installs Maven distributions from Maven Central for the tests that compare Maven versions, each
# checked against the SHA-512 (or, for old releases, SHA-1) Central publishes beside it, and prints the path of each one's mvn.
# Usage: testbed/mavens.sh VERSION...   (e.g. 3.6.3 3.9.16 4.0.0-rc-4)
# They go under $MSBUILD_MAVENS (default ~/.cache/msbuild-testbed/mavens), once.
set -euo pipefail
log() { echo "mavens: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ $# -ge 1 ]] || { echo "usage: $0 VERSION..." >&2; exit 2; }
ROOT=${MSBUILD_MAVENS:-$HOME/.cache/msbuild-testbed/mavens}
CENTRAL=${MSBUILD_CENTRAL:-https://repo.maven.apache.org/maven2}
mkdir -p "$ROOT"
for version in "$@"; do
  [[ $version =~ ^[0-9][0-9A-Za-z.-]*$ ]] || die "'$version' is not a Maven version"
  home="$ROOT/apache-maven-$version"
  if [[ ! -x $home/bin/mvn ]]; then
    url="$CENTRAL/org/apache/maven/apache-maven/$version/apache-maven-$version-bin.tar.gz"
    tmp=$(mktemp -d "$ROOT/.tmp-$version-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    log "downloading Maven $version from $url"
    curl -fsSL --retry 3 -o "$tmp/maven.tar.gz" "$url" || die "could not download $url"
    # Older releases have only a SHA-1 beside them.
    sum=sha512
    want=$(curl -fsSL --retry 3 "$url.sha512" 2>/dev/null | awk '{print $1}') || { sum=sha1; want=$(curl -fsSL --retry 3 "$url.sha1" | awk '{print $1}') || die "could not download a checksum of $url"; }
    have=$(${sum}sum "$tmp/maven.tar.gz" | awk '{print $1}')
    [[ -n $want && $want == "$have" ]] || die "Maven $version: $sum $have, Central says $want"
    tar -xzf "$tmp/maven.tar.gz" -C "$tmp"
    rm -rf "$home"
    mv "$tmp/apache-maven-$version" "$home" # whole, or not at all
    rm -rf "$tmp"
    trap - EXIT
  fi
  echo "$home/bin/mvn"
done
