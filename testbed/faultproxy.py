#!/usr/bin/env python3
"""A fault-injecting HTTP reverse proxy in front of the test bed's registry.

It listens on a loopback port and forwards every request, streamed both ways, to a registry
on another loopback port. What it does to those requests depends on its mode; each mode
simulates something a registry client meets in the real world:

  --fault-rate R [--seed S] [--faults NAME,...]
      An unreliable network or registry. Each proxied request, with probability R (drawn
      from a random.Random(S), so a run is repeatable), gets one fault from the mix:
        500, 502, 503      a registry or load balancer failing (answered without upstream)
        429                rate limiting, with "Retry-After: 1"
        reset              the connection dropped (TCP RST) before any answer
        reset-mid-body     the connection dropped halfway through the answer's body
        slow-body          a slow link: the whole answer, in pieces, a few seconds late at most
        upstream-then-500  the request took effect upstream but its answer was lost (500)
  --html
      A corporate login page or a misconfigured proxy: every request, any method or path, is
      answered "200 OK" with a small HTML sign-in page. No upstream is contacted.
  --swap-manifests FILE
      A malicious or broken mirror: FILE maps "sha256:<requested>" to "<repo>@sha256:<served>".
      A GET or HEAD of /v2/<name>/manifests/sha256:<requested> answers the bytes of the served
      manifest while still claiming "Docker-Content-Digest: sha256:<requested>".
  --fail-after-manifest-put N
      A registry that stores a manifest and then fails to say so: the first N PUTs to a
      /manifests/ path are forwarded in full (they take effect) and answered 500.

A control endpoint on the same port, never forwarded and never faulted:
  GET  /__proxy/stats   counters (requests, faults, statuses, body bytes up and down) and the
                        current configuration, as JSON
  POST /__proxy/config  JSON body with any of fault_rate, seed, faults, fail_after_manifest_put
                        (setting seed re-seeds; setting fail_after_manifest_put re-arms N)
  POST /__proxy/reset   zeroes the counters, re-seeds and re-arms fail_after_manifest_put

Usage: faultproxy.py --listen 127.0.0.1:PORT --upstream 127.0.0.1:PORT [MODE FLAGS] [--log FILE]

Only loopback addresses are accepted for listening and upstream. At most 64 connections at
once (more are answered 503 and closed), 60 s idle timeout per client connection. An answer
without a body that draws reset-mid-body is cut after its status code; slow-body delays it 1 s.
Standard library only.
"""
import argparse
import http.client
import http.server
import ipaddress
import json
import random
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

FAULTS = ("500", "502", "503", "429", "reset", "reset-mid-body", "slow-body", "upstream-then-500")
CHUNK = 64 * 1024
MAX_CONNECTIONS = 64
CLIENT_TIMEOUT = 60       # seconds a client connection may sit idle or stall
UPSTREAM_TIMEOUT = 120    # seconds to wait on the registry (a big blob PUT is checked before it answers)
SLOW_PIECES = 10          # slow-body sends the body in this many pieces...
SLOW_TOTAL_DELAY = 3.0    # ...with at most this many seconds of delay in all
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
              "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade"}
MANIFEST_PATH = re.compile(r"^/v2/(.+)/manifests/([^/?]+)$")
HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
             b"<body><h1>Sign in</h1><form method=\"post\" action=\"/login\">"
             b"<input name=\"user\"><input name=\"password\" type=\"password\">"
             b"<button>Sign in</button></form></body></html>\n")


class Abort(Exception):
    """The client connection was reset on purpose; stop handling it."""


# --- configuration and counters ---------------------------------------------------------

