#!/usr/bin/env python3
"""Small stdlib-only helpers for the test bed: build OCI image layouts
deterministically, verify them, and unpack image layers into a rootfs.

Subcommands:
  mklayer SRCDIR PREFIX OUT.tar.gz [--exclude PATTERN]...
      Deterministic gzip'd tar of SRCDIR with entries under PREFIX/.
      Prints the diff_id (sha256 of the uncompressed tar) on stdout.
  build LAYOUT SPEC.json
      Writes an OCI image layout (oci-layout, index.json, blobs) from SPEC
      (see build() below). Prints the digest of the top-level image index.
  verify LAYOUT
      Exit 0 if every blob reachable from index.json exists with the right
      size and sha256, else 1.
  layer-blob LAYOUT TAG ARCH
      Print the path of the last layer blob of the ARCH image behind TAG.
  image-info DIR
      For a `skopeo copy ... dir:DIR` copy: print JSON with config and layers.
  unpack ROOTFS LAYER...
      Unpack layers in order into ROOTFS applying OCI whiteouts.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER_GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
INDEX_TYPES = (MT_INDEX, "application/vnd.docker.distribution.manifest.list.v2+json")

CHUNK = 1 << 20


def die(msg):
    print(f"oci.py: {msg}", file=sys.stderr)
    sys.exit(1)


def dumps(obj):
    # Compact + sorted keys: same input always gives the same bytes/digest.
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
    return "sha256:" + h.hexdigest()


def sha256_gunzip(path):
    h = hashlib.sha256()
    import gzip
    with gzip.open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                break
            h.update(b)
    return "sha256:" + h.hexdigest()


def mklayer(args):
    if len(args) < 3:
        die("usage: mklayer SRCDIR PREFIX OUT.tar.gz [--exclude PATTERN]...")
    src, prefix, out = args[0], args[1].strip("/"), args[2]
    excludes = []
    rest = args[3:]
    while rest:
        if rest[0] == "--exclude" and len(rest) > 1:
            excludes.append(rest[1])
            rest = rest[2:]
        elif rest[0].startswith("--exclude="):
            excludes.append(rest[0].split("=", 1)[1])
            rest = rest[1:]
        else:
            die(f"mklayer: unexpected argument {rest[0]}")
    tar_cmd = ["tar", "-C", src, "--sort=name", "--mtime=@0", "--owner=0",
               "--group=0", "--numeric-owner", "--format=gnu",
               # Rename ./x -> PREFIX/x; 'S' keeps symlink targets untouched.
               f"--transform=s,^\\./,{prefix}/,S",
               f"--transform=s,^\\.$,{prefix},S"]
    if excludes:
        tar_cmd.append("--anchored")  # patterns match from the start of ./path
    for e in excludes:
        tar_cmd.append(f"--exclude={e}")
    tar_cmd += ["-cf", "-", "."]
    tmp = out + ".tmp"
    h = hashlib.sha256()
    with open(tmp, "wb") as fout:
        gz = subprocess.Popen(["gzip", "-n", "-1"], stdin=subprocess.PIPE, stdout=fout)
        tr = subprocess.Popen(tar_cmd, stdout=subprocess.PIPE)
        while True:
            b = tr.stdout.read(CHUNK)
            if not b:
                break
            h.update(b)
            gz.stdin.write(b)
        gz.stdin.close()
        if tr.wait() != 0:
            die("mklayer: tar failed")
        if gz.wait() != 0:
            die("mklayer: gzip failed")
    os.replace(tmp, out)
    print("sha256:" + h.hexdigest())


class Layout:
    def __init__(self, root):
        self.root = root
        self.blobdir = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.blobdir, exist_ok=True)

    def blob_path(self, digest):
        return os.path.join(self.blobdir, digest.split(":", 1)[1])

    def put_bytes(self, data, media_type):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        p = self.blob_path(digest)
        if not os.path.exists(p):
            with open(p + ".tmp", "wb") as f:
                f.write(data)
            os.replace(p + ".tmp", p)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def put_file(self, path, media_type, digest=None):
        digest = digest or sha256_file(path)
        p = self.blob_path(digest)
        if not os.path.exists(p):
            try:
                os.link(path, p + ".tmp")
            except OSError:
                shutil.copyfile(path, p + ".tmp")
            os.replace(p + ".tmp", p)
        return {"mediaType": media_type, "digest": digest, "size": os.path.getsize(p)}


def build(args):
    """SPEC = {"tags": [...], "images": [{"platform": {...}, "created": "...",
    "config": {...image config "config" section...}, "history": [...],
    "layers": [{"path": "...", "diff_id": "sha256:..." (optional)}]}]}"""
    if len(args) != 2:
        die("usage: build LAYOUT SPEC.json")
    root, spec_path = args
    with open(spec_path) as f:
        spec = json.load(f)
    lay = Layout(root)
    entries = []
    for img in spec["images"]:
        plat = img["platform"]
        layer_descs, diff_ids = [], []
        for l in img["layers"]:
            layer_descs.append(lay.put_file(l["path"], l.get("mediaType", MT_LAYER_GZ)))
            diff_ids.append(l.get("diff_id") or sha256_gunzip(l["path"]))
        cfg = {
            "architecture": plat["architecture"],
            "os": plat["os"],
            "created": img["created"],
            "config": img["config"],
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": img.get("history", []),
        }
        if "variant" in plat:
            cfg["variant"] = plat["variant"]
        cfg_desc = lay.put_bytes(dumps(cfg), MT_CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
                    "config": cfg_desc, "layers": layer_descs}
        mdesc = lay.put_bytes(dumps(manifest), MT_MANIFEST)
        mdesc["platform"] = plat
        entries.append(mdesc)
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": entries}
    idesc = lay.put_bytes(dumps(index), MT_INDEX)
    top = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": []}
    for tag in spec["tags"]:
        d = dict(idesc)
        d["annotations"] = {"org.opencontainers.image.ref.name": tag}
        top["manifests"].append(d)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(root, "index.json.tmp"), "wb") as f:
        f.write(dumps(top))
    os.replace(os.path.join(root, "index.json.tmp"), os.path.join(root, "index.json"))
    print(idesc["digest"])


def _check_blob(lay, desc, seen):
    d = desc["digest"]
    if d in seen:
        return True
    p = lay.blob_path(d)
    if not os.path.isfile(p) or os.path.getsize(p) != desc["size"]:
        return False
    if sha256_file(p) != d:
        return False
    seen.add(d)
    mt = desc.get("mediaType", "")
    if mt in INDEX_TYPES or mt.endswith("manifest.v1+json") or mt.endswith("manifest.v2+json"):
        with open(p) as f:
            doc = json.load(f)
        children = list(doc.get("manifests", []))
        if "config" in doc:
            children.append(doc["config"])
        children += doc.get("layers", [])
        return all(_check_blob(lay, c, seen) for c in children)
    return True


def verify(args):
    root = args[0]
    try:
        with open(os.path.join(root, "index.json")) as f:
            top = json.load(f)
        lay = Layout(root)
        seen = set()
        ok = bool(top.get("manifests")) and all(_check_blob(lay, m, seen) for m in top["manifests"])
    except (OSError, ValueError, KeyError):
        ok = False
    sys.exit(0 if ok else 1)


def layer_blob(args):
    root, tag, arch = args
    lay = Layout(root)
    with open(os.path.join(root, "index.json")) as f:
        top = json.load(f)
    desc = next((m for m in top["manifests"]
                 if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag), None)
    if desc is None:
        die(f"tag {tag} not in {root}")
    with open(lay.blob_path(desc["digest"])) as f:
        doc = json.load(f)
    if "manifests" in doc:
        m = next((m for m in doc["manifests"]
                  if m.get("platform", {}).get("architecture") == arch
                  and m.get("platform", {}).get("os") == "linux"), None)
        if m is None:
            die(f"no linux/{arch} image for {tag} in {root}")
        with open(lay.blob_path(m["digest"])) as f:
            doc = json.load(f)
    print(lay.blob_path(doc["layers"][-1]["digest"]))


def image_info(args):
    d = args[0]
    with open(os.path.join(d, "manifest.json")) as f:
        man = json.load(f)
    if "manifests" in man:
        die("dir: copy holds an index, expected a single image manifest")
    cfg_path = os.path.join(d, man["config"]["digest"].split(":", 1)[1])
    with open(cfg_path) as f:
        cfg = json.load(f)
    c = cfg.get("config") or {}
    out = {
        "entrypoint": c.get("Entrypoint") or [],
        "cmd": c.get("Cmd") or [],
        "env": c.get("Env") or [],
        "workdir": c.get("WorkingDir") or "/",
        "user": c.get("User") or "",
        "layers": [os.path.join(d, l["digest"].split(":", 1)[1]) for l in man["layers"]],
    }
    print(json.dumps(out))


def _safe_join(root, name):
    # Resolve NAME inside ROOT without following symlinks in the final part and
    # without ever leaving ROOT (parents are resolved, then checked).
    parent, base = os.path.split(os.path.normpath("/" + name))
    rp = os.path.realpath(os.path.join(root, parent.lstrip("/")))
    rroot = os.path.realpath(root)
    if rp != rroot and not rp.startswith(rroot + os.sep):
        return None
    return os.path.join(rp, base) if base else rp


def _remove(path):
    if os.path.islink(path) or not os.path.isdir(path):
        if os.path.lexists(path):
            os.unlink(path)
    else:
        shutil.rmtree(path)


def unpack(args):
    root, layers = args[0], args[1:]
    os.makedirs(root, exist_ok=True)
    for layer in layers:
        # Pass 1: apply whiteouts of this layer to what lower layers left.
        with tarfile.open(layer, "r:*") as tf:
            names = [m.name for m in tf]
        for n in names:
            d, b = os.path.split(n.rstrip("/"))
            if b == ".wh..wh..opq":
                target = _safe_join(root, d) if d not in ("", ".") else os.path.realpath(root)
                if target and os.path.isdir(target) and not os.path.islink(target):
                    for child in os.listdir(target):
                        _remove(os.path.join(target, child))
            elif b.startswith(".wh."):
                target = _safe_join(root, os.path.join(d, b[4:]))
                if target:
                    _remove(target)
        # Pass 2: GNU tar does the real extraction (owners, modes, links,
        # device nodes, absolute symlinks) without the whiteout markers.
        # OCI_UNPACK_KEEP_OWNERS=0 (run-image.sh as non-root): the files become this user's.
        owners = (["--numeric-owner", "--same-owner"] if os.environ.get("OCI_UNPACK_KEEP_OWNERS", "1") != "0"
                  else ["--no-same-owner"])
        r = subprocess.run(["tar", "-xf", layer, "-C", root, *owners, "-p", "--exclude=.wh.*"])
        if r.returncode != 0:
            die(f"tar failed unpacking {layer}")


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"mklayer": mklayer, "build": build, "verify": verify,
          "layer-blob": layer_blob, "image-info": image_info,
          "unpack": unpack}.get(cmd)
    if fn is None:
        die(f"unknown subcommand {cmd}\n{__doc__}")
    fn(args)


if __name__ == "__main__":
    main()
