#!/usr/bin/env python3
"""Cross-checks the plugin's SBOM against an independent scanner: every go-module, apk and deb
package that `syft scan IMAGE -o syft-json` finds must appear (same name and version) among the
purls of our SPDX 2.3 or CycloneDX 1.6 document.

Usage: sbom-compare.py SYFT_JSON OUR_SBOM     exit 0: all found; 1: something missing, or syft
       sbom-compare.py --self-test            found nothing to compare; 2: unreadable input
Standard library only.
"""

import json
import os
import shutil
import sys
import tempfile
from urllib.parse import unquote

# syft artifact type -> purl type
SYFT_TYPES = {"go-module": "golang", "apk": "apk", "deb": "deb"}


class InputError(Exception):
    pass


def parse_purl(purl):
    """Parses pkg:<type>/<namespace/name>@<version>?qualifiers#subpath.

    Returns (type, name, version) or None. For golang the name is the full module path
    (namespace + name, e.g. github.com/gorilla/mux); for other types it is the last path element
    (pkg:apk/alpine/musl@1.2.5-r0 -> musl). Segments and the version are percent-decoded.
    """
    if not isinstance(purl, str) or not purl.startswith("pkg:"):
        return None
    rest = purl[len("pkg:"):].split("#", 1)[0].split("?", 1)[0]
    rest = rest.lstrip("/")
    if "/" not in rest:
        return None
    ptype, path = rest.split("/", 1)
    version = None
    if "@" in path:
        path, version = path.rsplit("@", 1)
        version = unquote(version)
    segments = [unquote(s) for s in path.strip("/").split("/") if s]
    if not segments:
        return None
    ptype = ptype.lower()
    name = "/".join(segments) if ptype == "golang" else segments[-1]
    return ptype, name, version


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read JSON: {e}") from e


def syft_packages(doc):
    """Returns ({(purl type, name, version): syft type}, [skipped (devel) module names])."""
    if not isinstance(doc, dict) or not isinstance(doc.get("artifacts"), list):
        raise InputError("the syft document has no 'artifacts' list (was it made with -o syft-json?)")
    found, devel = {}, []
    for a in doc["artifacts"]:
        if not isinstance(a, dict) or a.get("type") not in SYFT_TYPES:
            continue
        name, version = a.get("name"), a.get("version")
        if a["type"] == "go-module" and version == "(devel)":
            devel.append(name)
            continue
        found[(SYFT_TYPES[a["type"]], name, version)] = a["type"]
    return found, sorted(set(devel))


def _cdx_purls(components, out):
    for c in components or ():
        if not isinstance(c, dict):
            continue
        if c.get("purl"):
            out.append(c["purl"])
        _cdx_purls(c.get("components"), out)


def our_purls(doc):
    """Returns (format name, [purl strings]) of an SPDX 2.3 or CycloneDX 1.6 JSON document."""
    if not isinstance(doc, dict):
        raise InputError("our SBOM is not a JSON object")
    purls = []
    if "spdxVersion" in doc:
        for p in doc.get("packages") or ():
            for ref in (p.get("externalRefs") or ()) if isinstance(p, dict) else ():
                if isinstance(ref, dict) and str(ref.get("referenceType", "")).lower() == "purl":
                    purls.append(ref.get("referenceLocator"))
        return f"SPDX ({doc.get('spdxVersion')})", purls
    if "bomFormat" in doc:
        _cdx_purls(doc.get("components"), purls)
        return f"{doc.get('bomFormat')} ({doc.get('specVersion')})", purls
    raise InputError("our SBOM has neither 'spdxVersion' (SPDX) nor 'bomFormat' (CycloneDX)")


def _stdlib_version(v):
    # syft writes the stdlib as version go1.26.8 but purl pkg:golang/stdlib@1.26.8
    return v[2:] if isinstance(v, str) and v.startswith("go") else v


