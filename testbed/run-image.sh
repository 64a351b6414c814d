#!/usr/bin/env bash
# Checks a built image independently of the plugin by RUNNING it without Docker:
# pull with skopeo, unpack the layers into a rootfs, chroot into it inside fresh
# network/mount/pid namespaces (loopback only). The image config is honoured as a
# container runtime would: Entrypoint + Cmd, exactly the Env (plus HOME from the image's
# /etc/passwd when Env has none), WorkingDir (created when missing), and User (uid, uid:gid,
# or names looked up in the image's own /etc/passwd and /etc/group; no supplementary groups).
#
# Usage: testbed/run-image.sh [--insecure] [--creds USER:PASS] [--arch ARCH] [--stdin TEXT] [--http PORT URLPATH] IMAGE_REF
#   IMAGE_REF: registry ref (host:port/repo:tag, docker:// optional) or a
#              docker-archive:PATH / oci-archive:PATH / oci:PATH[:TAG] / dir:PATH source.
#   --insecure      plain HTTP / no TLS verification for the registry (the
#                   test bed registry is plain HTTP, so TLS verification is
#                   always off; the flag is accepted for clarity)
#   --creds USER:PASS
#                   log in to the registry (the test bed's basic-auth registry)
#   --arch ARCH     pick ARCH (arm64, arm/v7, ...) from a multi-platform image; an
#                   architecture other than this machine's runs under qemu-user
#                   (qemu-user-static, copied into the rootfs, no binfmt needed)
#   --stdin TEXT    feed TEXT plus a newline on stdin (default: /dev/null)
#   --http PORT URLPATH
#                   start the program in the background and GET
#                   http://127.0.0.1:PORT/URLPATH from the same network namespace
#   --http-wait SECONDS
#                   how long --http waits for the answer (default 10; a JVM web app
#                   on a loaded machine needs more)
# Exit: default mode = the program's exit code (killed after 30 s -> 124/137);
#       --http mode = 0 if the URL answered (body printed), else 1.
set -euo pipefail

log() { echo "run-image: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { sed -n '/^# Usage:/,/^[^#]/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# Not root: the same, as root of a user namespace of its own (unprivileged user namespaces,
# see prereqs.sh). Only this user's uid is mapped there (as 0), so the image's files all belong
# to it, and an image whose config names another user cannot switch to it: that fails, clearly.
ROOTLESS=${RUN_IMAGE_ROOTLESS:-0}
if [[ $(id -u) -ne 0 && $ROOTLESS != 1 ]]; then
  command -v unshare >/dev/null 2>&1 || die "not root, and 'unshare' not found; run $(dirname "$0")/prereqs.sh"
  unshare --user --map-root-user true 2>/dev/null \
    || die "not root, and this user cannot create a user namespace (see $(dirname "$0")/prereqs.sh)"
  log "not root (uid $(id -u)): running as root of a user namespace of its own (unshare --user --map-root-user)"
  RUN_IMAGE_ROOTLESS=1 exec unshare --user --map-root-user -- bash "$0" "$@"
fi

STDIN_TEXT= HAVE_STDIN=0 HTTP_PORT= HTTP_PATH= HTTP_WAIT=10 CREDS=() ARCH=
while [[ $# -gt 0 ]]; do
  case $1 in
    --insecure) shift ;;
    --creds) [[ $# -ge 2 ]] || usage; CREDS=(--src-creds "$2"); shift 2 ;;
    --arch) [[ $# -ge 2 ]] || usage; ARCH=$2; shift 2 ;;
    --stdin) [[ $# -ge 2 ]] || usage; STDIN_TEXT=$2; HAVE_STDIN=1; shift 2 ;;
    --http) [[ $# -ge 3 ]] || usage; HTTP_PORT=$2; HTTP_PATH=${3#/}; shift 3 ;;
    --http-wait) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage; HTTP_WAIT=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) log "unknown option $1"; usage ;;
    *) break ;;
  esac
done
[[ $# -eq 1 ]] || usage
REF=$1
[[ $(id -u) -eq 0 ]] || die "must run as root, or as root of a user namespace (chroot, namespaces, file ownership)"
for c in skopeo python3 tar unshare chroot ip curl timeout; do
  command -v "$c" >/dev/null 2>&1 || die "'$c' not found; run $(dirname "$0")/prereqs.sh"
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

case $REF in
  docker-archive:*|oci-archive:*|oci:*|dir:*) SRC=$REF ;;
  docker://*) SRC=$REF ;;
  *) SRC="docker://$REF" ;;
esac

TMP=$(mktemp -d /tmp/run-image.XXXXXX)
cleanup() {
  # The namespaces die with their init, so nothing can outlive this; the rootfs
  # may still hold mount points only if the mount ns leaked, hence the umount.
  umount -R "$TMP/rootfs/proc" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PICK=()
if [[ -n $ARCH ]]; then
  PICK=(--override-arch "${ARCH%%/*}")
  [[ $ARCH == */* ]] && PICK+=(--override-variant "${ARCH#*/}")
fi
SKOPEO=(skopeo)
# As root of a user namespace, skopeo would read root's signature store (/var/lib/containers/sigstore).
if ((ROOTLESS == 1)); then
  mkdir -p "$TMP/registries.d" "$TMP/sigstore"
  printf 'default-docker:\n  sigstore: file://%s\n' "$TMP/sigstore" > "$TMP/registries.d/default.yaml"
  SKOPEO+=(--registries.d "$TMP/registries.d")
fi
"${SKOPEO[@]}" "${PICK[@]}" copy --quiet --src-tls-verify=false "${CREDS[@]}" "$SRC" "dir:$TMP/image" >&2 \
  || die "skopeo could not copy $SRC"
INFO=$(python3 "$HERE/oci.py" image-info "$TMP/image") || die "cannot read the image manifest/config"

# Pull everything out of the config JSON into bash arrays (NUL separated).
readarray -d '' -t ARGV < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.stdout.write("".join(a+"\0" for a in d["entrypoint"]+d["cmd"]))' "$INFO")
readarray -d '' -t ENVV < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.stdout.write("".join(a+"\0" for a in d["env"]))' "$INFO")
readarray -d '' -t LAYERS < <(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.stdout.write("".join(a+"\0" for a in d["layers"]))' "$INFO")
WORKDIR=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["workdir"])' "$INFO")
USERSPEC=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["user"])' "$INFO")
SHOWN_EP=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["entrypoint"]))' "$INFO")
SHOWN_CMD=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["cmd"]))' "$INFO")

