#!/usr/bin/env python3
"""A GOCACHEPROG helper that keeps Go's build cache in an OCI registry: a prototype for measuring
(bench/gocacheprog.sh), not part of the plugin.

    GOCACHEPROG="python3 bench/gocacheprog-registry.py --registry 127.0.0.1:5000 --repo gocache/app --dir /tmp/gocp"

It speaks the protocol of cmd/go/internal/cacheprog (Go 1.24 and later): one JSON object a line
on stdin and stdout, the first answer (ID 0) lists the KnownCommands; a "put" request with a
BodySize is followed by a line holding the body as a base64 JSON string; "get" and "put" answer
with DiskPath, a file under --dir that holds the output until "close".

In the registry (plain HTTP, the distribution API only, no auth), in the repository --repo:
  - each action ID is a tag, its hex: an OCI manifest (artifactType
    application/vnd.dev.msbuild.gocacheprog.v1, the empty config) whose annotations hold the
    output ID, the size and the time of the put;
  - an output of at most --inline bytes is in that manifest too (annotation "body", base64), so
    a hit costs one GET and a put one PUT;
  - a larger output is the manifest's one layer, a blob named by its sha256, which is the output ID
    (Go's output IDs are the sha256 of the output): a hit costs GET manifest + GET blob, a put
    POST + PUT of the blob + PUT of the manifest (distribution 2.8 has no single-request upload).
  - a miss costs one GET (404).
Answers for gets come from --dir first (a second build on the same machine asks nothing); puts
are answered once the output is in --dir, and sent to the registry by background threads, which
"close" waits for. The first request that fails (registry down, 5xx, a timeout) turns the
registry off for the rest of the process: gets are misses, puts stay local.

--stats FILE appends one JSON line per process: requests by kind, bytes each way, the gets
answered from --dir, from the registry and missed, and the seconds the go command waited on
registry gets and on the final flush of uploads.
"""
import argparse
import base64
import binascii
import concurrent.futures
import hashlib
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

ARTIFACT_TYPE = "application/vnd.dev.msbuild.gocacheprog.v1"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
EMPTY_TYPE = "application/vnd.oci.empty.v1+json"
EMPTY = b"{}"
EMPTY_DIGEST = "sha256:" + hashlib.sha256(EMPTY).hexdigest()
OUTPUT = "dev.msbuild.gocacheprog.output"
SIZE = "dev.msbuild.gocacheprog.size"
TIME = "dev.msbuild.gocacheprog.time"
BODY = "dev.msbuild.gocacheprog.body"


class RegistryDown(Exception):
    pass


class Registry:
    """The distribution API over one keep-alive HTTP connection per thread."""

    def __init__(self, host, repo, timeout):
        self.host, self.repo, self.timeout = host, repo, timeout
        self.local = threading.local()
        self.lock = threading.Lock()
        self.requests = {}
        self.down = 0
        self.up = 0
        self.broken = None

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = http.client.HTTPConnection(self.host, timeout=self.timeout)
        return c

    def request(self, kind, method, path, body=None, headers=None):
        """(status, headers, body bytes); one retry on a dropped keep-alive connection."""
        if self.broken:
            raise RegistryDown(self.broken)
        with self.lock:
            self.requests[kind] = self.requests.get(kind, 0) + 1
            self.up += len(body or b"")
        for attempt in (1, 2):
            c = self._conn()
            try:
                c.request(method, path, body=body, headers=headers or {})
                r = c.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, OSError) as e:
                c.close()
                self.local.conn = None
                if attempt == 2:
                    self.fail("%s %s: %s" % (method, path, e))
        with self.lock:
            self.down += len(data)
        if r.status >= 500:
            self.fail("%s %s: HTTP %d" % (method, path, r.status))
        return r.status, r.headers, data

    def fail(self, why):
        with self.lock:
            if not self.broken:
                self.broken = why
                print("gocacheprog-registry: registry off for this build: %s" % why, file=sys.stderr)
        raise RegistryDown(why)

    def manifest(self, tag):
        status, _, data = self.request("GET manifest", "GET", "/v2/%s/manifests/%s" % (self.repo, tag),
                                       headers={"Accept": OCI_MANIFEST})
        if status == 404:
            return None
        if status != 200:
            self.fail("GET manifest %s: HTTP %d" % (tag, status))
        return json.loads(data)

    def blob(self, digest):
        status, _, data = self.request("GET blob", "GET", "/v2/%s/blobs/%s" % (self.repo, digest))
        if status != 200:
            self.fail("GET blob %s: HTTP %d" % (digest, status))
        return data

    def has_blob(self, digest):
        status, _, _ = self.request("HEAD blob", "HEAD", "/v2/%s/blobs/%s" % (self.repo, digest))
        return status == 200

    def push_blob(self, digest, data):
        status, headers, _ = self.request("POST upload", "POST", "/v2/%s/blobs/uploads/" % self.repo,
                                          headers={"Content-Length": "0"})
        if status != 202:
            self.fail("POST upload: HTTP %d" % status)
        loc = urllib.parse.urlsplit(headers["Location"])
        path = loc.path + "?" + (loc.query + "&" if loc.query else "") + "digest=" + urllib.parse.quote(digest)
        status, _, _ = self.request("PUT blob", "PUT", path, body=data,
                                    headers={"Content-Type": "application/octet-stream"})
        if status != 201:
            self.fail("PUT blob %s: HTTP %d" % (digest, status))

    def put_manifest(self, tag, manifest):
        data = json.dumps(manifest, separators=(",", ":")).encode()
        status, _, _ = self.request("PUT manifest", "PUT", "/v2/%s/manifests/%s" % (self.repo, tag), body=data,
                                    headers={"Content-Type": OCI_MANIFEST})
        if status != 201:
            self.fail("PUT manifest %s: HTTP %d" % (tag, status))


