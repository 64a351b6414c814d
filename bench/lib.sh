# Shared by the bench/ scripts (sourced, not run): the test bed, the installed plugin, medians and
# the results file. Expects NAME set by the caller; sets ROOT, BENCH, TESTBED and REGISTRY.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH=$ROOT/target/bench
TESTBED=$BENCH/testbed

log() { echo "$NAME: $*" >&2; }
mkdir -p "$BENCH"

# The test bed registry (stopped when the script exits) and this checkout's plugin, installed.
bench_setup() {
  bash testbed/registry-up.sh "$TESTBED" >/dev/null
  trap 'bash "$ROOT/testbed/registry-down.sh" "$TESTBED"' EXIT
  REGISTRY=$(sed -n 's/^testbed\.registry=//p' "$TESTBED/testbed.properties")
  [[ -n $REGISTRY ]] || { log "no testbed.registry in $TESTBED/testbed.properties"; exit 1; }
  log "test bed registry at $REGISTRY"
  log "installing the plugin"
  if ! mvn -B -ntp -q install -DskipTests -DskipITs > "$BENCH/install.log" 2>&1; then
    log "mvn install failed; its output ($BENCH/install.log):"
    tail -n 40 "$BENCH/install.log" >&2
    exit 1
  fi
}

# buildah_mirror FILE: a registries.conf in FILE that sends docker.io to the test bed (plain HTTP),
# and CONTAINERS_REGISTRIES_CONF pointing at it, for buildah.
buildah_mirror() {
  cat > "$1" <<CONF
unqualified-search-registries = ["docker.io"]
[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "$REGISTRY"
insecure = true
[[registry]]
location = "$REGISTRY"
insecure = true
CONF
  export CONTAINERS_REGISTRIES_CONF=$1
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# record FILE TABLE: prints the table and appends it, headed by the date and the machine, to FILE.
record() {
  local file=$1 table=$2
  echo "$table"
  {
    echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "$table"
    echo
  } >> "$file"
  log "appended to $file"
}

# image_sizes REF: "compressed unpacked layers" of an image in the test bed registry
# (REF as docker://host/repo:tag): compressed as the registry stores its layers, and unpacked.
image_sizes() {
  local dir
  dir=$(mktemp -d)
  skopeo copy -q --src-tls-verify=false "$1" "dir:$dir" >/dev/null
  python3 - "$dir" <<'PY'
import gzip, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
compressed = sum(l["size"] for l in m["layers"])
unpacked = 0
for l in m["layers"]:
    with gzip.open(os.path.join(d, l["digest"].split(":", 1)[1])) as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            unpacked += len(b)
print(compressed, unpacked, len(m["layers"]))
PY
  rm -rf "$dir"
}
