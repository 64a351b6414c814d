#!/usr/bin/env bash
# Installs (idempotently, into a per-user cache) the supply-chain tools the test bed uses to check
# the SBOMs, attestations and signatures the plugin pushes: syft, oras, cosign (go install, pinned)
# plus spdx-validate / cdx-validate wrappers over a pinned Python venv. Prints only the bin dir.
# Usage: BIN=$(testbed/supply-chain-tools.sh) && "$BIN/syft" ...   (cache: $MSBUILD_TESTBED_CACHE)
set -euo pipefail

# Everything but the final path goes to stderr: keep the real stdout on fd 3.
exec 3>&1 1>&2

log() { echo "supply-chain-tools: $*" >&2; }
die() { log "error: $*"; exit 1; }

# name | package to go install | module path | pinned version
GO_TOOLS=(
  "syft|github.com/anchore/syft/cmd/syft|github.com/anchore/syft|v1.57.2"
  "oras|oras.land/oras/cmd/oras|oras.land/oras|v1.3.6"
  "cosign|github.com/sigstore/cosign/v2/cmd/cosign|github.com/sigstore/cosign/v2|v2.6.5"
)
# Exact pins (checked against PyPI with `pip index versions`).
PY_REQUIREMENTS=(
  "spdx-tools==0.8.5"
  "cyclonedx-python-lib[json-validation]==11.12.0"
)

CACHE_ROOT=${MSBUILD_TESTBED_CACHE:-$HOME/.cache/msbuild-testbed}
mkdir -p "$CACHE_ROOT/supply-chain"
CACHE=$(cd "$CACHE_ROOT/supply-chain" && pwd -P)
BIN=$CACHE/bin
VENV=$CACHE/venv
STAMPS=$CACHE/stamps
mkdir -p "$BIN" "$STAMPS" "$CACHE/libexec"

# Two CI processes may run this at once: serialise on the cache lock.
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "waiting for the lock on $CACHE/.lock"
  flock 9
fi

