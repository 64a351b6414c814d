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
