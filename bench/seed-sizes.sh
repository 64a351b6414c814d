#!/usr/bin/env bash
# Prints the seed images' sizes from the last `bash scripts/test.sh` run next to what the seeds'
# Dockerfiles gave. Compressed = the layers a registry stores and a pull downloads (image.json);
# uncompressed = the layers unpacked, comparable to the SIZE column of `docker images`.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=${MSBUILD_FIXTURES:-$PWD/../shared/fixtures}
alpine_tar=$(gunzip -c "$fixtures/alpine-minirootfs-3.20.3-x86_64.tar.gz" | wc -c)
python3 - "$alpine_tar" <<'PY'
import json, os, sys, glob, gzip
alpine = int(sys.argv[1])
seeds = {
    "seed-000-webserver-alpine": ("webserver, alpine", "13 MB (golang:alpine builder, alpine)"),
    "seed-000-webserver-scratch": ("webserver, scratch", "-"),
    "seed-001-hello-gomod": ("hello (go.mod), alpine", "7.35 MB (alpine:3.15.9)"),
    "seed-002-hello-scratch": ("hello world, scratch", "7.64 MB (alpine:latest)"),
    "seed-003-stdin-name": ("stdin greeter, alpine", "-"),
    "seed-004-ca-certificates": ("myapp + CA bundle, alpine", "-"),
}
print(f"{'seed':28} {'image':28} {'compressed':>12} {'uncompressed':>13}  seed's multi-stage Dockerfile")
for d, (what, theirs) in seeds.items():
    meta = f"target/it/{d}/target/msbuild/image.json"
    if not os.path.exists(meta):
        print(f"{d:28} (not built: run bash scripts/test.sh first)")
        continue
    info = json.load(open(meta))
    base = alpine if info.get("baseDigest") else 0
    layer = f"target/it/{d}/target/msbuild/staging/app-layer.tar.gz"
    with gzip.open(layer) as f:
        app = len(f.read())
    print(f"{d:28} {what:28} {info['compressedSize']/1e6:>9.2f} MB {(base+app)/1e6:>10.2f} MB  {theirs}")
print("single-stage builds in the seeds: 719 MB (golang:1.8), 367 MB (golang:alpine)")
PY