((${#ARGV[@]})) || die "image has neither Entrypoint nor Cmd"

ROOTFS="$TMP/rootfs"
# Rootless, only uid 0 exists: the layers' owners cannot be kept (files become this user's).
OCI_UNPACK_KEEP_OWNERS=$((ROOTLESS == 1 ? 0 : 1)) python3 "$HERE/oci.py" unpack "$ROOTFS" "${LAYERS[@]}" \
  || die "unpacking layers failed"
rm -rf "$TMP/image"   # free the space early

# Another architecture: run the entrypoint under the matching qemu-user, placed in the rootfs.
HOST_ARCH=$(uname -m)
if [[ -n $ARCH ]]; then
  case ${ARCH%%/*} in
    amd64) QARCH=x86_64 ;; arm64) QARCH=aarch64 ;; arm) QARCH=arm ;; 386) QARCH=i386 ;;
    *) QARCH=${ARCH%%/*} ;;
  esac
  if [[ $QARCH != "$HOST_ARCH" ]]; then
    QEMU=$(command -v "qemu-$QARCH-static") || die "qemu-$QARCH-static not found (Debian package qemu-user-static)"
    mkdir -p "$ROOTFS/.qemu"
    cp "$QEMU" "$ROOTFS/.qemu/"
    ARGV=("/.qemu/qemu-$QARCH-static" "${ARGV[@]}")
    log "running the $ARCH entrypoint under qemu-$QARCH-static"
  fi
fi

# User -> numeric uid/gid, resolved against the IMAGE's /etc/passwd and
# /etc/group (as Docker does). A numeric uid without group gets the passwd gid
# or 0. We use `unshare --root/--wd/--setuid/--setgid` (chroot(2)+chdir+setuid)
# rather than chroot(1) because chroot(1) always chdirs to / and an image
# (e.g. FROM scratch) has no helper to enter WorkingDir.
RUN_UID= RUN_GID=
if [[ -n $USERSPEC ]]; then
  u=${USERSPEC%%:*} g=
  [[ $USERSPEC == *:* ]] && g=${USERSPEC#*:}
  if [[ $u =~ ^[0-9]+$ ]]; then
    RUN_UID=$u
    pw_gid=$(awk -F: -v u="$u" '$3==u {print $4; exit}' "$ROOTFS/etc/passwd" 2>/dev/null || true)
  else
    line=$(awk -F: -v u="$u" '$1==u {print $3":"$4; exit}' "$ROOTFS/etc/passwd" 2>/dev/null || true)
    [[ -n $line ]] || die "user '$u' not found in the image's /etc/passwd"
    RUN_UID=${line%%:*} pw_gid=${line#*:}
  fi
  if [[ -z $g ]]; then
    RUN_GID=${pw_gid:-0}
  elif [[ $g =~ ^[0-9]+$ ]]; then
    RUN_GID=$g
  else
    RUN_GID=$(awk -F: -v g="$g" '$1==g {print $3; exit}' "$ROOTFS/etc/group" 2>/dev/null || true)
    [[ -n $RUN_GID ]] || die "group '$g' not found in the image's /etc/group"
  fi
fi
ID_ARGS=()
[[ -n $RUN_UID ]] && ID_ARGS=(--setgid "$RUN_GID" --setuid "$RUN_UID")
if [[ $ROOTLESS == 1 && -n $RUN_UID && ( $RUN_UID != 0 || $RUN_GID != 0 ) ]]; then
  die "the image runs as $USERSPEC ($RUN_UID:$RUN_GID), but as non-root only uid 0 of a user namespace is available; run this as root"
fi
# As Docker does: HOME, unless the image's Env sets it, is the user's home in the image's
# /etc/passwd, else /.
if ! printf '%s\n' "${ENVV[@]}" | grep -q '^HOME='; then
  home=$(awk -F: -v u="${RUN_UID:-0}" '$3==u {print $6; exit}' "$ROOTFS/etc/passwd" 2>/dev/null || true)
  ENVV+=("HOME=${home:-/}")
fi

log "$REF entrypoint=$SHOWN_EP cmd=$SHOWN_CMD user=${USERSPEC:-<root>}${RUN_UID:+ ($RUN_UID:$RUN_GID)} workdir=$WORKDIR (chroot in a new network namespace)"

# Minimal /proc and /dev in the rootfs: mount points for the inner script.
mkdir -p "$ROOTFS/proc" "$ROOTFS/dev"
for d in null zero random urandom full tty; do
  [[ -e $ROOTFS/dev/$d || -L $ROOTFS/dev/$d ]] || : > "$ROOTFS/dev/$d"
done
if [[ ! -d $ROOTFS/$WORKDIR ]]; then
  mkdir -p "$ROOTFS/$WORKDIR"   # Docker creates a missing WorkingDir too
fi

# Inner script: pid 1 of fresh net+mount+pid namespaces, still on the host
# filesystem (so it can use host ip/curl). When it exits, the kernel kills
# everything left in the pid namespace: the server can never outlive us.
# Args: MODE ROOTFS PORT PATH OUTFILE -- command...
INNER='
set -u
mode=$1 root=$2 port=$3 path=$4 out=$5; shift 6
ip link set lo up || { echo "run-image: cannot bring lo up" >&2; exit 125; }
mount -t proc proc "$root/proc" 2>/dev/null || echo "run-image: warning: cannot mount /proc" >&2
for d in null zero random urandom full tty; do
  [ -L "$root/dev/$d" ] || mount --bind "/dev/$d" "$root/dev/$d" 2>/dev/null || true
done
if [ "$mode" = run ]; then
  "$@"
  exit $?
fi
"$@" > "$out" 2>&1 < /dev/null &
srv=$!
ok=1 n=0
while [ $n -lt "${HTTP_TRIES:-50}" ]; do   # 50 x 0.2 s = 10 s by default (--http-wait)
  if body=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/$path" 2>/dev/null); then ok=0; break; fi
  kill -0 $srv 2>/dev/null || break   # server exited: no point waiting
  sleep 0.2
  n=$((n+1))
done
kill -KILL $srv 2>/dev/null
wait $srv 2>/dev/null
if [ $ok -eq 0 ]; then
  printf "%s\n" "$body"
  exit 0
fi
echo "run-image: no answer from http://127.0.0.1:$port/$path; server output:" >&2
cat "$out" >&2
exit 1
'

# env -i: the program sees exactly the image Env (PATH included).
CMD=(env -i "${ENVV[@]}" unshare --root="$ROOTFS" --wd="$WORKDIR" "${ID_ARGS[@]}" -- "${ARGV[@]}")
NS=(unshare --net --mount --pid --fork --kill-child --propagation private)

if [[ -z $HTTP_PORT ]]; then
  set +e
  if ((HAVE_STDIN)); then
    printf '%s\n' "$STDIN_TEXT" | timeout --kill-after=5 30 "${NS[@]}" sh -c "$INNER" sh run "$ROOTFS" "" "" "" -- "${CMD[@]}" 2>&1
  else
    timeout --kill-after=5 30 "${NS[@]}" sh -c "$INNER" sh run "$ROOTFS" "" "" "" -- "${CMD[@]}" < /dev/null 2>&1
  fi
  rc=$?
  set -e
  ((rc == 124)) && log "killed after 30 s"
  exit "$rc"
else
  set +e
  export HTTP_TRIES=$((HTTP_WAIT * 5))
  timeout --kill-after=5 $((HTTP_WAIT + 30)) "${NS[@]}" sh -c "$INNER" sh http "$ROOTFS" "$HTTP_PORT" "$HTTP_PATH" "$TMP/server.out" -- "${CMD[@]}" < /dev/null
  rc=$?
  set -e
  if ((rc == 0)); then log "http://127.0.0.1:$HTTP_PORT/$HTTP_PATH answered"; else log "http check failed (exit $rc)"; fi
  exit $(( rc == 0 ? 0 : 1 ))
fi
