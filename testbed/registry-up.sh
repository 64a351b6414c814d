#!/usr/bin/env bash
# Starts a local CNCF distribution registry (plain HTTP, 127.0.0.1 only) and
# seeds it with library/alpine and library/golang images built offline.
# A second, empty registry on AUTH_PORT requires HTTP basic auth (htpasswd): user msbuild,
# password s3cret-pw (a test-bed secret, not a real one).
# Three fault proxies (testbed/faultproxy.py) stand in front of the first registry:
#   FAULTY_PORT   forwards everything; faults are off until a test switches them on through
#                 POST /__proxy/config (e.g. {"fault_rate": 0.3, "seed": 7})
#   HTML_PORT     answers every request with an HTML login page
#   HOSTILE_PORT  answers alpine:3.20's amd64 manifest with the arm64 one's bytes, and golang's
#                 manifest with alpine's (same arch), still claiming the requested digests
# Usage: testbed/registry-up.sh WORKDIR [PORT [AUTH_PORT [FAULTY_PORT HTML_PORT HOSTILE_PORT]]]
# Ports not given are picked free. Writes WORKDIR/testbed.properties (testbed.registry=127.0.0.1:PORT,
# testbed.authRegistry=..., the proxies' addresses and the seeded images' digests).
set -euo pipefail

log() { echo "registry-up: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -ge 1 && $# -le 3 || $# -eq 6 ]] \
  || { echo "usage: $0 WORKDIR [PORT [AUTH_PORT [FAULTY_PORT HTML_PORT HOSTILE_PORT]]]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
OCI="$HERE/oci.py"
mkdir -p "$1"
WORKDIR=$(cd "$1" && pwd)
FIXTURES=${MSBUILD_FIXTURES:-$REPO/../shared/fixtures}

for c in docker-registry skopeo curl python3 tar gzip go sha512sum htpasswd; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found; run $HERE/prereqs.sh first"
done

# --- stop a registry left over from an earlier run of this WORKDIR ----------
"$HERE/registry-down.sh" "$WORKDIR"

USED_PORTS=()
port_arg() { # port_arg NAME [VALUE] : VALUE, or a free port; checked free and unlike the others
  local name=$1 port=${2:-}
  if [[ -z $port ]]; then
    while :; do
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      [[ " ${USED_PORTS[*]} " == *" $port "* ]] || break
    done
  fi
  [[ $port =~ ^[0-9]+$ ]] || die "$name must be a number, got '$port'"
  [[ " ${USED_PORTS[*]} " != *" $port "* ]] || die "$name ($port) must differ from the other ports (${USED_PORTS[*]})"
  # Refuse a busy port up front, otherwise a probe below could be answered by whatever
  # already listens there (SO_REUSEADDR as Go does, so TIME_WAIT sockets left by an earlier
  # run are no obstacle).
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null \
    || die "port $port on 127.0.0.1 is already in use"
  USED_PORTS+=("$port")
}
port_arg PORT "${2:-}"; PORT=${USED_PORTS[-1]}
port_arg AUTH_PORT "${3:-}"; AUTH_PORT=${USED_PORTS[-1]}
port_arg FAULTY_PORT "${4:-}"; FAULTY_PORT=${USED_PORTS[-1]}
port_arg HTML_PORT "${5:-}"; HTML_PORT=${USED_PORTS[-1]}
port_arg HOSTILE_PORT "${6:-}"; HOSTILE_PORT=${USED_PORTS[-1]}
port_arg APK_PORT "${7:-}"; APK_PORT=${USED_PORTS[-1]}
ADDR="127.0.0.1:$PORT"
AUTH_ADDR="127.0.0.1:$AUTH_PORT"
FAULTY_ADDR="127.0.0.1:$FAULTY_PORT"
HTML_ADDR="127.0.0.1:$HTML_PORT"
HOSTILE_ADDR="127.0.0.1:$HOSTILE_PORT"

# --- start the registry --------------------------------------------------------
mkdir -p "$WORKDIR/registry-data" "$WORKDIR/layouts"
cat > "$WORKDIR/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORKDIR/registry-data
  delete:
    enabled: true
http:
  addr: $ADDR
YML
# setsid + exec so the pid file holds the registry's own pid, in its own session.
setsid sh -c 'echo $$ > "$1/registry.pid"; exec docker-registry serve "$1/config.yml"' sh "$WORKDIR" \
  > "$WORKDIR/registry.log" 2>&1 </dev/null &

up=0
for _ in $(seq 1 100); do   # 100 x 0.2 s = 20 s
  if curl -fsS "http://$ADDR/v2/" >/dev/null 2>&1; then up=1; break; fi
  if [[ -f $WORKDIR/registry.pid ]] && ! kill -0 "$(cat "$WORKDIR/registry.pid")" 2>/dev/null; then
    break   # died early, no point waiting
  fi
  sleep 0.2
done
# Make sure the answer came from OUR registry process.
if ((up)) && ! kill -0 "$(cat "$WORKDIR/registry.pid" 2>/dev/null)" 2>/dev/null; then up=0; fi
if ((!up)); then
  log "registry did not answer on http://$ADDR/v2/ ; log follows:"
  cat "$WORKDIR/registry.log" >&2 || true
  "$HERE/registry-down.sh" "$WORKDIR" || true
  exit 1
fi
log "registry pid $(cat "$WORKDIR/registry.pid") listening on $ADDR (log: $WORKDIR/registry.log)"
# If seeding fails, do not leave a half-seeded registry running.
trap 'rc=$?; if ((rc)); then log "seeding failed (exit $rc), stopping the registry"; "$HERE/registry-down.sh" "$WORKDIR" || true; fi' EXIT

case "$(uname -m)" in
  x86_64) HOST_ARCH=amd64; HOST_APK_ARCH=x86_64 ;;
  aarch64|arm64) HOST_ARCH=arm64; HOST_APK_ARCH=aarch64 ;;
  *) die "unsupported host architecture $(uname -m)" ;;
