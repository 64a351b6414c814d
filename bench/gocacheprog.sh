#!/usr/bin/env bash
# Two designs for sharing Go's build cache through a registry, measured on the same apps with
# this machine's go (`go build`, CGO_ENABLED=0, GOFLAGS="-trimpath -buildvcs=false"; the module
# cache is filled once beforehand and then read with GOPROXY=off, so only the build cache
# differs) against the test bed registry (Debian's docker-registry 2.8, plain HTTP):
#   chunks:      what -Dmsbuild.cache.registry does with Go's caches: after a build, one gzipped
#                tar of the GOCACHE entries the registry lacks, pushed as a layer (curl: POST +
#                PUT per blob, the file list as the config, one manifest); before a build into
#                an empty GOCACHE, the manifest, the config and each chunk are fetched and
#                unpacked (curl | tar xz);
#   GOCACHEPROG: bench/gocacheprog-registry.py, Go's cache protocol with one manifest per action
#                ID (the output inline up to 64 KiB, else one blob): every cache lookup of the
#                go command is a registry request unless its local directory has the entry.
# Apps: the seed webserver (with a go.mod, as peers.sh gives ko), examples/go-moddep and Caddy
# $CADDY_VERSION from the Go module proxy (as bench/shared-cache.sh fetches it). Cases:
#   cold:        empty GOCACHE, no registry (COLD_RUNS; the last one is runner A of chunks);
#   warm local:  runner A's GOCACHE again, no change; and after a one-line change;
#   runner A:    chunks: the export after the cold build; GOCACHEPROG: a cold build that puts
#                every entry (the helper's uploads finish before go exits);
#   runner B:    empty GOCACHE (and helper directory), same sources (RUNS runs);
#   runner B2:   empty GOCACHE, a one-line change (RUNS runs, each its own change; chunks
#                export their new files as one more chunk afterwards, GOCACHEPROG puts them);
#   B, +DELAY_MS: runner B through a proxy that delays every byte sent to the registry by
#                DELAY_MS (a registry that far away: one round trip more per request), 1 run.
# Requests and bytes: counted by the helper (its --stats line) and, for chunks, per curl call.
# Prints the table and appends it, with the date and the machine, to target/bench/gocacheprog.txt.
# Takes about 15 minutes on 2 cores (Caddy is most of it).
NAME=gocacheprog
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
COLD_RUNS=${COLD_RUNS:-2}
BIG_COLD_RUNS=${BIG_COLD_RUNS:-1}
DELAY_MS=${DELAY_MS:-20}
APPS=${APPS:-webserver moddep caddy}
CADDY_VERSION=v2.11.9
WORK=$BENCH/gocacheprog
HELPER=$ROOT/bench/gocacheprog-registry.py
RUN_ID=$(date +%s)

# The test bed registry only: no plugin is needed here.
bash testbed/registry-up.sh "$TESTBED" >/dev/null
REGISTRY=$(sed -n 's/^testbed\.registry=//p' "$TESTBED/testbed.properties")
[[ -n $REGISTRY ]] || { log "no testbed.registry in $TESTBED/testbed.properties"; exit 1; }
log "test bed registry at $REGISTRY"
rm -rf "$WORK"
mkdir -p "$WORK"

# A delay line in front of the registry: what the client sends reaches the registry DELAY_MS
# later (answers are not delayed), so each request costs one DELAY_MS round trip more.
cat > "$WORK/delay-proxy.py" <<'PY'
import collections, socket, sys, threading, time
listen_port, upstream_port, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000
def copy(src, dst, d):
    q, cv = collections.deque(), threading.Condition()
    def reader():
        while True:
            try:
                data = src.recv(1 << 16)
            except OSError:
                data = b""
            with cv:
                q.append((time.monotonic() + d, data))
                cv.notify()
            if not data:
                return
    threading.Thread(target=reader, daemon=True).start()
    while True:
        with cv:
            while not q:
                cv.wait()
            t, data = q.popleft()
        if t > time.monotonic():
            time.sleep(t - time.monotonic())
        try:
            if not data:
                dst.shutdown(socket.SHUT_WR)
                return
            dst.sendall(data)
        except OSError:
            return