class Helper:
    def __init__(self, args):
        self.dir = os.path.abspath(args.dir)
        os.makedirs(os.path.join(self.dir, "o"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "a"), exist_ok=True)
        self.reg = Registry(args.registry, args.repo, args.timeout)
        self.writes = args.mode == "readwrite"
        self.inline = args.inline
        self.stats_file = args.stats
        self.out_lock = threading.Lock()
        self.gets = concurrent.futures.ThreadPoolExecutor(args.workers, thread_name_prefix="get")
        self.puts = concurrent.futures.ThreadPoolExecutor(args.workers, thread_name_prefix="put")
        self.pending = []
        self.blobs = {}  # digest -> Event, set once the blob is in the registry
        self.blob_lock = threading.Lock()
        self.count = {"get local": 0, "get registry": 0, "get miss": 0, "put": 0}
        self.count_lock = threading.Lock()
        self.get_wait = 0.0
        self.config_pushed = None
        self.started = time.time()

    def send(self, obj):
        line = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
        with self.out_lock:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()

    def bump(self, what, seconds=0.0):
        with self.count_lock:
            self.count[what] += 1
            self.get_wait += seconds

    # --- local files ------------------------------------------------------------------------
    def out_path(self, out_hex):
        return os.path.join(self.dir, "o", out_hex)

    def write_file(self, path, data):
        if os.path.exists(path):
            return
        tmp = "%s.tmp%d.%d" % (path, os.getpid(), threading.get_ident())
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)

    def write_index(self, action_hex, out_hex, size, t):
        self.write_file(os.path.join(self.dir, "a", action_hex), ("%s %d %s" % (out_hex, size, t)).encode())

    def read_index(self, action_hex):
        try:
            with open(os.path.join(self.dir, "a", action_hex)) as f:
                out_hex, size, t = f.read().split()
        except (OSError, ValueError):
            return None
        path = self.out_path(out_hex)
        if not os.path.exists(path):
            return None
        return out_hex, int(size), t, path

    # --- requests ---------------------------------------------------------------------------
    def answer(self, rid, out_hex, size, t, path):
        self.send({"ID": rid, "OutputID": base64.b64encode(bytes.fromhex(out_hex)).decode(), "Size": size,
                   "Time": t, "DiskPath": path})

    def get(self, rid, action_hex):
        local = self.read_index(action_hex)
        if local:
            self.bump("get local")
            return self.answer(rid, *local)
        start = time.time()
        try:
            m = self.reg.manifest(action_hex)
            if m is None or m.get("artifactType") != ARTIFACT_TYPE:
                self.bump("get miss", time.time() - start)
                return self.send({"ID": rid, "Miss": True})
            ann = m.get("annotations", {})
            out_hex, size, t = ann[OUTPUT], int(ann[SIZE]), ann[TIME]
            if BODY in ann:
                data = base64.b64decode(ann[BODY])
            else:
                data = self.reg.blob(m["layers"][0]["digest"])
            if len(data) != size or hashlib.sha256(data).hexdigest() != out_hex:
                self.bump("get miss", time.time() - start)
                return self.send({"ID": rid, "Miss": True})
            path = self.out_path(out_hex)
            self.write_file(path, data)
            self.write_index(action_hex, out_hex, size, t)
            self.bump("get registry", time.time() - start)
            return self.answer(rid, out_hex, size, t, path)
        except (RegistryDown, KeyError, ValueError, IndexError, binascii.Error):
            self.bump("get miss", time.time() - start)
            return self.send({"ID": rid, "Miss": True})

    def put(self, rid, action_hex, out_hex, data):
        path = self.out_path(out_hex)
        self.write_file(path, data)
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.write_index(action_hex, out_hex, len(data), t)
        self.bump("put")
        self.send({"ID": rid, "DiskPath": path})
        if self.writes and not self.reg.broken:
            self.pending.append(self.puts.submit(self.upload, action_hex, out_hex, data, t))

    def ensure_blob(self, digest, data):
        with self.blob_lock:
            ev = self.blobs.get(digest)
            mine = ev is None
            if mine:
                ev = self.blobs[digest] = threading.Event()
        if not mine:
            ev.wait()
            return
        try:
            if digest != EMPTY_DIGEST or not self.reg.has_blob(digest):
                self.reg.push_blob(digest, data)
        finally:
            ev.set()

    def upload(self, action_hex, out_hex, data, t):
        try:
            self.ensure_blob(EMPTY_DIGEST, EMPTY)
            ann = {OUTPUT: out_hex, SIZE: str(len(data)), TIME: t}
            layers = []
            if len(data) <= self.inline:
                ann[BODY] = base64.b64encode(data).decode()
            else:
                digest = "sha256:" + out_hex
                self.ensure_blob(digest, data)
                layers = [{"mediaType": "application/octet-stream", "digest": digest, "size": len(data)}]
            self.reg.put_manifest(action_hex, {
                "schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": ARTIFACT_TYPE,
                "config": {"mediaType": EMPTY_TYPE, "digest": EMPTY_DIGEST, "size": len(EMPTY)},
                "layers": layers, "annotations": ann})
        except RegistryDown:
            pass

    def close(self):
        start = time.time()
        for f in self.pending:
            f.result()
        flush = time.time() - start
        self.gets.shutdown(wait=True)
        self.puts.shutdown(wait=True)
        if self.stats_file:
            with self.count_lock, self.reg.lock:
                stats = {"requests": dict(sorted(self.reg.requests.items())),
                         "request_count": sum(self.reg.requests.values()),
                         "bytes_down": self.reg.down, "bytes_up": self.reg.up,
                         "gets": dict(self.count), "get_wait_s": round(self.get_wait, 3),
                         "flush_s": round(flush, 3), "alive_s": round(time.time() - self.started, 3),
                         "registry_off": self.reg.broken}
            with open(self.stats_file, "a") as f:
                f.write(json.dumps(stats, sort_keys=True) + "\n")

    def run(self):
        self.send({"ID": 0, "KnownCommands": ["get", "put", "close"]})
        stdin = sys.stdin.buffer
        while True:
            line = stdin.readline()
            if not line:
                self.close()
                return
            line = line.strip()
            if not line:
                continue
            req = json.loads(line)
            cmd, rid = req.get("Command"), req["ID"]
            if cmd == "get":
                action_hex = base64.b64decode(req["ActionID"]).hex()
                self.gets.submit(self.get, rid, action_hex)
            elif cmd == "put":
                action_hex = base64.b64decode(req["ActionID"]).hex()
                out_hex = base64.b64decode(req.get("OutputID") or "").hex()
                size = req.get("BodySize", 0)
                data = b""
                if size > 0:
                    body = b""
                    while not body:
                        body = stdin.readline().strip()
                    data = base64.b64decode(json.loads(body))
                if len(data) != size:
                    self.send({"ID": rid, "Err": "body of %d bytes, BodySize %d" % (len(data), size)})
                    continue
                self.put(rid, action_hex, out_hex, data)
            elif cmd == "close":
                self.close()
                self.send({"ID": rid})
                return
            else:
                self.send({"ID": rid, "Err": "unknown command %r" % cmd})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--registry", required=True, help="host:port, plain HTTP")
    p.add_argument("--repo", required=True, help="repository, e.g. gocache/app")
    p.add_argument("--dir", required=True, help="local directory for the outputs (DiskPath)")
    p.add_argument("--mode", choices=["readwrite", "read"], default="readwrite")
    p.add_argument("--inline", type=int, default=64 << 10, help="outputs up to this many bytes go in the manifest")
    p.add_argument("--workers", type=int, default=4, help="threads for gets, and as many for uploads")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per registry request")
    p.add_argument("--stats", help="append a JSON line of counts to this file at close")
    Helper(p.parse_args()).run()


if __name__ == "__main__":
    main()