esac

push() { # push LAYOUT REPO TAG...
  local layout=$1 repo=$2; shift 2
  local tag
  for tag in "$@"; do
    skopeo copy --quiet --all --dest-tls-verify=false \
      "oci:$layout:$tag" "docker://$ADDR/$repo:$tag" >&2 \
      || die "push of $repo:$tag failed"
    log "pushed $ADDR/$repo:$tag"
  done
}

valid_layout() { # valid_layout DIR KEY : built completely from the same inputs
  [[ -f $1/.testbed-key && "$(cat "$1/.testbed-key")" == "$2" ]] && python3 "$OCI" verify "$1"
}

PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CREATED="2024-09-06T00:00:00Z"
ALPINE_TAGS=(3.20 3.20.3 latest)

# --- library/alpine ----------------------------------------------------------------
if [[ -d $FIXTURES ]]; then
  A_AMD64="$FIXTURES/alpine-minirootfs-3.20.3-x86_64.tar.gz"
  A_ARM64="$FIXTURES/alpine-minirootfs-3.20.3-aarch64.tar.gz"
  [[ -f $A_AMD64 && -f $A_ARM64 && -f $FIXTURES/SHA512SUMS ]] \
    || die "fixtures dir $FIXTURES lacks the alpine minirootfs tarballs or SHA512SUMS"
  # Check only our two files (SHA512SUMS may list others).
  if ! (cd "$FIXTURES" && grep -E ' \*?alpine-minirootfs-3\.20\.3-(x86_64|aarch64)\.tar\.gz$' SHA512SUMS \
          | sha512sum -c --strict - >&2); then
    die "SHA512 mismatch for the alpine fixtures in $FIXTURES"
  fi
  [[ $(grep -cE 'alpine-minirootfs-3\.20\.3-(x86_64|aarch64)\.tar\.gz$' "$FIXTURES/SHA512SUMS") -eq 2 ]] \
    || die "SHA512SUMS in $FIXTURES does not list both alpine tarballs"
  ALPINE_LAYOUT="$WORKDIR/layouts/alpine-3.20.3"
  ALPINE_KEY="alpine-3.20.3 v1 $(sha512sum "$A_AMD64" "$A_ARM64" | awk '{print $1}' | tr '\n' ' ')"
  if valid_layout "$ALPINE_LAYOUT" "$ALPINE_KEY"; then
    log "reusing $ALPINE_LAYOUT"
  else
    log "building $ALPINE_LAYOUT"
    rm -rf "$ALPINE_LAYOUT"
    python3 - "$WORKDIR/layouts/alpine.spec.json" "$A_AMD64" "$A_ARM64" "$PATH_ENV" "$CREATED" "${ALPINE_TAGS[@]}" <<'PY'
import json, sys
out, amd, arm, path_env, created, *tags = sys.argv[1:]
def img(plat, layer):
    return {"platform": plat, "created": created,
            "config": {"Env": [path_env], "Cmd": ["/bin/sh"]},
            "history": [{"created": created,
                         "created_by": "ADD alpine-minirootfs-3.20.3 / (test bed fixture)"}],
            "layers": [{"path": layer}]}
spec = {"tags": tags, "images": [
    img({"architecture": "amd64", "os": "linux"}, amd),
    img({"architecture": "arm64", "os": "linux", "variant": "v8"}, arm)]}
json.dump(spec, open(out, "w"), sort_keys=True)
PY
    python3 "$OCI" build "$ALPINE_LAYOUT" "$WORKDIR/layouts/alpine.spec.json" >/dev/null
    echo "$ALPINE_KEY" > "$ALPINE_LAYOUT/.testbed-key"
  fi
  push "$ALPINE_LAYOUT" library/alpine "${ALPINE_TAGS[@]}"
  ALPINE_HOST_LAYER=$(python3 "$OCI" layer-blob "$ALPINE_LAYOUT" 3.20 "$HOST_ARCH")
  ALPINE_SRC="fixtures"
  log "alpine:3.20 seeded from the Alpine 3.20.3 minirootfs fixtures (SHA512 checked)"
else
  log "fixtures dir $FIXTURES is absent: using the real Docker Hub alpine:3.20 instead (needs network to docker.io)"
  ALPINE_LAYOUT="$WORKDIR/layouts/alpine-dockerhub"
  if ! valid_layout "$ALPINE_LAYOUT" "alpine-dockerhub 3.20"; then
    rm -rf "$ALPINE_LAYOUT"
    skopeo copy --quiet --all docker://docker.io/library/alpine:3.20 "oci:$ALPINE_LAYOUT:3.20" >&2 \
      || die "could not fetch docker.io/library/alpine:3.20 (and no fixtures at $FIXTURES)"
    echo "alpine-dockerhub 3.20" > "$ALPINE_LAYOUT/.testbed-key"
  fi
  for t in "${ALPINE_TAGS[@]}"; do
    skopeo copy --quiet --all --dest-tls-verify=false "oci:$ALPINE_LAYOUT:3.20" "docker://$ADDR/library/alpine:$t" >&2 \
      || die "push of library/alpine:$t failed"
    log "pushed $ADDR/library/alpine:$t"
  done
  ALPINE_HOST_LAYER=$(python3 "$OCI" layer-blob "$ALPINE_LAYOUT" 3.20 "$HOST_ARCH")
  ALPINE_SRC="dockerhub"
  log "alpine:3.20 seeded from the real Docker Hub alpine:3.20 (fixtures absent)"
fi

# --- library/golang (host platform only, the machine's own Go toolchain) -------------
GOVERSION=$(go env GOVERSION)   # e.g. go1.26.8
GOROOT=$(go env GOROOT)
[[ $GOVERSION =~ ^go([0-9]+)\.([0-9]+)(\.([0-9]+))?$ ]] \
  || die "cannot parse go version '$GOVERSION' (a devel/rc toolchain?)"