class State:
    """Configuration and counters shared by all connection threads (guarded by one lock)."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.fault_rate = args.fault_rate
        self.seed = args.seed
        self.faults = list(args.faults)
        self.fail_after_manifest_put = args.fail_after_manifest_put
        self.html = args.html
        self.swaps = args.swaps
        self.started = time.time()
        self.active_connections = 0
        self.reset()

    def reset(self):
        with self.lock:
            self.rng = random.Random(self.seed)
            self.manifest_puts_left = self.fail_after_manifest_put
            self.requests = 0
            self.faulted = 0
            self.bytes_up = 0     # request body bytes forwarded upstream (uploads)
            self.bytes_down = 0   # response body bytes sent back
            self.by_fault = {}
            self.by_method = {}
            self.by_status = {}
            self.swapped = 0
            self.refused_connections = 0

    def configure(self, changes):
        """Apply a /__proxy/config body, all of it or (ValueError) none of it."""
        if not isinstance(changes, dict):
            raise ValueError("config body must be a JSON object")
        unknown = set(changes) - {"fault_rate", "seed", "faults", "fail_after_manifest_put"}
        if unknown:
            raise ValueError("unknown config keys: %s" % ", ".join(sorted(unknown)))
        parsed = {}
        if "fault_rate" in changes:
            parsed["fault_rate"] = parse_rate(changes["fault_rate"])
        if "faults" in changes:
            faults = changes["faults"]
            parsed["faults"] = parse_faults(",".join(faults) if isinstance(faults, list) else faults)
        if "seed" in changes:
            parsed["seed"] = int(changes["seed"])
        if "fail_after_manifest_put" in changes:
            parsed["fail_after_manifest_put"] = int(changes["fail_after_manifest_put"])
            if parsed["fail_after_manifest_put"] < 0:
                raise ValueError("fail_after_manifest_put must be >= 0")
        with self.lock:
            for key, value in parsed.items():
                setattr(self, key, value)
            if "seed" in parsed:
                self.rng = random.Random(self.seed)
            if "fail_after_manifest_put" in parsed:
                self.manifest_puts_left = self.fail_after_manifest_put

    def config(self):
        return {"fault_rate": self.fault_rate, "seed": self.seed, "faults": self.faults,
                "fail_after_manifest_put": self.fail_after_manifest_put,
                "html": self.html, "swap_manifests": self.swaps}

    def count_request(self, method):
        with self.lock:
            self.requests += 1
            self.by_method[method] = self.by_method.get(method, 0) + 1

    def choose_fault(self, method, path):
        """The fault for one proxied request, or None."""
        with self.lock:
            fault = None
            if method == "PUT" and MANIFEST_PATH.match(path) and self.manifest_puts_left > 0:
                self.manifest_puts_left -= 1
                fault = "fail-after-manifest-put"
            elif self.fault_rate > 0 and self.faults and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(self.faults)
            if fault:
                self.faulted += 1
                self.by_fault[fault] = self.by_fault.get(fault, 0) + 1
            return fault

    def count_bytes(self, up, down):
        with self.lock:
            self.bytes_up += up
            self.bytes_down += down

    def count_status(self, status):
        with self.lock:
            key = str(status)
            self.by_status[key] = self.by_status.get(key, 0) + 1

    def count_swap(self):
        with self.lock:
            self.swapped += 1

    def stats(self):
        with self.lock:
            return {"requests": self.requests, "faulted": self.faulted,
                    "bytes_up": self.bytes_up, "bytes_down": self.bytes_down,
                    "by_fault": dict(self.by_fault), "by_method": dict(self.by_method),
                    "by_status": dict(self.by_status), "swapped": self.swapped,
                    "manifest_puts_left_to_fail": self.manifest_puts_left,
                    "active_connections": self.active_connections,
                    "refused_connections": self.refused_connections,
                    "uptime_seconds": round(time.time() - self.started, 1),
                    "config": self.config()}


# --- request bodies -----------------------------------------------------------------------

def fixed_length_body(rfile, length):
    """Yields the next `length` bytes of rfile in pieces."""
    left = length
    while left > 0:
        piece = rfile.read(min(CHUNK, left))
        if not piece:
            raise ConnectionError("client closed the connection mid-body")
        left -= len(piece)
        yield piece


def chunked_body(rfile):
    """Decodes a Transfer-Encoding: chunked body from rfile, yielding its data in pieces."""
    while True:
        line = rfile.readline(1024)
        if not line.endswith(b"\n"):
            raise ConnectionError("bad or missing chunk size line")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ConnectionError("bad chunk size line %r" % line[:40])
        if size == 0:
            while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields: dropped
            return
        yield from fixed_length_body(rfile, size)
        if rfile.readline(3) not in (b"\r\n", b"\n"):
            raise ConnectionError("chunk not followed by CRLF")


def request_body(handler):
    """The client's request body as an iterator of pieces and whether it was chunked."""
    encoding = handler.headers.get("Transfer-Encoding", "").lower()
    if "chunked" in encoding:
        return chunked_body(handler.rfile), True
    length = int(handler.headers.get("Content-Length") or 0)
    return fixed_length_body(handler.rfile, length), False


# --- the handler --------------------------------------------------------------------------

