#!/usr/bin/env bash
# Runs a set of scenarios, and the tests of what builds leave behind, as an unprivileged user:
# non-root (GitHub-style runners, laptops) is a platform of its own. Called by scripts/test.sh
# after the main `mvn verify`, whose outputs it reuses: the plugin as installed into
# target/it-repo, the compiled classes and tests, the Maven repository and the test bed's image
# layouts, all copied to the user (nothing is downloaded again, nothing of root's is written).
# The user gets its own test-bed registry on free ports, and unpacks the builder images itself.
#
# Usage (as root): scripts/test-nonroot.sh
#   MSBUILD_CI_USER             the user, created when missing (default msbuild-ci)
#   MSBUILD_NONROOT_SCENARIOS   comma list of src/it scenarios (default below)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

log() { echo "test-nonroot: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

CI_USER=${MSBUILD_CI_USER:-msbuild-ci}
# direct isolation with a go.mod module on alpine, bubblewrap, the unshare sandbox, a failed
# sandbox build and its recovery, a Java build, and a reactor of Go and Java modules.
SCENARIOS=${MSBUILD_NONROOT_SCENARIOS:-seed-001-hello-gomod,dockerfile-seed-003,sandbox-command,sandbox-unshare-go,sandbox-failure-recovery,java-jib-style,reactor-go-java}
UNIT_TESTS=LeftoversAsNonRootTest,BuildInputsTest,NothingToBuildTest
FIXTURES=$(cd "${MSBUILD_FIXTURES:-$REPO/../shared/fixtures}" 2>/dev/null && pwd || true)
M2=${MAVEN_REPOSITORY:-$HOME/.m2/repository}

[[ $(id -u) -eq 0 ]] || die "run as root: it creates the user $CI_USER and copies the main run's outputs to it"
[[ -f target/classes/META-INF/maven/plugin.xml && -d target/test-classes && -d target/it-repo/dev/msbuild ]] \
  || die "target/ has no built and installed plugin: run mvn verify first (scripts/test.sh does)"
[[ -d $M2 ]] || die "no Maven repository at $M2 (set MAVEN_REPOSITORY)"

if ! id "$CI_USER" >/dev/null 2>&1; then
  log "creating the unprivileged user $CI_USER"
  useradd --create-home --shell /bin/bash "$CI_USER"
fi
CI_HOME=$(getent passwd "$CI_USER" | cut -d: -f6)
[[ $(id -u "$CI_USER") -ne 0 ]] || die "$CI_USER is uid 0"
WORK=$CI_HOME/msbuild-maven-plugin
start=$SECONDS

log "copying the project, its built plugin and the Maven repository to $CI_USER ($WORK)"
rm -rf "$WORK" "$CI_HOME/.m2/repository"
mkdir -p "$WORK/target/testbed" "$CI_HOME/.m2"
tar -C "$REPO" --exclude=./target --exclude=./.git -cf - . | tar -C "$WORK" -xf -
cp -a target/classes target/test-classes target/it-repo "$WORK/target/"
[[ -d target/testbed/layouts ]] && cp -a target/testbed/layouts "$WORK/target/testbed/"
# Go's build and module caches too (content-addressed, so any user's are as good): the compiles
# are warm, while the builder images are unpacked again, by this user, into a cold cache.
if [[ -d target/it-cache/go ]]; then
  mkdir -p "$WORK/target/it-cache"
  cp -a target/it-cache/go "$WORK/target/it-cache/"
fi
cp -a "$M2" "$CI_HOME/.m2/repository"
# The supply-chain tools the test bed installed (syft, oras, cosign, the validators): the same
# pinned builds, rather than minutes of compiling them again for this user.
SUPPLY_CHAIN=${MSBUILD_TESTBED_CACHE:-$HOME/.cache/msbuild-testbed}/supply-chain
# Only the Go programs: the Python validators' venv is made again for this user's paths.
if [[ -d $SUPPLY_CHAIN/bin ]]; then
  mkdir -p "$CI_HOME/.cache/msbuild-testbed/supply-chain/bin"
  for tool in syft oras cosign; do
    if [[ -x $SUPPLY_CHAIN/bin/$tool ]]; then
      cp -a "$SUPPLY_CHAIN/bin/$tool" "$CI_HOME/.cache/msbuild-testbed/supply-chain/bin/"
    fi
  done
  chown -R "$CI_USER:" "$CI_HOME/.cache"
fi
chown -R "$CI_USER:" "$WORK" "$CI_HOME/.m2"

PASS=()
for v in JAVA_HOME HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [[ -n ${!v:-} ]] && PASS+=("$v=${!v}")
done
as_user() {
  runuser -u "$CI_USER" -- env -i HOME="$CI_HOME" USER="$CI_USER" LOGNAME="$CI_USER" PATH="$PATH" LANG=C.UTF-8 \
    "${PASS[@]}" ${FIXTURES:+MSBUILD_FIXTURES="$FIXTURES"} \
    bash -c 'cd "$1" && shift && exec "$@"' as-user "$WORK" "$@"
}

as_user sh -c 'unshare --user --map-root-user true' \
  || die "$CI_USER cannot create a user namespace (see testbed/prereqs.sh: kernel.unprivileged_userns_clone, kernel.apparmor_restrict_unprivileged_userns, user.max_user_namespaces)"

rc=0
log "unit tests as $CI_USER: $UNIT_TESTS"
as_user mvn -B -ntp -Dmaven.repo.local="$CI_HOME/.m2/repository" surefire:test -Dtest="$UNIT_TESTS" || rc=1

log "scenarios as $CI_USER: $SCENARIOS"
# The lifecycle's own executions, without compiling again: the plugin is the one the main run
# built and installed into target/it-repo.
as_user mvn -B -ntp -Dmaven.repo.local="$CI_HOME/.m2/repository" \
  build-helper:reserve-network-port@reserve-registry-port exec:exec@registry-up \
  invoker:run@integration-test exec:exec@registry-down invoker:verify@verify \
  -Dinvoker.test="$SCENARIOS" || rc=1
as_user bash testbed/registry-down.sh "$WORK/target/testbed" 2>/dev/null || true

if [[ $rc -eq 0 ]]; then
  rm -rf "$WORK"   # about a gigabyte; kept after a failure, for its logs (target/it/<scenario>/build.log)
else
  log "the scenarios' logs are in $WORK/target/it/<scenario>/build.log"
fi
log "done in $((SECONDS - start)) s: $([[ $rc -eq 0 ]] && echo ok || echo FAILED)"
exit $rc