GO_XY="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
GO_XYZ="$GO_XY.${BASH_REMATCH[4]:-0}"
GOLANG_TAGS=("$GO_XY-alpine" "$GO_XYZ-alpine" "$GO_XY-alpine3.20")

ALPINE_LAYER_DIGEST=$(basename "$ALPINE_HOST_LAYER")
GO_KEY="golang v1 $GOVERSION $GOROOT $HOST_ARCH alpine=$ALPINE_LAYER_DIGEST"
GO_ID=$(printf '%s' "$GO_KEY" | sha256sum | cut -c1-12)
GOLANG_LAYOUT="$WORKDIR/layouts/golang-$GO_XYZ-$HOST_ARCH-$GO_ID"
if valid_layout "$GOLANG_LAYOUT" "$GO_KEY"; then
  log "reusing $GOLANG_LAYOUT"
else
  log "building $GOLANG_LAYOUT from $GOROOT (tar+gzip of the Go toolchain, takes a while)"
  rm -rf "$GOLANG_LAYOUT"
  mkdir -p "$GOLANG_LAYOUT"
  GOLAYER="$WORKDIR/layouts/go-layer-$GO_ID.tar.gz"
  # test/ and doc/ are not needed to build; pkg/obj is a build cache.
  GO_DIFF_ID=$(python3 "$OCI" mklayer "$GOROOT" usr/local/go "$GOLAYER" \
                 --exclude=./test --exclude=./doc --exclude=./pkg/obj)
  python3 - "$WORKDIR/layouts/golang.spec.json" "$HOST_ARCH" "$ALPINE_HOST_LAYER" "$GOLAYER" \
      "$GO_DIFF_ID" "$GO_XYZ" "$CREATED" "${GOLANG_TAGS[@]}" <<'PY'
import json, sys
out, arch, alpine, golayer, go_diff, ver, created, *tags = sys.argv[1:]
plat = {"architecture": arch, "os": "linux"}
if arch == "arm64":
    plat["variant"] = "v8"
