#!/usr/bin/env python3
"""An Alpine package repository for the test bed, made without apk-tools (Debian has none):
one package, ca-certificates, holding this machine's CA bundle, and a signed APKINDEX, as
apk 2 reads them.

  apkrepo.py build REPO_DIR KEY_DIR ARCH CA_BUNDLE
      Writes REPO_DIR/ARCH/APKINDEX.tar.gz and REPO_DIR/ARCH/ca-certificates-<ver>.apk, signed
      with KEY_DIR/msbuild-testbed.rsa (made with openssl when absent; its public half is
      KEY_DIR/msbuild-testbed.rsa.pub, which an image's /etc/apk/keys must hold).

An apk file is gzip streams one after the other: the control part (.PKGINFO), then the data
part (the files). The control part and the index signature are tar fragments without the
end-of-archive blocks. The index names each package by the SHA-1 of its control stream, and apk
trusts a package through a signed index.
"""
import base64
import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile

KEY_NAME = "msbuild-testbed.rsa"
VERSION = "20240705-r0"
MTIME = 1720137600  # fixed: the same inputs give the same repository


def die(msg):
    print("apkrepo: " + msg, file=sys.stderr)
    sys.exit(1)


def tar_fragment(members, checksums=False):
    """ustar headers and data of (name, bytes, mode), without the end-of-archive blocks; with
    checksums, each file carries its SHA-1 in a pax header, as abuild writes data parts."""
    out = io.BytesIO()
    for name, data, mode in members:
        info = tarfile.TarInfo(name)
        if data is None:  # a directory: apk wants one for each parent of a file
            info.type = tarfile.DIRTYPE
            data = b""
        elif checksums:
            info.pax_headers = {"APK-TOOLS.checksum.SHA1": hashlib.sha1(data).hexdigest()}
        info.size = len(data)
        info.mode = mode
        info.mtime = MTIME
        info.uname = info.gname = "root"
        out.write(info.tobuf(format=tarfile.PAX_FORMAT if info.pax_headers else tarfile.USTAR_FORMAT))
        out.write(data)
        if len(data) % 512:
            out.write(b"\0" * (512 - len(data) % 512))
    return out.getvalue()


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as f:
        f.write(data)
    return out.getvalue()


def whole_tar(members, checksums=False):
    return tar_fragment(members, checksums) + b"\0" * 1024


def sign(key, data):
    return subprocess.run(["openssl", "dgst", "-sha1", "-sign", key], input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def build(repo, keys, arch, bundle):
    os.makedirs(keys, exist_ok=True)
    key = os.path.join(keys, KEY_NAME)
    if not os.path.exists(key):
        subprocess.run(["openssl", "genrsa", "-out", key, "2048"], check=True, stderr=subprocess.DEVNULL)
        subprocess.run(["openssl", "rsa", "-in", key, "-pubout", "-out", key + ".pub"], check=True,
                       stderr=subprocess.DEVNULL)
    crt = open(bundle, "rb").read()
    data = gz(whole_tar([("etc", None, 0o755), ("etc/ssl", None, 0o755), ("etc/ssl/certs", None, 0o755),
                         ("etc/ssl/certs/ca-certificates.crt", crt, 0o644)], checksums=True))
    pkginfo = "\n".join([
        "pkgname = ca-certificates",
        "pkgver = " + VERSION,
        "pkgdesc = Common CA certificates PEM files (the test bed's: this machine's bundle)",
        "url = https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/",
        "builddate = %d" % MTIME,
        "size = %d" % len(crt),
        "arch = " + arch,
        "origin = ca-certificates",
        "license = MPL-2.0 AND MIT",
        # As Alpine's own: the bundle the minirootfs has (ca-certificates-bundle) gives way to it.
        "replaces = ca-certificates-bundle",
        "datahash = " + hashlib.sha256(data).hexdigest(),
        ""]).encode()
    control = gz(tar_fragment([(".PKGINFO", pkginfo, 0o644)]))
    apk = control + data
    out = os.path.join(repo, arch)
    os.makedirs(out, exist_ok=True)
    name = "ca-certificates-%s.apk" % VERSION
    with open(os.path.join(out, name), "wb") as f:
        f.write(apk)
    checksum = "Q1" + base64.b64encode(hashlib.sha1(control).digest()).decode()
    index = "\n".join([
        "C:" + checksum, "P:ca-certificates", "V:" + VERSION, "A:" + arch, "S:%d" % len(apk),
        "I:%d" % len(crt), "T:Common CA certificates PEM files (the test bed's)",
        "U:https://www.mozilla.org/", "L:MPL-2.0 AND MIT", "o:ca-certificates", "r:ca-certificates-bundle", "t:%d" % MTIME, "", ""]).encode()
    index_gz = gz(whole_tar([("DESCRIPTION", b"msbuild test bed", 0o644), ("APKINDEX", index, 0o644)]))
    signature = gz(tar_fragment([(".SIGN.RSA." + KEY_NAME + ".pub", sign(key, index_gz), 0o644)]))
    with open(os.path.join(out, "APKINDEX.tar.gz"), "wb") as f:
        f.write(signature + index_gz)
    print(os.path.join(out, name))


def main():
    if len(sys.argv) != 6 or sys.argv[1] != "build":
        die("usage: apkrepo.py build REPO_DIR KEY_DIR ARCH CA_BUNDLE")
    build(*sys.argv[2:])


if __name__ == "__main__":
    main()