def lookup(key, ours, ours_folded):
    """Returns '' if missing, else 'yes' or 'yes (<how it matched>)'."""
    ptype, name, version = key
    if key in ours:
        return "yes"
    if ptype == "golang" and name == "stdlib":
        for o in ours:
            if o[:2] == ("golang", "stdlib") and _stdlib_version(o[2]) == _stdlib_version(version):
                return f"yes (as stdlib@{o[2]})"
    if ptype == "golang" and version == "UNKNOWN" and (ptype, name, None) in ours:
        # A program built without a go.mod (command-line-arguments) has no module version to give.
        return "yes (no version known to either)"
    if ptype == "golang":  # some generators lower-case Go module paths in purls
        folded = (ptype, name.lower(), version)
        if folded in ours_folded:
            return "yes (name case differs)"
    return ""


def compare(syft_path, ours_path, out=sys.stdout):
    found, devel = syft_packages(load_json(syft_path))
    fmt, purls = our_purls(load_json(ours_path))
    ours, unparsed = set(), []
    for p in purls:
        parsed = parse_purl(p)
        if parsed is None:
            unparsed.append(p)
        else:
            ours.add(parsed)
    ours_folded = {(t, n.lower(), v) for t, n, v in ours if t == "golang"}

    print(f"syft: {syft_path}", file=out)
    print(f"ours: {ours_path}: {fmt}, {len(purls)} purls", file=out)
    for name in devel:
        print(f"note: skipped syft go-module {name} @ (devel) (a main module built from a local checkout)",
              file=out)
    for p in unparsed:
        print(f"note: our SBOM has a purl that does not parse: {p!r}", file=out)

    rows = sorted(found.items(), key=lambda kv: (kv[1], kv[0][1], str(kv[0][2])))
    missing, matched = [], set()
    if rows:
        header = ("SYFT TYPE", "NAME", "VERSION", "IN OUR SBOM")
        table = []
        for (ptype, name, version), stype in rows:
            hit = lookup((ptype, name, version), ours, ours_folded)
            if not hit:
                missing.append((stype, name, version))
            table.append((stype, name, str(version), hit or "MISSING"))
        widths = [max(len(r[i]) for r in table + [header]) for i in range(3)]
        print(file=out)
        for r in [header] + table:
            print("  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3], file=out)
        print(file=out)

    compared_types = {k[0] for k in found}
    extra = sorted(o for o in ours if o[0] in compared_types and
                   lookup(o, set(found), {(t, n.lower(), v) for t, n, v in found if t == "golang"}) == "")
    if extra:
        print(f"note: {len(extra)} package(s) in our SBOM that syft did not report (not an error):", file=out)
        for t, n, v in extra:
            print(f"  pkg:{t} {n} {v}", file=out)

    if not found:
        print("FAIL: syft found no go-module, apk or deb packages: a scan that found nothing proves nothing",
              file=out)
        return 1
    if missing:
        print(f"FAIL: {len(missing)} of {len(found)} packages syft found are missing from the SBOM:", file=out)
        for stype, name, version in missing:
            print(f"  {stype} {name} {version}", file=out)
        return 1
    print(f"all {len(found)} packages syft found are in the SBOM", file=out)
    return 0


# ------------------------------------------------------------------------------------------------
def self_test():
    import io

    syft = {"artifacts": [
        {"type": "apk", "name": "musl", "version": "1.2.5-r0"},
        {"type": "apk", "name": "busybox", "version": "1.36.1-r29"},
        {"type": "go-module", "name": "github.com/gorilla/mux", "version": "v1.8.1"},
        {"type": "go-module", "name": "github.com/Masterminds/semver/v3", "version": "v3.4.0"},
        {"type": "go-module", "name": "golang.org/x/net", "version": "v0.0.0-20190620200207-3b0461eec859+incompatible"},
        {"type": "go-module", "name": "stdlib", "version": "go1.26.8"},
        {"type": "go-module", "name": "example.com/app", "version": "(devel)"},
        {"type": "deb", "name": "libc6", "version": "2.36-9+deb12u7"},
        {"type": "java-archive", "name": "ignored", "version": "1"},
        {"type": "apk", "name": "musl", "version": "1.2.5-r0"},  # duplicate location
    ]}
    full = [
        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64",
        "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3",
        "pkg:golang/github.com/gorilla/mux@v1.8.1",
        "pkg:golang/github.com/Masterminds/semver/v3@v3.4.0",
        "pkg:golang/golang.org/x/net@v0.0.0-20190620200207-3b0461eec859%2Bincompatible",
        "pkg:golang/stdlib@go1.26.8",
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12",
    ]

    def spdx(purls):
        return {"spdxVersion": "SPDX-2.3", "packages": [
            {"SPDXID": f"SPDXRef-{i}", "name": "x",
             "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                               "referenceLocator": "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*"},
                              {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": p}]}
            for i, p in enumerate(purls)]}

    def cdx(purls):
        # first one at the top, the rest nested two levels deep
        inner = [{"type": "library", "name": "x", "purl": p} for p in purls[2:]]
        return {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
            {"type": "library", "name": "a", "purl": purls[0]},
            {"type": "application", "name": "b", "purl": purls[1],
             "components": [{"type": "library", "name": "c", "components": inner}]}]}

    tmp = tempfile.mkdtemp(prefix="sbom-compare-test.")
    counter = [0]

    def write(doc):
        counter[0] += 1
        path = os.path.join(tmp, f"doc{counter[0]}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path

    def run(syft_doc, ours_doc):
        buf = io.StringIO()
        rc = compare(write(syft_doc), write(ours_doc), out=buf)
        return rc, buf.getvalue()

    checks = []

    def check(name, cond, detail=""):
        checks.append((name, bool(cond)))
        print(f"{'ok  ' if cond else 'FAIL'} {name}" + ("" if cond else f"\n{detail}"))

    check("purl apk", parse_purl("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64") == ("apk", "musl", "1.2.5-r0"))
    check("purl golang full path",
          parse_purl("pkg:golang/github.com/gorilla/mux@v1.8.1") == ("golang", "github.com/gorilla/mux", "v1.8.1"))
    check("purl version decoded, subpath dropped",
          parse_purl("pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64#sub/dir")
          == ("deb", "libc6", "2.36-9+deb12u7"))
    check("purl stdlib", parse_purl("pkg:golang/stdlib@go1.26.8") == ("golang", "stdlib", "go1.26.8"))
    check("purl garbage", parse_purl("not-a-purl") is None and parse_purl(None) is None)

    rc, out = run(syft, spdx(full))
    check("SPDX with everything -> 0", rc == 0 and "all 7 packages syft found are in the SBOM" in out, out)
    check("(devel) module reported, not compared", "example.com/app @ (devel)" in out, out)

    rc, out = run(syft, cdx(full))
    check("CycloneDX nested with everything -> 0", rc == 0, out)

    rc, out = run(syft, spdx([p for p in full if "busybox" not in p]))
    check("SPDX missing busybox -> 1", rc == 1 and "apk busybox 1.36.1-r29" in out and "MISSING" in out, out)

    rc, out = run(syft, cdx([p for p in full if "gorilla" not in p]))
    check("CycloneDX missing nested go module -> 1", rc == 1 and "github.com/gorilla/mux v1.8.1" in out, out)

    wrong_version = [p.replace("mux@v1.8.1", "mux@v1.8.0") for p in full]
    rc, out = run(syft, spdx(wrong_version))
    check("other version of a module -> 1", rc == 1, out)

    syft_stdlib_purl = [p.replace("stdlib@go1.26.8", "stdlib@1.26.8") for p in full]
    rc, out = run(syft, spdx(syft_stdlib_purl))
    check("stdlib@1.26.8 matches syft's go1.26.8", rc == 0 and "as stdlib@1.26.8" in out, out)
    rc, out = run(syft, spdx([p.replace("stdlib@go1.26.8", "stdlib@go1.26.7") for p in full]))
    check("other stdlib version -> 1", rc == 1, out)

    rc, out = run({"artifacts": [{"type": "go-module", "name": "example.com/app", "version": "(devel)"},
                                 {"type": "file", "name": "f", "version": ""}]}, spdx(full))
    check("syft found nothing -> 1", rc == 1 and "found nothing" in out, out)

    try:
        run(syft, {"neither": 1})
        check("unknown SBOM format is an input error", False)
    except InputError:
        check("unknown SBOM format is an input error", True)

    shutil.rmtree(tmp, ignore_errors=True)
    passed = sum(1 for _, ok in checks if ok)
    failed = len(checks) - passed
    print(f"self-test: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 3 or argv[1].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        return compare(argv[1], argv[2])
    except InputError as e:
        print(f"sbom-compare: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