TMPDIRS=()
cleanup() { local d; for d in "${TMPDIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Go tools. The pinned version is read from the binary's embedded build info (`go version -m`):
# `syft version` prints "[not provided]" for a go-install build, so it cannot be trusted; a stamp
# file per tool is kept as well and used when no go toolchain is on PATH.

# go_tool_ok NAME PKG MOD VERSION: the cached binary is that package at that version.
go_tool_ok() {
  local name=$1 pkg=$2 mod=$3 ver=$4 exe=$BIN/$1 info
  [[ -x $exe ]] || return 1
  if command -v go >/dev/null 2>&1; then
    info=$(go version -m "$exe" 2>/dev/null) || return 1
    awk -v pkg="$pkg" -v mod="$mod" -v ver="$ver" '
      $1 == "path" && $2 == pkg { p = 1 }
      $1 == "mod" && $2 == mod && $3 == ver { m = 1 }
      END { exit !(p && m) }' <<<"$info"
  else
    [[ -f $STAMPS/$name && $(cat "$STAMPS/$name") == "$pkg@$ver" ]]
  fi
}

install_go_tool() {
  local name=$1 pkg=$2 mod=$3 ver=$4 tmp goflags
  command -v go >/dev/null 2>&1 || die "go is not on PATH (needed to install $name)"
  tmp=$(mktemp -d "$CACHE/.gobin.XXXXXX")
  TMPDIRS+=("$tmp")
  goflags=$(go env GOFLAGS)
  [[ " $goflags " == *" -trimpath "* ]] || goflags="${goflags:+$goflags }-trimpath"
  log "installing $name: go install $pkg@$ver (this compiles; can take minutes)"
  GOBIN=$tmp GOFLAGS=$goflags go install "$pkg@$ver" || die "go install $pkg@$ver failed"
  [[ -x $tmp/$name ]] || die "go install $pkg@$ver produced no $name binary"
  # Same filesystem, so the rename is atomic for anyone running the old binary right now.
  mv -f "$tmp/$name" "$BIN/$name"
  echo "$pkg@$ver" >"$STAMPS/$name.tmp" && mv -f "$STAMPS/$name.tmp" "$STAMPS/$name"
  go_tool_ok "$name" "$pkg" "$mod" "$ver" || die "$BIN/$name does not report $mod $ver after install"
}

for spec in "${GO_TOOLS[@]}"; do
  IFS='|' read -r name pkg mod ver <<<"$spec"
  if go_tool_ok "$name" "$pkg" "$mod" "$ver"; then
    log "$name $ver already installed"
    # Keep the stamp in step for machines that later lack go.
    [[ -f $STAMPS/$name && $(cat "$STAMPS/$name") == "$pkg@$ver" ]] || echo "$pkg@$ver" >"$STAMPS/$name"
  else
    install_go_tool "$name" "$pkg" "$mod" "$ver"
  fi
done

# ---------------------------------------------------------------------------------------------
# Python venv with spdx-tools and cyclonedx-python-lib. A venv is not relocatable, so it is built
# in place (under the lock) and only counted as done once the requirements stamp is written last.
PYTHON=${PYTHON:-python3}
VENV_STAMP=$VENV/.msbuild-testbed-requirements
want_stamp=$(printf '%s\n' "${PY_REQUIREMENTS[@]}")

venv_ok() {
  [[ -x $VENV/bin/python && -x $VENV/bin/pyspdxtools && -f $VENV_STAMP ]] || return 1
  [[ $(cat "$VENV_STAMP") == "$want_stamp" ]] || return 1
  "$VENV/bin/python" -c 'import spdx_tools.spdx.clitools.pyspdxtools, cyclonedx.validation.json, jsonschema' \
    >/dev/null 2>&1
}

make_venv() {
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
}

if venv_ok; then
  log "python venv already set up (${PY_REQUIREMENTS[*]})"
else
  command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON is not on PATH"
  log "creating python venv $VENV"
  if ! make_venv; then
    # Debian ships the venv module (ensurepip) separately.
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
      die "'$PYTHON -m venv' failed; install python3-venv (Debian) and re-run"
    fi
    pyver=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    log "'$PYTHON -m venv' failed; installing Debian's python3-venv"
    apt-get update -qq || log "apt-get update failed; trying the install anyway"
    venv_made=
    for deb in python3-venv "python$pyver-venv"; do
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" || continue
      if make_venv; then venv_made=1; break; fi
    done
    [[ -n $venv_made ]] || die "'$PYTHON -m venv' still fails after installing python3-venv"
  fi
  log "pip install ${PY_REQUIREMENTS[*]}"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q "${PY_REQUIREMENTS[@]}" \
    || die "pip install failed"
  printf '%s\n' "$want_stamp" >"$VENV_STAMP"
  venv_ok || die "the venv at $VENV does not import spdx-tools / cyclonedx-python-lib"
fi

# ---------------------------------------------------------------------------------------------
# Wrapper scripts: written to a temp name and renamed, and only when their content changed.

# put_file DEST MODE: install stdin as DEST.
put_file() {
  local dest=$1 mode=$2 tmp
  tmp=$(mktemp "$dest.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$dest"
    log "wrote $dest"
  fi
}

put_file "$BIN/spdx-validate" 755 <<EOF
#!/usr/bin/env bash
# Generated by testbed/supply-chain-tools.sh: validates an SPDX 2.3 JSON document with spdx-tools.
# Usage: spdx-validate FILE   (exit 0 if valid; otherwise prints the problems and exits non-zero)
set -euo pipefail
[[ \$# == 1 ]] || { echo "usage: spdx-validate FILE" >&2; exit 2; }
f=\$1
[[ -r \$f ]] || { echo "spdx-validate: cannot read \$f" >&2; exit 2; }
# pyspdxtools picks the parser from the file ending: make sure it reads JSON.
if [[ \$f != *.json ]]; then
  d=\$(mktemp -d); trap 'rm -rf "\$d"' EXIT
  cp -- "\$f" "\$d/document.spdx.json"; f=\$d/document.spdx.json
fi
if "$VENV/bin/pyspdxtools" --version SPDX-2.3 -i "\$f"; then
  echo "valid SPDX 2.3: \$1"
else
  rc=\$?; echo "spdx-validate: \$1 is not a valid SPDX 2.3 JSON document" >&2; exit "\$rc"
fi
EOF

put_file "$CACHE/libexec/cdx-validate.py" 644 <<'EOF'
# Generated by testbed/supply-chain-tools.sh: validates a CycloneDX 1.6 JSON document against the
# 1.6 JSON schema bundled in cyclonedx-python-lib (works offline).
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def main(argv):
    if len(argv) != 2:
        print("usage: cdx-validate FILE", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        doc = json.loads(text)
    except (OSError, ValueError) as e:
        print(f"cdx-validate: {path}: cannot read JSON: {e}", file=sys.stderr)
        return 1
    problems = []
    if not isinstance(doc, dict):
        problems.append("$: the document is not a JSON object")
    else:
        if doc.get("bomFormat") != "CycloneDX":
            problems.append(f"$.bomFormat: expected 'CycloneDX', got {doc.get('bomFormat')!r}")
        if doc.get("specVersion") != "1.6":
            problems.append(f"$.specVersion: expected '1.6', got {doc.get('specVersion')!r}")
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    for err in errors or ():
        data = getattr(err, "data", None)
        where = getattr(data, "json_path", "$")
        message = getattr(data, "message", None) or str(err)
        problems.append(f"{where}: {message}")
    if problems:
        print(f"cdx-validate: {path} is not a valid CycloneDX 1.6 document:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print("valid CycloneDX 1.6")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
EOF

put_file "$BIN/cdx-validate" 755 <<EOF
#!/usr/bin/env bash
# Generated by testbed/supply-chain-tools.sh: validates a CycloneDX 1.6 JSON document (offline).
# Usage: cdx-validate FILE   (prints "valid CycloneDX 1.6" and exits 0, or the errors and exits 1)
exec "$VENV/bin/python" "$CACHE/libexec/cdx-validate.py" "\$@"
EOF

log "ready: $BIN"
echo "$BIN" >&3