class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = CLIENT_TIMEOUT
    server_version = "faultproxy"

    # BaseHTTPRequestHandler dispatches on do_<METHOD>.
    def do_GET(self):
        self.handle_request()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, fmt, *args):
        # http.server's own messages, e.g. "Bad request" for the TLS hello a client tries first.
        self.server.log("%s %s" % (self.client_address[1], fmt % args))

    def handle_request(self):
        path = self.path
        if path.startswith("/__proxy/"):
            return self.control(path)
        state = self.server.state
        state.count_request(self.command)
        if state.html:
            return self.answer_html()
        fault = state.choose_fault(self.command, urllib.parse.urlsplit(path).path)
        started = time.time()
        self.bytes_up = self.bytes_down = 0   # request body bytes forwarded, response body bytes sent
        status = "-"
        try:
            status = self.dispatch(fault)
        except Abort:
            status = "RST"
        finally:
            state.count_status(status)
            state.count_bytes(self.bytes_up, self.bytes_down)
            self.server.log("%s %s %s %s fault=%s up=%d down=%d %.0fms" % (
                self.client_address[1], self.command, path, status, fault or "-",
                self.bytes_up, self.bytes_down, (time.time() - started) * 1000))

    def dispatch(self, fault):
        """Answers one proxied request, with `fault` (or none); returns the status sent."""
        if fault in ("500", "502", "503", "429"):
            self.drain_request_body()
            headers = {"Retry-After": "1"} if fault == "429" else {}
            return self.answer_plain(int(fault), "fault injected by the test bed proxy: %s\n" % fault, headers)
        if fault == "reset":
            self.reset_connection()
        swap = self.swap_target()
        try:
            upstream, response = self.forward(swap)
        except (OSError, http.client.HTTPException) as e:
            # Not a fault: the registry behind the proxy is down or broke off.
            return self.answer_plain(502, "upstream registry failed: %s\n" % e, {"Connection": "close"})
        try:
            if fault in ("upstream-then-500", "fail-after-manifest-put"):
                while response.read(CHUNK):
                    pass   # it took effect upstream; its answer (maybe a whole blob) is lost
                return self.answer_plain(500, "fault injected by the test bed proxy: %s\n" % fault)
            return self.relay(response, swap, fault)
        finally:
            upstream.close()

    # --- answers made up by the proxy ---

    def answer_plain(self, status, text, headers=None):
        body = text.encode()
        self.send_response_only(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)   # "Connection: close" also ends the connection
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def answer_json(self, status, obj):
        body = json.dumps(obj, indent=2, sort_keys=True).encode() + b"\n"
        self.send_response_only(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def answer_html(self):
        self.drain_request_body()
        self.send_response_only(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(HTML_PAGE)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(HTML_PAGE)
        self.server.state.count_status(200)
        self.server.log("%s %s %s 200 html" % (self.client_address[1], self.command, self.path))

    def drain_request_body(self):
        """Reads and discards the request body, so the connection stays usable."""
        body, _ = request_body(self)
        for _ in body:
            pass

    def reset_connection(self):
        """Closes the client connection with a TCP RST (SO_LINGER 0) and abandons the request."""
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        # The socket closes for real once the buffered reader made from it is closed too;
        # wfile writes to the socket directly and is left for the handler to finish.
        self.rfile.close()
        sock.close()
        raise Abort()

    # --- control endpoint ---

    def control(self, path):
        state = self.server.state
        route = (self.command, urllib.parse.urlsplit(path).path)
        if route in (("GET", "/__proxy/stats"), ("HEAD", "/__proxy/stats")):
            return self.answer_json(200, state.stats())
        if route == ("POST", "/__proxy/reset"):
            self.drain_request_body()
            state.reset()
            self.server.log("%s control: reset" % self.client_address[1])
            return self.answer_json(200, state.stats())
        if route == ("POST", "/__proxy/config"):
            raw = b""
            for piece in request_body(self)[0]:
                raw += piece
                if len(raw) > CHUNK:
                    self.close_connection = True   # the rest of the body is left unread
                    return self.answer_json(413, {"error": "config body over %d bytes" % CHUNK})
            try:
                state.configure(json.loads(raw or b"{}"))
            except (ValueError, TypeError) as e:
                return self.answer_json(400, {"error": str(e)})
            self.server.log("%s control: config %s" % (self.client_address[1], json.dumps(state.config())))
            return self.answer_json(200, state.config())
        self.drain_request_body()
        return self.answer_json(404, {"error": "unknown control request %s %s" % route})

    # --- forwarding ---

    def swap_target(self):
        """For a swapped manifest: the upstream path to serve instead, else None."""
        if self.command not in ("GET", "HEAD"):
            return None
        m = MANIFEST_PATH.match(urllib.parse.urlsplit(self.path).path)
        if not m or m.group(2) not in self.server.state.swaps:
            return None
        repo, served = self.server.state.swaps[m.group(2)].split("@", 1)
        return {"path": "/v2/%s/manifests/%s" % (repo, served), "claimed": m.group(2)}

    def forward(self, swap):
        """Sends the request (its body streamed) upstream; returns (connection, response)."""
        host, port = self.server.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT)
        method, path = self.command, self.path
        if swap:
            method, path = "GET", swap["path"]   # for a HEAD too: its Content-Length is needed
        body, chunked = request_body(self)
        upstream.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.request_headers(drop_length=chunked or swap):
            upstream.putheader(name, value)
        if chunked:
            upstream.putheader("Transfer-Encoding", "chunked")
        upstream.endheaders()
        for piece in body:
            self.bytes_up += len(piece)
            upstream.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            upstream.send(b"0\r\n\r\n")
        return upstream, upstream.getresponse()

    def request_headers(self, drop_length):
        """The client's end-to-end headers, Host unchanged (the registry builds Location from it)."""
        tokens = {t.strip().lower() for t in self.headers.get("Connection", "").split(",")}
        out = []
        for name, value in self.headers.items():
            lower = name.lower()
            if lower in HOP_BY_HOP or lower in tokens or lower == "expect":
                continue   # Expect: 100-continue was answered by the proxy already
            if lower == "content-length" and drop_length:
                continue
            out.append((name, value))
        if "Host" not in self.headers:
            out.append(("Host", self.proxy_netloc()))
        return out

    def proxy_netloc(self):
        return self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]

    def relay(self, response, swap, fault):
        """Sends the upstream response to the client; `fault` may cut or slow its body."""
        has_body = self.command != "HEAD" and response.status not in (204, 304)
        length = response.getheader("Content-Length")
        length = int(length) if length and length.isdigit() else None
        if length == 0:
            has_body = False
        chunked_out = has_body and length is None and self.request_version == "HTTP/1.1"
        if fault == "reset-mid-body" and not has_body:
            self.wfile.write(b"HTTP/1.1 %d " % response.status)   # nothing to cut but the headers
            self.reset_connection()
        if fault == "slow-body" and not has_body:
            time.sleep(1.0)   # nothing to slow down but the answer itself
        self.send_response_only(response.status, response.reason)
        for name, value in self.response_headers(response, swap):
            self.send_header(name, value)
        if chunked_out:
            self.send_header("Transfer-Encoding", "chunked")
        if has_body and length is None and not chunked_out:
            self.send_header("Connection", "close")   # an HTTP/1.0 client: the body ends when we close
        self.end_headers()
        if has_body:
            self.send_body(response, length, chunked_out, fault)
        if swap:
            self.server.state.count_swap()
        return response.status

    def response_headers(self, response, swap):
        """Upstream's end-to-end headers, Location pointing at the proxy, digest claims swapped."""
        out = []
        upstream_netloc = "%s:%d" % self.server.upstream
        for name, value in response.getheaders():
            lower = name.lower()
            if lower in HOP_BY_HOP:
                continue
            if lower == "location":
                value = self.rewrite_location(value, upstream_netloc)
            if swap and lower == "docker-content-digest":
                value = swap["claimed"]
            if swap and lower == "etag":
                value = '"%s"' % swap["claimed"]
            out.append((name, value))
        return out

    def rewrite_location(self, value, upstream_netloc):
        """An absolute Location naming the upstream is made to name the proxy."""
        parts = urllib.parse.urlsplit(value)
        if parts.netloc != upstream_netloc:
            return value
        return urllib.parse.urlunsplit(parts._replace(netloc=self.proxy_netloc()))

    def send_body(self, response, length, chunked_out, fault):
        """Streams the body; reset-mid-body stops halfway with a RST, slow-body paces it."""
        cut_at = None
        if fault == "reset-mid-body":
            cut_at = length // 2 if length else CHUNK // 2
        pause_every = None
        if fault == "slow-body":
            pause_every = -(-length // SLOW_PIECES) if length else 4096
        pauses_left = SLOW_PIECES
        next_pause = pause_every
        sent = 0
        while True:
            want = CHUNK
            if cut_at is not None:
                want = min(want, cut_at - sent)
            if pause_every is not None:
                want = min(want, max(1, next_pause - sent))
            piece = response.read(want) if want > 0 else b""
            if not piece:
                if cut_at is not None:
                    # Halfway (or the body was shorter). A moment first, so the client reads what
                    # was sent: a RST makes its kernel drop data still unread.
                    time.sleep(0.1)
                    self.reset_connection()
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked_out else piece)
            sent += len(piece)
            self.bytes_down += len(piece)
            if pause_every is not None and sent >= next_pause:
                next_pause += pause_every
                if pauses_left > 0:
                    pauses_left -= 1
                    time.sleep(SLOW_TOTAL_DELAY / SLOW_PIECES)
        if chunked_out:
            self.wfile.write(b"0\r\n\r\n")