def serve(client):
    up = socket.create_connection(("127.0.0.1", upstream_port))
    for s in (client, up):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=copy, args=(client, up, delay), daemon=True).start()
    threading.Thread(target=copy, args=(up, client, 0), daemon=True).start()
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen_port))
srv.listen(64)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
DELAY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$WORK/delay-proxy.py" "$DELAY_PORT" "${REGISTRY##*:}" "$DELAY_MS" &
DELAY_PID=$!
trap 'kill "$DELAY_PID" 2>/dev/null || true; bash "$ROOT/testbed/registry-down.sh" "$TESTBED"' EXIT
DELAYED=127.0.0.1:$DELAY_PORT
for _ in $(seq 1 50); do curl -fsS "http://$DELAYED/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

# --- sources and the module cache -------------------------------------------------------------
export GOMODCACHE=$WORK/gomod GOTOOLCHAIN=local CGO_ENABLED=0
mkdir -p "$WORK/src"
cp -r examples/seed-000-webserver "$WORK/src/webserver"
printf 'module example.com/webserver\n\ngo 1.26\n' > "$WORK/src/webserver/go.mod"
cp -r examples/go-moddep "$WORK/src/moddep"
if [[ " $APPS " == *" caddy "* ]]; then
  log "fetching github.com/caddyserver/caddy/v2@$CADDY_VERSION from the Go module proxy"
  dir=$(GOMODCACHE=$WORK/fetch GOFLAGS=-mod=mod go mod download -json "github.com/caddyserver/caddy/v2@$CADDY_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp -r "$dir" "$WORK/src/caddy"
  chmod -R u+w "$WORK/src/caddy" "$WORK/fetch"
  rm -rf "$WORK/fetch"
fi
pkg() { if [[ $1 == caddy ]]; then echo ./cmd/caddy; else echo .; fi; }
for app in $APPS; do
  log "$app: filling the module cache"
  (cd "$WORK/src/$app" && GOFLAGS=-mod=readonly go list -deps "$(pkg "$app")" >/dev/null)
done
export GOPROXY=off GOFLAGS="-trimpath -buildvcs=false"

# edit APP DIR MARK: a one-line change to the app's source.
edit() {
  case $1 in
    webserver) sed -i "s/Hola Multibuild Docker[^:\"]*:/Hola Multibuild Docker ($3):/" "$2/main.go" ;;
    moddep) sed -i "s/module dependency ok[^:\"]*:/module dependency ok ($3):/" "$2/main.go" ;;
    caddy) sed -i "s/Short: \"Prints the version[^\"]*\"/Short: \"Prints the version ($3)\"/" "$2/cmd/commands.go" ;;
  esac
}

now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }

# gobuild APP DIR GOCACHE [GOCACHEPROG]: go build of the app's main package; prints the seconds.
gobuild() {
  local app=$1 dir=$2 cache=$3 prog=${4:-} start log
  log=$WORK/go-$app-$(date +%s%N).log
  mkdir -p "$cache"
  start=$(now)
  if ! (cd "$dir" && GOCACHE=$cache GOCACHEPROG=$prog go build -o "$dir/out.bin" "$(pkg "$app")") > "$log" 2>&1; then
    log "go build of $app in $dir failed ($log):"
    tail -n 20 "$log" >&2
    exit 1
  fi
  since "$start"
}

carries() { grep -aqF "($2)" "$1/out.bin" || { log "$1/out.bin does not carry the change '$2'"; exit 1; }; }

# fresh APP NAME [MARK]: a fresh copy of the app's sources (new mtimes), edited when MARK is given.
fresh() {
  local dir=$WORK/$1/$2
  rm -rf "$dir"
  mkdir -p "$WORK/$1"
  cp -r "$WORK/src/$1" "$dir"
  if [[ -n ${3:-} ]]; then edit "$1" "$dir" "$3"; fi
  # What earlier runs wrote (and deleted) reaches the disk before the next timed step.
  sync
  echo "$dir"
}

