#!/usr/bin/env bash
# The main job end to end: a local registry with alpine:3.20 and golang:1.26-alpine, the seed
# webserver built with `mvn package msbuild:image`, and the pushed image run and asked GET /msbuild.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bash testbed/prereqs.sh

echo "== Installing the plugin into the local Maven repository"
mvn -B -ntp -q install -DskipTests -DskipITs

work=$repo/target/demo
mkdir -p "$work"
registry=$(bash testbed/registry-up.sh "$work/testbed" | sed -n 's/^registry: //p')
trap 'bash "$repo/testbed/registry-down.sh" "$work/testbed" >/dev/null' EXIT

echo "== Building the seed webserver: mvn package msbuild:image"
rm -rf "$work/webserver"
cp -r examples/seed-000-webserver "$work/webserver"
(cd "$work/webserver" && mvn -B -ntp package msbuild:image \
  -Dmsbuild.to.image="$registry/demo/webserver:1.0" \
  -Dmsbuild.registryMirrors="docker.io=$registry" \
  -Dmsbuild.allowInsecureRegistries=true)

digest=$(cat "$work/webserver/target/msbuild/image.digest")
ref="$registry/demo/webserver@$digest"
echo "== What the registry holds (skopeo inspect)"
skopeo inspect --tls-verify=false --format '{{.Name}}@{{.Digest}} {{.Os}}/{{.Architecture}}, {{len .Layers}} layers' "docker://$ref"
echo "== Running the image and asking GET /msbuild on port 8080"
bash testbed/run-image.sh --http 8080 /msbuild "$ref"