# --- the server ---------------------------------------------------------------------------

class ProxyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, listen, upstream, state, log_file):
        self.upstream = upstream
        self.state = state
        self.log_file = log_file
        self.log_lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(listen, ProxyHandler)

    def log(self, line):
        """One line in the log; raw bytes a client sent (a TLS hello, say) are escaped."""
        line = "".join(c if c.isascii() and c.isprintable() else "\\x%02x" % ord(c) for c in line)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime())
        with self.log_lock:
            self.log_file.write("%s %s\n" % (stamp, line))
            self.log_file.flush()

    def process_request(self, request, client_address):
        """One thread per connection, at most MAX_CONNECTIONS at once; beyond that, refuse."""
        if not self.slots.acquire(blocking=False):
            with self.state.lock:
                self.state.refused_connections += 1
            self.log("%s refused: %d connections already open" % (client_address[1], MAX_CONNECTIONS))
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        with self.state.lock:
            self.state.active_connections += 1
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.state.lock:
                self.state.active_connections -= 1
            self.slots.release()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        self.log("%s connection error: %s: %s" % (client_address[1], type(exc).__name__, exc))


# --- command line -------------------------------------------------------------------------

def loopback_address(text, what):
    """'HOST:PORT' or 'PORT' (host 127.0.0.1) -> (host, port); only loopback hosts."""
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        if not ipaddress.ip_address(host).is_loopback:
            raise argparse.ArgumentTypeError("%s %s is not a loopback address" % (what, host))
        return host, int(port)
    except ValueError:
        raise argparse.ArgumentTypeError("%s must be a loopback IP and port, got %r" % (what, text))