# --- chunks, with curl ------------------------------------------------------------------------
# Each curl call is one request; REQS and the byte counters add them up for the current case
# (globals: these functions are not called in a subshell).
REQS=0 DOWN=0 UP=0 STATUS= DIGEST=
req() { # req OUTFILE METHOD URL [curl args]: one request; its HTTP status in STATUS
  local out=$1 method=$2 url=$3 down up
  shift 3
  REQS=$((REQS + 1))
  read -r STATUS down up < <(curl -sS -o "$out" -X "$method" -w '%{http_code} %{size_download} %{size_upload}\n' "$@" "$url")
  DOWN=$((DOWN + down)) UP=$((UP + up))
}
push_blob() { # push_blob HOST REPO FILE: POST, then PUT of the bytes; the digest in DIGEST
  local host=$1 repo=$2 file=$3 loc
  DIGEST=sha256:$(sha256sum "$file" | cut -d' ' -f1)
  REQS=$((REQS + 1))
  loc=$(curl -sS -D - -o /dev/null -X POST -H 'Content-Length: 0' "http://$host/v2/$repo/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
  [[ $loc == http* ]] || loc=http://$host$loc
  req /dev/null PUT "$loc&digest=$DIGEST" -H 'Content-Type: application/octet-stream' --data-binary "@$file"
  [[ $STATUS == 201 ]] || { log "blob upload to $repo: HTTP $STATUS"; exit 1; }
}
# chunk_export HOST REPO TAG GOCACHE STATE: adds one chunk of the GOCACHE entries that STATE's
# config does not list; STATE/config.json is the file list, STATE/layers.json the layers.
chunk_export() {
  local host=$1 repo=$2 tag=$3 cache=$4 state=$5 layer
  mkdir -p "$state"
  [[ -f $state/config.json ]] || echo '{"chunks":[]}' > "$state/config.json"
  [[ -f $state/layers.json ]] || echo '[]' > "$state/layers.json"
  (cd "$cache" && find . -mindepth 2 -type f -name '*-[ad]' | sed 's,^\./,,' | sort) > "$state/local"
  python3 -c 'import json,sys; print("\n".join(sorted(f for c in json.load(open(sys.argv[1]))["chunks"] for f in c["files"])))' \
    "$state/config.json" | sed '/^$/d' > "$state/there"
  comm -23 "$state/local" "$state/there" > "$state/new"
  [[ -s $state/new ]] || return 0
  tar -C "$cache" -czf "$state/chunk.tar.gz" -T "$state/new"
  push_blob "$host" "$repo" "$state/chunk.tar.gz"
  layer=$DIGEST
  python3 - "$state" "$layer" "$(stat -c %s "$state/chunk.tar.gz")" <<'PY'
import json, sys
state, digest, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = json.load(open(state + "/config.json"))
config["chunks"].append({"digest": digest, "files": open(state + "/new").read().split()})
json.dump(config, open(state + "/config.json", "w"))
layers = json.load(open(state + "/layers.json"))
layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
json.dump(layers, open(state + "/layers.json", "w"))
PY
  push_blob "$host" "$repo" "$state/config.json"
  python3 - "$state" "$DIGEST" "$(stat -c %s "$state/config.json")" > "$state/manifest.json" <<'PY'
import json, sys
state, digest, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
print(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "artifactType": "application/vnd.dev.msbuild.cache.directory.v1",
                  "config": {"mediaType": "application/vnd.dev.msbuild.cache.files.v1+json", "digest": digest, "size": size},
                  "layers": json.load(open(state + "/layers.json"))}))
PY
  req /dev/null PUT "http://$host/v2/$repo/manifests/$tag" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$state/manifest.json"
  [[ $STATUS == 201 ]] || { log "manifest PUT to $repo:$tag: HTTP $STATUS"; exit 1; }
  rm -f "$state/chunk.tar.gz"
}
# chunk_import HOST REPO TAG GOCACHE STATE: the manifest, the config (into STATE) and every chunk,
# unpacked into GOCACHE as it arrives.
chunk_import() {
  local host=$1 repo=$2 tag=$3 cache=$4 state=$5 digest size
  mkdir -p "$state" "$cache"
  req "$state/m.json" GET "http://$host/v2/$repo/manifests/$tag" -H 'Accept: application/vnd.oci.image.manifest.v1+json'
  [[ $STATUS == 200 ]] || { log "no chunks under $repo:$tag (HTTP $STATUS)"; exit 1; }
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["config"]["digest"]); print("\n".join("%s %d" % (l["digest"], l["size"]) for l in m["layers"]))' \
    "$state/m.json" > "$state/digests"
  req "$state/config.json" GET "http://$host/v2/$repo/blobs/$(head -n 1 "$state/digests")"
  [[ $STATUS == 200 ]] || { log "config of $repo:$tag: HTTP $STATUS"; exit 1; }
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["layers"]))' "$state/m.json" > "$state/layers.json"
  while read -r digest size; do
    REQS=$((REQS + 1)) DOWN=$((DOWN + size))
    curl -sS -f "http://$host/v2/$repo/blobs/$digest" | tar -xz -C "$cache"
  done < <(tail -n +2 "$state/digests")
}

