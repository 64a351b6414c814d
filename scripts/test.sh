#!/usr/bin/env bash
# Runs every test: unit tests, then each src/it scenario against a real registry that the build
# starts itself (testbed/), with the real Go toolchain and the Alpine fixtures; then a set of
# them again as an unprivileged user (scripts/test-nonroot.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash testbed/prereqs.sh
mvn -B -ntp verify "$@"
bash scripts/test-nonroot.sh