spec = {"tags": tags, "images": [{
    "platform": plat, "created": created,
    "config": {
        "Env": ["PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "GOLANG_VERSION=" + ver, "GOPATH=/go", "GOTOOLCHAIN=local"],
        "WorkingDir": "/go", "Cmd": ["/bin/sh"]},
    "history": [
        {"created": created, "created_by": "ADD alpine-minirootfs-3.20.3 / (test bed)"},
        {"created": created, "created_by": "COPY go%s /usr/local/go (host toolchain, test bed)" % ver}],
    "layers": [{"path": alpine}, {"path": golayer, "diff_id": go_diff}]}]}
json.dump(spec, open(out, "w"), sort_keys=True)
PY
  python3 "$OCI" build "$GOLANG_LAYOUT" "$WORKDIR/layouts/golang.spec.json" >/dev/null
  rm -f "$GOLAYER"   # the layout holds a hard link / copy
  echo "$GO_KEY" > "$GOLANG_LAYOUT/.testbed-key"
fi
push "$GOLANG_LAYOUT" library/golang "${GOLANG_TAGS[@]}"
log "golang:${GOLANG_TAGS[*]} seeded with the host $GOVERSION toolchain ($HOST_ARCH only)"

# --- the tags the seed Dockerfiles name (src/it/dockerfile-seed-*) ------------------------
# Each holds the same toolchain. golang:1.8, golang:1.14.4-alpine and golang:alpine also carry
# GO111MODULE=auto, the default of the releases they name or were written against (GOPATH mode
# where there is no go.mod), so the seeds' GOPATH builds build as they did; golang:1.18 and
# golang:latest are module mode, as 1.18 is.
retag() { # retag LAYOUT SRC_TAG REPO TAG...
  local layout=$1 src=$2 repo=$3; shift 3
  local tag
  for tag in "$@"; do
    skopeo copy --quiet --all --dest-tls-verify=false "oci:$layout:$src" "docker://$ADDR/$repo:$tag" >&2 \
      || die "push of $repo:$tag failed"
    log "pushed $ADDR/$repo:$tag (as $src)"
  done
}
retag "$GOLANG_LAYOUT" "$GO_XY-alpine" library/golang 1.18 latest
GOPATH_KEY="$GO_KEY gopath v1"
GOPATH_LAYOUT="$WORKDIR/layouts/golang-gopath-$(printf '%s' "$GOPATH_KEY" | sha256sum | cut -c1-12)"
if ! valid_layout "$GOPATH_LAYOUT" "$GOPATH_KEY"; then
  rm -rf "$GOPATH_LAYOUT"
  mkdir -p "$GOPATH_LAYOUT"
  GO_LAYER_BLOB=$(python3 "$OCI" layer-blob "$GOLANG_LAYOUT" "$GO_XY-alpine" "$HOST_ARCH")
  python3 - "$WORKDIR/layouts/golang-gopath.spec.json" "$HOST_ARCH" "$ALPINE_HOST_LAYER" "$GO_LAYER_BLOB" "$GO_XYZ" "$CREATED" <<'PY'
import json, sys
out, arch, alpine, golayer, ver, created = sys.argv[1:]
plat = {"architecture": arch, "os": "linux"}
if arch == "arm64":
    plat["variant"] = "v8"
spec = {"tags": ["gopath"], "images": [{
    "platform": plat, "created": created,
    "config": {
        "Env": ["PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "GOLANG_VERSION=" + ver, "GOPATH=/go", "GOTOOLCHAIN=local", "GO111MODULE=auto"],
        "WorkingDir": "/go", "Cmd": ["/bin/sh"]},
    "history": [
        {"created": created, "created_by": "ADD alpine-minirootfs-3.20.3 / (test bed)"},
        {"created": created, "created_by": "COPY go%s /usr/local/go (host toolchain, test bed; GO111MODULE=auto)" % ver}],
    "layers": [{"path": alpine}, {"path": golayer}]}]}
json.dump(spec, open(out, "w"), sort_keys=True)
PY
  python3 "$OCI" build "$GOPATH_LAYOUT" "$WORKDIR/layouts/golang-gopath.spec.json" >/dev/null
  echo "$GOPATH_KEY" > "$GOPATH_LAYOUT/.testbed-key"
fi
retag "$GOPATH_LAYOUT" gopath library/golang 1.8 1.14.4-alpine alpine
retag "$ALPINE_LAYOUT" 3.20 library/alpine 3.15.9

# --- alpine:latest with the test bed's package repository -------------------------------------
# Seed 004 runs `apk --no-cache add ca-certificates` in its final stage, and Alpine's mirrors are
# not reachable here. testbed/apkrepo.py makes a signed repository holding ca-certificates (this
# machine's CA bundle), served over HTTP on loopback; alpine:latest is alpine 3.20 plus a layer
# that trusts its key and names it in /etc/apk/repositories, so apk works as written.
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[[ -f $CA_BUNDLE ]] || die "no CA bundle at $CA_BUNDLE (Debian's ca-certificates package) for the test bed's apk repository"
APK_DIR="$WORKDIR/apk"
rm -rf "$APK_DIR/repo" "$APK_DIR/etc"
python3 "$HERE/apkrepo.py" build "$APK_DIR/repo/alpine/v3.20/main" "$APK_DIR/keys" "$HOST_APK_ARCH" "$CA_BUNDLE" >/dev/null \
  || die "could not make the apk repository"
setsid sh -c 'echo $$ > "$1/apk-repo.pid"; exec python3 -m http.server "$2" --bind 127.0.0.1 --directory "$3"' sh \
  "$WORKDIR" "$APK_PORT" "$APK_DIR/repo" > "$WORKDIR/apk-repo.log" 2>&1 </dev/null &
APK_URL="http://127.0.0.1:$APK_PORT/alpine/v3.20/main"
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "$APK_URL/$HOST_APK_ARCH/APKINDEX.tar.gz" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "$APK_URL/$HOST_APK_ARCH/APKINDEX.tar.gz" || die "the apk repository does not answer at $APK_URL"
mkdir -p "$APK_DIR/etc/apk/keys"
cp "$APK_DIR/keys/msbuild-testbed.rsa.pub" "$APK_DIR/etc/apk/keys/"
echo "$APK_URL" > "$APK_DIR/etc/apk/repositories"
chmod 0755 "$APK_DIR/etc" "$APK_DIR/etc/apk" "$APK_DIR/etc/apk/keys"
chmod 0644 "$APK_DIR/etc/apk/repositories" "$APK_DIR/etc/apk/keys/msbuild-testbed.rsa.pub"
APK_LAYER="$APK_DIR/apk-layer.tar.gz"
APK_DIFF_ID=$(python3 "$OCI" mklayer "$APK_DIR/etc" etc "$APK_LAYER")
APK_LAYOUT="$APK_DIR/alpine-latest"
rm -rf "$APK_LAYOUT"
python3 - "$APK_DIR/alpine-latest.spec.json" "$HOST_ARCH" "$ALPINE_HOST_LAYER" "$APK_LAYER" "$APK_DIFF_ID" "$PATH_ENV" "$CREATED" <<'PY'
import json, sys
out, arch, alpine, apk, apk_diff, path_env, created = sys.argv[1:]
plat = {"architecture": arch, "os": "linux"}
if arch == "arm64":
    plat["variant"] = "v8"
spec = {"tags": ["latest"], "images": [{
    "platform": plat, "created": created,
    "config": {"Env": [path_env], "Cmd": ["/bin/sh"]},
    "history": [
        {"created": created, "created_by": "ADD alpine-minirootfs-3.20.3 / (test bed fixture)"},
        {"created": created, "created_by": "COPY etc/apk /etc/apk (the test bed's apk repository and key)"}],
    "layers": [{"path": alpine}, {"path": apk, "diff_id": apk_diff}]}]}
json.dump(spec, open(out, "w"), sort_keys=True)
PY
python3 "$OCI" build "$APK_LAYOUT" "$APK_DIR/alpine-latest.spec.json" >/dev/null
retag "$APK_LAYOUT" latest library/alpine latest
log "alpine:latest is alpine 3.20 with the apk repository $APK_URL (ca-certificates)"

# --- Java: a glibc base from Debian packages, and a JDK builder image -----------------
# testbed/debian-glibc:12 is libc6, zlib1g and libgcc-s1 of Debian 12 (apt-get download +
# dpkg -x), the least a glibc program such as the JVM needs; eclipse-temurin:<N>-jdk is that
# base plus this machine's Temurin JDK at /opt/java/openjdk, where the official image has it.
JDK_HOME=${MSBUILD_TESTBED_JDK:-$(ls -d /usr/lib/jvm/temurin-*-jdk-* 2>/dev/null | sort -V | tail -n 1)}
[[ -n $JDK_HOME && -x $JDK_HOME/bin/jlink && -f $JDK_HOME/release ]] \
  || die "no Temurin JDK under /usr/lib/jvm (or MSBUILD_TESTBED_JDK) with bin/jlink and a release file"
JAVA_VERSION=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$JDK_HOME/release")
[[ $JAVA_VERSION =~ ^([0-9]+) ]] || die "cannot read JAVA_VERSION from $JDK_HOME/release"
JAVA_MAJOR=${BASH_REMATCH[1]}
DEBS="$WORKDIR/layouts/debs"
mkdir -p "$DEBS"
if ! (cd "$DEBS" && apt-get download libc6 zlib1g libgcc-s1 >/dev/null 2>&1); then
  apt-get update >/dev/null 2>&1 || true
  (cd "$DEBS" && apt-get download libc6 zlib1g libgcc-s1 >/dev/null 2>&1) \
    || die "apt-get download of libc6 zlib1g libgcc-s1 failed (Debian's package servers unreachable?)"
fi
# binutils for the JDK image: jlink --strip-debug runs objcopy (JDK 13 and later), and the
# official eclipse-temurin JDK images carry binutils for that reason.
BINUTILS_DEBS="$WORKDIR/layouts/binutils-debs"
BINUTILS_PKGS=(binutils "binutils-$(uname -m | tr _ -)-linux-gnu" libbinutils libzstd1)
mkdir -p "$BINUTILS_DEBS"
(cd "$BINUTILS_DEBS" && apt-get download "${BINUTILS_PKGS[@]}" >/dev/null 2>&1) \
  || die "apt-get download of ${BINUTILS_PKGS[*]} failed (Debian's package servers unreachable?)"
# The packages by file name only: the key is the same wherever WORKDIR is (a copy of the
# layouts, as scripts/test-nonroot.sh makes, is reused) and whether or not $DEBS/root, which the
# build below leaves, exists yet.
JAVA_KEY="java v4 $HOST_ARCH $( (cd "$DEBS" && ls; cd "$BINUTILS_DEBS" && ls) | grep '\.deb$' | sort | tr '\n' ' ') jdk=$JDK_HOME $JAVA_VERSION"
JAVA_LAYOUT="$WORKDIR/layouts/java-$(printf '%s' "$JAVA_KEY" | sha256sum | cut -c1-12)"
GLIBC_LAYOUT="$JAVA_LAYOUT-glibc"
JRE_LAYOUT="$JAVA_LAYOUT-jre"
if valid_layout "$JAVA_LAYOUT" "$JAVA_KEY" && valid_layout "$GLIBC_LAYOUT" "$JAVA_KEY" && valid_layout "$JRE_LAYOUT" "$JAVA_KEY"; then
  log "reusing $JAVA_LAYOUT"
else
  log "building $GLIBC_LAYOUT and $JAVA_LAYOUT (JDK $JAVA_VERSION from $JDK_HOME, takes a while)"
  rm -rf "$JAVA_LAYOUT" "$GLIBC_LAYOUT" "$JRE_LAYOUT" "$DEBS/root" "$WORKDIR/layouts/jre"
  mkdir -p "$DEBS/root/etc" "$DEBS/root/tmp"
  for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$DEBS/root"; done
  rm -rf "$DEBS/root/usr/share/doc" "$DEBS/root/usr/share/lintian"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$DEBS/root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$DEBS/root/etc/group"
  chmod 1777 "$DEBS/root/tmp"
  tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C "$DEBS/root" -cf - . \
    | gzip -9n > "$WORKDIR/layouts/glibc-layer.tar.gz"
  rm -rf "$BINUTILS_DEBS/root"
  mkdir -p "$BINUTILS_DEBS/root"
  for deb in "$BINUTILS_DEBS"/*.deb; do dpkg -x "$deb" "$BINUTILS_DEBS/root"; done
  rm -rf "$BINUTILS_DEBS/root/usr/share"
  # This machine's JDK links lib/security/cacerts to the system Java trust store; the image
  # carries that store at the same path, so the link resolves inside it.
  CACERTS=$(readlink -f "$JDK_HOME/lib/security/cacerts")
  [[ -f $CACERTS ]] || die "$JDK_HOME/lib/security/cacerts does not resolve to a file"
  if [[ -L $JDK_HOME/lib/security/cacerts ]]; then
    link=$(readlink "$JDK_HOME/lib/security/cacerts")
    [[ $link == /* ]] || die "unexpected relative cacerts link $link"
    mkdir -p "$BINUTILS_DEBS/root$(dirname "$link")"
    cp "$CACERTS" "$BINUTILS_DEBS/root$link"
  fi
  tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C "$BINUTILS_DEBS/root" -cf - . \
    | gzip -9n > "$WORKDIR/layouts/binutils-layer.tar.gz"
  JDK_LAYER="$WORKDIR/layouts/jdk-layer.tar.gz"
  JDK_DIFF_ID=$(python3 "$OCI" mklayer "$JDK_HOME" opt/java/openjdk "$JDK_LAYER" --exclude=./lib/src.zip)
  # The JRE: as the official -jre images are made, a jlink image of the JDK's runtime modules
  # (everything but the development tools).
  JRE_MODULES=$("$JDK_HOME/bin/java" --list-modules | sed 's/@.*//' \
    | grep -Ev '^jdk\.(compiler|jartool|javadoc|jcmd|jconsole|jdeps|jdi|jdwp\.agent|jlink|jpackage|jshell|jstatd|hotspot\.agent|editpad|internal\.(ed|le|opt|jvmstat)|incubator\..*|random|unsupported\.desktop)$' \
    | paste -sd, -)
  "$JDK_HOME/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$WORKDIR/layouts/jre"
  JRE_LAYER="$WORKDIR/layouts/jre-layer.tar.gz"
  JRE_DIFF_ID=$(python3 "$OCI" mklayer "$WORKDIR/layouts/jre" opt/java/openjdk "$JRE_LAYER")
  python3 - "$WORKDIR/layouts" "$HOST_ARCH" "$JDK_DIFF_ID" "$JAVA_VERSION" "$JAVA_MAJOR" "$CREATED" "$JRE_DIFF_ID" <<'PY'
import json, sys
layouts, arch, jdk_diff, version, major, created, jre_diff = sys.argv[1:]
plat = {"architecture": arch, "os": "linux"}
glibc = {"path": layouts + "/glibc-layer.tar.gz"}
base_history = {"created": created, "created_by": "dpkg -x libc6 zlib1g libgcc-s1 (Debian 12, test bed)"}
json.dump({"tags": ["12"], "images": [{
    "platform": plat, "created": created, "config": {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
    "history": [base_history], "layers": [glibc]}]}, open(layouts + "/glibc.spec.json", "w"), sort_keys=True)
json.dump({"tags": [major + "-jdk", version + "-jdk"], "images": [{
    "platform": plat, "created": created,
    "config": {"Env": ["PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=/opt/java/openjdk",
                       "JAVA_VERSION=" + version]},
    "history": [base_history,
                {"created": created, "created_by": "dpkg -x binutils (objcopy, for jlink --strip-debug) + the Java trust store (test bed)"},
                {"created": created, "created_by": "COPY jdk-%s /opt/java/openjdk (host JDK, test bed)" % version}],
    "layers": [glibc, {"path": layouts + "/binutils-layer.tar.gz"},
               {"path": layouts + "/jdk-layer.tar.gz", "diff_id": jdk_diff}]}]},
    open(layouts + "/jdk.spec.json", "w"), sort_keys=True)
json.dump({"tags": [major + "-jre", version + "-jre"], "images": [{
    "platform": plat, "created": created,
    "config": {"Env": ["PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin", "JAVA_HOME=/opt/java/openjdk",
                       "JAVA_VERSION=" + version]},
    "history": [base_history,
                {"created": created, "created_by": "COPY jre-%s /opt/java/openjdk (jlink of the host JDK, test bed)" % version}],
    "layers": [glibc, {"path": layouts + "/jre-layer.tar.gz", "diff_id": jre_diff}]}]},
    open(layouts + "/jre.spec.json", "w"), sort_keys=True)
PY
  python3 "$OCI" build "$GLIBC_LAYOUT" "$WORKDIR/layouts/glibc.spec.json" >/dev/null
  python3 "$OCI" build "$JAVA_LAYOUT" "$WORKDIR/layouts/jdk.spec.json" >/dev/null
  python3 "$OCI" build "$JRE_LAYOUT" "$WORKDIR/layouts/jre.spec.json" >/dev/null
  rm -rf "$JDK_LAYER" "$JRE_LAYER" "$WORKDIR/layouts/jre" "$WORKDIR/layouts/glibc-layer.tar.gz" \
    "$WORKDIR/layouts/binutils-layer.tar.gz" "$BINUTILS_DEBS/root"
  echo "$JAVA_KEY" > "$JRE_LAYOUT/.testbed-key"
  echo "$JAVA_KEY" > "$GLIBC_LAYOUT/.testbed-key"
  echo "$JAVA_KEY" > "$JAVA_LAYOUT/.testbed-key"
fi
push "$GLIBC_LAYOUT" testbed/debian-glibc 12
push "$JAVA_LAYOUT" library/eclipse-temurin "$JAVA_MAJOR-jdk" "$JAVA_VERSION-jdk"
push "$JRE_LAYOUT" library/eclipse-temurin "$JAVA_MAJOR-jre" "$JAVA_VERSION-jre"
log "testbed/debian-glibc:12, eclipse-temurin:$JAVA_MAJOR-jdk and -jre seeded (JDK $JAVA_VERSION, $HOST_ARCH only)"

# --- library/armbase: one os/arch, two variants ------------------------------------
# A tiny base whose index lists linux/arm/v6 before linux/arm/v7 (as alpine's does), each with a
# layer holding /etc/variant, so a build for arm/v7 shows which entry it took.
ARMBASE_LAYOUT="$WORKDIR/layouts/armbase"
rm -rf "$ARMBASE_LAYOUT" "$WORKDIR/layouts/armbase-src"
for v in v6 v7; do
  mkdir -p "$WORKDIR/layouts/armbase-src/$v/etc"
  echo "$v" > "$WORKDIR/layouts/armbase-src/$v/etc/variant"
  tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner -C "$WORKDIR/layouts/armbase-src/$v" -cf - etc \
    | gzip -9n > "$WORKDIR/layouts/armbase-$v.tar.gz"
done
python3 - "$WORKDIR/layouts/armbase.spec.json" "$WORKDIR/layouts" "$CREATED" <<'PY'
import json, sys
out, layouts, created = sys.argv[1:]
def img(variant):
    return {"platform": {"architecture": "arm", "os": "linux", "variant": variant}, "created": created,
            "config": {"Env": ["PATH=/usr/bin:/bin"]},
            "history": [{"created": created, "created_by": "ADD etc/variant (test bed)"}],
            "layers": [{"path": "%s/armbase-%s.tar.gz" % (layouts, variant)}]}
json.dump({"tags": ["1"], "images": [img("v6"), img("v7")]}, open(out, "w"), sort_keys=True)
PY
python3 "$OCI" build "$ARMBASE_LAYOUT" "$WORKDIR/layouts/armbase.spec.json" >/dev/null
push "$ARMBASE_LAYOUT" library/armbase 1
log "armbase:1 seeded (linux/arm/v6 and linux/arm/v7)"

# --- digests of the seeded images, and alpine's arm64 manifest on its own ------------
# Read back from the registry as clients see them: sha256 of the bytes it serves.
MANIFEST_ACCEPT="application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json"
read -r ALPINE_INDEX_DIGEST ALPINE_AMD64_DIGEST ALPINE_ARM64_DIGEST ALPINE_HOST_DIGEST \
        GOLANG_INDEX_DIGEST GOLANG_MANIFEST_DIGEST < <(python3 - "$ADDR" "$GO_XY-alpine" "$HOST_ARCH" <<'PY'
import hashlib, json, subprocess, sys
addr, golang_tag, host_arch = sys.argv[1:]

def raw(ref):
    return subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://%s/%s" % (addr, ref)],
                          check=True, stdout=subprocess.PIPE).stdout

def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()

def child(index, arch, what):
    found = [m["digest"] for m in index.get("manifests", [])
             if m.get("platform", {}).get("os") == "linux" and m.get("platform", {}).get("architecture") == arch]
    if len(found) != 1:
        sys.exit("%s lists %d linux/%s manifests, expected 1" % (what, len(found), arch))
    return found[0]

alpine = raw("library/alpine:3.20")
alpine_index = json.loads(alpine)
golang = raw("library/golang:" + golang_tag)
golang_index = json.loads(golang)
if len(golang_index.get("manifests", [])) != 1:
    sys.exit("golang:%s lists %d manifests, expected 1" % (golang_tag, len(golang_index.get("manifests", []))))
print(digest(alpine), child(alpine_index, "amd64", "alpine:3.20"), child(alpine_index, "arm64", "alpine:3.20"),
      child(alpine_index, host_arch, "alpine:3.20"), digest(golang), golang_index["manifests"][0]["digest"])
PY
) || true
for d in "$ALPINE_INDEX_DIGEST" "$ALPINE_AMD64_DIGEST" "$ALPINE_ARM64_DIGEST" "$ALPINE_HOST_DIGEST" \
         "$GOLANG_INDEX_DIGEST" "$GOLANG_MANIFEST_DIGEST"; do
  [[ $d =~ ^sha256:[0-9a-f]{64}$ ]] || die "could not read the digests of alpine:3.20 and golang:$GO_XY-alpine back"
done
log "alpine:3.20 index $ALPINE_INDEX_DIGEST (amd64 $ALPINE_AMD64_DIGEST, arm64 $ALPINE_ARM64_DIGEST)"
log "golang:$GO_XY-alpine index $GOLANG_INDEX_DIGEST ($HOST_ARCH $GOLANG_MANIFEST_DIGEST)"

# testbed/alpine-arm64-only:3.20: alpine's arm64 image manifest alone (no index), a base of the
# wrong architecture for an amd64 build.
skopeo copy --quiet --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
  "docker://$ADDR/library/alpine@$ALPINE_ARM64_DIGEST" "docker://$ADDR/testbed/alpine-arm64-only:3.20" >&2 \
  || die "copy of alpine's arm64 manifest to testbed/alpine-arm64-only:3.20 failed"
ARM64_ONLY_DIGEST=$(skopeo inspect --raw --tls-verify=false "docker://$ADDR/testbed/alpine-arm64-only:3.20" \
  | python3 -c 'import hashlib,sys; print("sha256:" + hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
[[ $ARM64_ONLY_DIGEST == "$ALPINE_ARM64_DIGEST" ]] \
  || die "testbed/alpine-arm64-only:3.20 is $ARM64_ONLY_DIGEST, not alpine's arm64 manifest $ALPINE_ARM64_DIGEST"
log "pushed $ADDR/testbed/alpine-arm64-only:3.20 (alpine's arm64 manifest alone)"

# --- the registry with basic auth -------------------------------------------------
AUTH_DIR="$WORKDIR/auth"
rm -rf "$AUTH_DIR/registry-data"
mkdir -p "$AUTH_DIR/registry-data"
htpasswd -Bbn msbuild s3cret-pw > "$AUTH_DIR/htpasswd"
cat > "$AUTH_DIR/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $AUTH_DIR/registry-data
  delete:
    enabled: true
auth:
  htpasswd:
    realm: msbuild-testbed
    path: $AUTH_DIR/htpasswd
http:
  addr: $AUTH_ADDR
YML
setsid sh -c 'echo $$ > "$1/registry.pid"; exec docker-registry serve "$1/config.yml"' sh "$AUTH_DIR" \
  > "$AUTH_DIR/registry.log" 2>&1 </dev/null &
up=0
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$AUTH_ADDR/v2/" || true)
  if [[ $code == 401 ]]; then up=1; break; fi
  if [[ -f $AUTH_DIR/registry.pid ]] && ! kill -0 "$(cat "$AUTH_DIR/registry.pid")" 2>/dev/null; then
    break   # died early, no point waiting
  fi
  sleep 0.2
done
# Make sure the answer came from OUR registry process.
if ((up)) && ! kill -0 "$(cat "$AUTH_DIR/registry.pid" 2>/dev/null)" 2>/dev/null; then up=0; fi
((up)) || { cat "$AUTH_DIR/registry.log" >&2; die "the auth registry did not answer 401 on http://$AUTH_ADDR/v2/"; }
[[ $(curl -s -o /dev/null -w '%{http_code}' -u msbuild:s3cret-pw "http://$AUTH_ADDR/v2/") == 200 ]] \
  || die "the auth registry refused the test-bed login"
log "auth registry pid $(cat "$AUTH_DIR/registry.pid") listening on $AUTH_ADDR (basic auth, user msbuild)"

# --- the fault proxies in front of the registry -----------------------------------------
# Each runs in its own session with its pid in WORKDIR/proxy-NAME.pid, its request log in
# WORKDIR/proxy-NAME.log; registry-down.sh stops them.
start_proxy() { # start_proxy NAME ADDR ARG...
  local name=$1 addr=$2; shift 2
  setsid sh -c 'pidfile=$1; shift; echo $$ > "$pidfile"; exec python3 "$@"' sh "$WORKDIR/proxy-$name.pid" \
    "$HERE/faultproxy.py" --listen "$addr" --log "$WORKDIR/proxy-$name.log" "$@" \
    > "$WORKDIR/proxy-$name.out" 2>&1 </dev/null &
}
wait_proxy() { # wait_proxy NAME ADDR : until its control endpoint answers, from our process
  local name=$1 addr=$2 pidfile="$WORKDIR/proxy-$1.pid"
  for _ in $(seq 1 50); do   # 50 x 0.2 s = 10 s
    if curl -fsS "http://$addr/__proxy/stats" >/dev/null 2>&1 \
        && kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then
      log "$name proxy pid $(cat "$pidfile") listening on $addr (log: $WORKDIR/proxy-$name.log)"
      return 0
    fi
    if [[ -f $pidfile ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
    sleep 0.2
  done
  cat "$WORKDIR/proxy-$name.out" >&2 || true
  die "the $name proxy did not answer on http://$addr/__proxy/stats"
}
python3 - "$WORKDIR/hostile-swaps.json" "$ALPINE_AMD64_DIGEST" "library/alpine@$ALPINE_ARM64_DIGEST" \
    "$GOLANG_MANIFEST_DIGEST" "library/alpine@$ALPINE_HOST_DIGEST" <<'PY'
import json, sys
out, a, a_served, g, g_served = sys.argv[1:]
json.dump({a: a_served, g: g_served}, open(out, "w"), indent=2, sort_keys=True)
PY
start_proxy faulty "$FAULTY_ADDR" --upstream "$ADDR" --fault-rate 0
start_proxy html "$HTML_ADDR" --html
start_proxy hostile "$HOSTILE_ADDR" --upstream "$ADDR" --swap-manifests "$WORKDIR/hostile-swaps.json"
wait_proxy faulty "$FAULTY_ADDR"
wait_proxy html "$HTML_ADDR"
wait_proxy hostile "$HOSTILE_ADDR"

# Check that each proxy does what tests rely on.
fetch_manifest() { # fetch_manifest HOSTPORT REPO DIGEST OUT : headers to OUT.headers, body to OUT
  curl -sS -H "Accept: $MANIFEST_ACCEPT" -D "$4.headers" -o "$4" -w '%{http_code}' "http://$1/v2/$2/manifests/$3"
}
body_digest() { python3 -c 'import hashlib,sys; print("sha256:" + hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; }
header() { tr -d '\r' < "$1" | sed -n "s/^$2: //Ip" | tail -n 1; }
CHECK="$WORKDIR/proxy-check"
[[ $(curl -sS -D "$CHECK.headers" -o "$CHECK" -w '%{http_code}' "http://$HTML_ADDR/v2/") == 200 ]] \
  && [[ $(header "$CHECK.headers" Content-Type) == text/html* ]] && grep -q 'Sign in' "$CHECK" \
  || die "the html proxy on $HTML_ADDR did not answer /v2/ with a 200 HTML login page"
[[ $(curl -sS -o /dev/null -D "$CHECK.headers" -w '%{http_code}' "http://$FAULTY_ADDR/v2/") == 200 ]] \
  && [[ $(header "$CHECK.headers" Docker-Distribution-Api-Version) == registry/2.0 ]] \
  || die "the faulty proxy on $FAULTY_ADDR did not forward /v2/ to the registry"
for d in "$ALPINE_AMD64_DIGEST" "$ALPINE_INDEX_DIGEST"; do
  [[ $(fetch_manifest "$FAULTY_ADDR" library/alpine "$d" "$CHECK") == 200 && $(body_digest "$CHECK") == "$d" ]] \
    || die "the faulty proxy on $FAULTY_ADDR did not forward library/alpine@$d unchanged"
done
check_swap() { # check_swap REPO REQUESTED SERVED
  [[ $(fetch_manifest "$HOSTILE_ADDR" "$1" "$2" "$CHECK") == 200 ]] \
    || die "the hostile proxy on $HOSTILE_ADDR did not answer $1@$2"
  local got; got=$(body_digest "$CHECK")
  [[ $got != "$2" && $got == "$3" ]] \
    || die "the hostile proxy answered $1@$2 with a body of digest $got, expected the swapped $3"
  [[ $(header "$CHECK.headers" Docker-Content-Digest) == "$2" ]] \
    || die "the hostile proxy did not claim Docker-Content-Digest $2 for $1@$2"
}
check_swap library/alpine "$ALPINE_AMD64_DIGEST" "$ALPINE_ARM64_DIGEST"
check_swap library/golang "$GOLANG_MANIFEST_DIGEST" "$ALPINE_HOST_DIGEST"
[[ $(fetch_manifest "$HOSTILE_ADDR" library/alpine "$ALPINE_INDEX_DIGEST" "$CHECK") == 200 && $(body_digest "$CHECK") == "$ALPINE_INDEX_DIGEST" ]] \
  || die "the hostile proxy on $HOSTILE_ADDR did not forward library/alpine@$ALPINE_INDEX_DIGEST unchanged"
rm -f "$CHECK" "$CHECK.headers"
curl -fsS -X POST "http://$FAULTY_ADDR/__proxy/reset" >/dev/null
curl -fsS -X POST "http://$HOSTILE_ADDR/__proxy/reset" >/dev/null
curl -fsS -X POST "http://$HTML_ADDR/__proxy/reset" >/dev/null
log "proxies checked: html answers HTML, hostile swaps the two manifests, faulty forwards unchanged"

# The independent tools the supply-chain scenarios check our SBOMs and referrers with.
SUPPLY_CHAIN_BIN=$(bash "$HERE/supply-chain-tools.sh") || die "could not install syft, oras, cosign and the SBOM validators"

cat > "$WORKDIR/testbed.properties" <<PROPS
testbed.supplyChainBin=$SUPPLY_CHAIN_BIN
testbed.registry=$ADDR
testbed.authRegistry=$AUTH_ADDR
testbed.faultyRegistry=$FAULTY_ADDR
testbed.htmlRegistry=$HTML_ADDR
testbed.hostileRegistry=$HOSTILE_ADDR
testbed.apkRepository=$APK_URL
testbed.alpineIndexDigest=$ALPINE_INDEX_DIGEST
testbed.alpineAmd64Digest=$ALPINE_AMD64_DIGEST
testbed.golangIndexDigest=$GOLANG_INDEX_DIGEST
testbed.golangManifestDigest=$GOLANG_MANIFEST_DIGEST
PROPS
log "wrote $WORKDIR/testbed.properties (alpine source: $ALPINE_SRC)"
echo "registry: $ADDR"
echo "auth registry: $AUTH_ADDR (user msbuild)"
echo "faulty proxy: $FAULTY_ADDR (faults off; POST /__proxy/config to switch them on)"
echo "html proxy: $HTML_ADDR"
echo "hostile proxy: $HOSTILE_ADDR (swaps alpine:3.20 amd64 -> arm64, golang:$GO_XY-alpine -> alpine $HOST_ARCH)"
echo "alpine:3.20 index $ALPINE_INDEX_DIGEST, amd64 $ALPINE_AMD64_DIGEST"
echo "golang:$GO_XY-alpine index $GOLANG_INDEX_DIGEST, manifest $GOLANG_MANIFEST_DIGEST"