def parse_rate(value):
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise ValueError("fault rate must be between 0 and 1, got %s" % value)
    return rate


def parse_faults(text):
    faults = [f.strip() for f in str(text).split(",") if f.strip()]
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        raise ValueError("unknown faults %s (known: %s)" % (", ".join(unknown), ", ".join(FAULTS)))
    return faults


def parse_args(argv):
    p = argparse.ArgumentParser(description="Fault-injecting reverse proxy for the test bed registry.")
    p.add_argument("--listen", required=True, type=lambda s: loopback_address(s, "listen address"),
                   help="127.0.0.1:PORT to listen on")
    p.add_argument("--upstream", type=lambda s: loopback_address(s, "upstream"),
                   help="127.0.0.1:PORT of the registry (not needed with --html)")
    p.add_argument("--fault-rate", type=parse_rate, default=0.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--faults", type=parse_faults, default=list(FAULTS),
                   help="comma-separated subset of: " + ",".join(FAULTS))
    p.add_argument("--html", action="store_true")
    p.add_argument("--swap-manifests", metavar="FILE")
    p.add_argument("--fail-after-manifest-put", type=int, default=0, metavar="N")
    p.add_argument("--log", metavar="FILE", help="request log (default: stderr)")
    args = p.parse_args(argv)
    if not args.html and not args.upstream:
        p.error("--upstream is required unless --html is given")
    args.swaps = {}
    if args.swap_manifests:
        with open(args.swap_manifests) as f:
            args.swaps = json.load(f)
        for requested, served in args.swaps.items():
            if not re.fullmatch(r"sha256:[0-9a-f]{64}", requested) or \
                    not re.fullmatch(r"[a-z0-9._/-]+@sha256:[0-9a-f]{64}", served):
                p.error("bad --swap-manifests entry %r: %r" % (requested, served))
    return args


def main(argv):
    args = parse_args(argv)
    log_file = open(args.log, "a") if args.log else sys.stderr
    server = ProxyServer(args.listen, args.upstream, State(args), log_file)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    mode = "html" if args.html else "swap-manifests" if args.swaps else "faults"
    server.log("listening on %s:%d, upstream %s, mode %s, config %s" % (
        args.listen[0], args.listen[1], "%s:%d" % args.upstream if args.upstream else "-",
        mode, json.dumps(server.state.config())))
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        server.log("stopped")


if __name__ == "__main__":
    main(sys.argv[1:])