# --- measuring --------------------------------------------------------------------------------
# result APP DESIGN CASE SECONDS [REQUESTS DOWN UP]
result() { echo "$1 $2 $3 $4 ${5:--} ${6:--} ${7:--}" >> "$WORK/results"; log "$1 $2 $3: $4 s, ${5:--} requests, ${6:--} B down, ${7:--} B up"; }
# prog_result APP CASE SECONDS STATS: the helper's last --stats line
prog_result() {
  read -r reqs down up gets < <(python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read().splitlines()[-1]); g=s["gets"]
print(s["request_count"], s["bytes_down"], s["bytes_up"], "local=%d,registry=%d,miss=%d,put=%d,wait=%.1fs,flush=%.1fs,off=%s" % (g["get local"], g["get registry"], g["get miss"], g["put"], s["get_wait_s"], s["flush_s"], bool(s["registry_off"])))' "$4")
  result "$1" gocacheprog "$2" "$3" "$reqs" "$down" "$up"
  log "  helper: $gets"
}
helper() { # helper HOST REPO DIR STATS
  echo "python3 $HELPER --registry $1 --repo $2 --dir $3 --stats $4"
}

touch "$WORK/results"
for app in $APPS; do
  repo_c=chunks/$app-$RUN_ID repo_p=gocacheprog/$app-$RUN_ID tag=gobuild-linux-amd64
  stats=$WORK/$app/stats.jsonl
  cold=$COLD_RUNS
  if [[ $app == caddy ]]; then cold=$BIG_COLD_RUNS; fi
  for ((i = 1; i <= cold; i++)); do
    rm -rf "$WORK/$app/cache-a"
    dir=$(fresh "$app" src-cold)
    s=$(gobuild "$app" "$dir" "$WORK/$app/cache-a")
    result "$app" none cold "$s"
  done
  # chunks, runner A: the export of that cold build's GOCACHE.
  REQS=0 DOWN=0 UP=0
  start=$(now)
  chunk_export "$REGISTRY" "$repo_c" "$tag" "$WORK/$app/cache-a" "$WORK/$app/state-a"
  result "$app" chunks runner-a-export "$(since "$start")" "$REQS" "$DOWN" "$UP"
  log "  chunk of $(wc -l < "$WORK/$app/state-a/new") files, $(awk '{ s += $0 } END { print s }' < <(python3 -c 'import json,sys; print("\n".join(str(l["size"]) for l in json.load(open(sys.argv[1]))))' "$WORK/$app/state-a/layers.json")) bytes"
  # warm local: runner A's GOCACHE, no change, then a one-line change.
  dir=$(fresh "$app" src-warm)
  s=$(gobuild "$app" "$dir" "$WORK/$app/cache-a")
  result "$app" none warm-local "$s"
  dir=$(fresh "$app" src-warm-change "warm $RUN_ID")
  s=$(gobuild "$app" "$dir" "$WORK/$app/cache-a")
  result "$app" none warm-local-change "$s"
  # chunks, runner B and B2.
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/cache-b" "$WORK/$app/state-b"
    dir=$(fresh "$app" src-b)
    REQS=0 DOWN=0 UP=0
    start=$(now)
    chunk_import "$REGISTRY" "$repo_c" "$tag" "$WORK/$app/cache-b" "$WORK/$app/state-b"
    import=$(since "$start")
    s=$(gobuild "$app" "$dir" "$WORK/$app/cache-b")
    result "$app" chunks runner-b "$(since "$start")" "$REQS" "$DOWN" "$UP"
    log "  of which the import: $import s"
  done
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/cache-b" "$WORK/$app/state-b"
    dir=$(fresh "$app" src-b2 "chunks $RUN_ID-$i")
    REQS=0 DOWN=0 UP=0
    start=$(now)
    chunk_import "$REGISTRY" "$repo_c" "$tag" "$WORK/$app/cache-b" "$WORK/$app/state-b"
    s=$(gobuild "$app" "$dir" "$WORK/$app/cache-b")
    carries "$dir" "chunks $RUN_ID-$i"
    chunk_export "$REGISTRY" "$repo_c" "$tag" "$WORK/$app/cache-b" "$WORK/$app/state-b"
    result "$app" chunks runner-b2 "$(since "$start")" "$REQS" "$DOWN" "$UP"
    log "  new chunk: $(wc -l < "$WORK/$app/state-b/new") files"
  done
  rm -rf "$WORK/$app/cache-b" "$WORK/$app/state-b"
  REQS=0 DOWN=0 UP=0
  dir=$(fresh "$app" src-b)
  start=$(now)
  chunk_import "$DELAYED" "$repo_c" "$tag" "$WORK/$app/cache-b" "$WORK/$app/state-b"
  s=$(gobuild "$app" "$dir" "$WORK/$app/cache-b")
  result "$app" chunks "runner-b-delay$DELAY_MS" "$(since "$start")" "$REQS" "$DOWN" "$UP"
  rm -rf "$WORK/$app/cache-b" "$WORK/$app/state-b" "$WORK/$app/cache-a"

  # GOCACHEPROG: runner A (cold, puts everything), B, B2, B through the delay.
  rm -rf "$WORK/$app/prog-a" "$WORK/$app/gocache-a"
  dir=$(fresh "$app" src-cold)
  s=$(gobuild "$app" "$dir" "$WORK/$app/gocache-a" "$(helper "$REGISTRY" "$repo_p" "$WORK/$app/prog-a" "$stats")")
  prog_result "$app" runner-a "$s" "$stats"
  rm -rf "$WORK/$app/prog-a" "$WORK/$app/gocache-a"
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/prog-b" "$WORK/$app/gocache-b"
    dir=$(fresh "$app" src-b)
    s=$(gobuild "$app" "$dir" "$WORK/$app/gocache-b" "$(helper "$REGISTRY" "$repo_p" "$WORK/$app/prog-b" "$stats")")
    prog_result "$app" runner-b "$s" "$stats"
  done
  for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$WORK/$app/prog-b" "$WORK/$app/gocache-b"
    dir=$(fresh "$app" src-b2 "prog $RUN_ID-$i")
    s=$(gobuild "$app" "$dir" "$WORK/$app/gocache-b" "$(helper "$REGISTRY" "$repo_p" "$WORK/$app/prog-b" "$stats")")
    carries "$dir" "prog $RUN_ID-$i"
    prog_result "$app" runner-b2 "$s" "$stats"
  done
  rm -rf "$WORK/$app/prog-b" "$WORK/$app/gocache-b"
  dir=$(fresh "$app" src-b)
  s=$(gobuild "$app" "$dir" "$WORK/$app/gocache-b" "$(helper "$DELAYED" "$repo_p" "$WORK/$app/prog-b" "$stats")")
  prog_result "$app" "runner-b-delay$DELAY_MS" "$s" "$stats"
  rm -rf "$WORK/$app"/prog-* "$WORK/$app"/gocache-* "$WORK/$app"/src-*
done

# --- table ------------------------------------------------------------------------------------
col() { awk -v a="$1" -v d="$2" -v c="$3" -v f="$4" '$1 == a && $2 == d && $3 == c { print $f }' "$WORK/results"; }
med() { local v; v=$(col "$@"); if [[ -z $v || $v == -* ]]; then echo -; else median $v; fi; }
mb() { if [[ $1 == - ]]; then echo -; else awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; fi; }
row() { # row APP DESIGN CASE LABEL
  local s
  s=$(med "$1" "$2" "$3" 4)
  [[ $s == - ]] && return 0
  TABLE+="
| $1 | $4 | $(col "$1" "$2" "$3" 4 | paste -sd' ' -) | $s | $(med "$1" "$2" "$3" 5 | sed 's/\.[0-9]*$//') | $(mb "$(med "$1" "$2" "$3" 6)") | $(mb "$(med "$1" "$2" "$3" 7)") |"
}
TABLE="| App | Case | Runs (s) | Median (s) | Registry requests | MB down | MB up |
|---|---|---|---|---|---|---|"
for app in $APPS; do
  row "$app" none cold "cold: empty GOCACHE, no registry"
  row "$app" none warm-local "warm local GOCACHE, no change"
  row "$app" none warm-local-change "warm local GOCACHE, one-line change"
  row "$app" chunks runner-a-export "chunks, runner A: export after the cold build (tar czf + upload)"
  row "$app" gocacheprog runner-a "GOCACHEPROG, runner A: cold build, every entry put"
  row "$app" chunks runner-b "chunks, runner B: import + build"
  row "$app" gocacheprog runner-b "GOCACHEPROG, runner B: build"
  row "$app" chunks runner-b2 "chunks, runner B2: import + build + export, one-line change"
  row "$app" gocacheprog runner-b2 "GOCACHEPROG, runner B2: build, one-line change"
  row "$app" chunks "runner-b-delay$DELAY_MS" "chunks, runner B, registry +$DELAY_MS ms a request"
  row "$app" gocacheprog "runner-b-delay$DELAY_MS" "GOCACHEPROG, runner B, registry +$DELAY_MS ms a request"
done
TABLE+="

$(go version), GOFLAGS=\"$GOFLAGS\", GOMAXPROCS $(nproc). Machine load while measuring (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
record "$BENCH/gocacheprog.txt" "$TABLE"
