#!/usr/bin/env python3
"""Hostile clients against a running `tally serve` on 127.0.0.1 (hostile.sh).

usage: hostile.py PORT ROUNDS_LABEL
Each scenario runs a bounded number of seconds and checks that a normal
request (GET /api/claims/1) is still answered 200 in under a second while it
lasts, and that the hostile requests are answered or refused quickly. Prints
"ok ..." / "FAIL ..." lines; exit 1 on a failure. Only 127.0.0.1."""
import socket, sys, threading, time, urllib.parse

PORT = int(sys.argv[1])
LABEL = sys.argv[2] if len(sys.argv) > 2 else ""
HOST = "127.0.0.1"
fails = 0


def ok(msg):
    print("ok   %s%s" % (LABEL, msg), flush=True)


def no(msg):
    global fails
    fails = 1
    print("FAIL %s%s" % (LABEL, msg), flush=True)


def request(raw, timeout=10.0, read_all=True):
    """Sends raw bytes, returns (status or None, seconds, body bytes)."""
    t0 = time.monotonic()
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    try:
        s.sendall(raw)
        data = b""
        while True:
            try:
                d = s.recv(65536)
            except socket.timeout:
                break
            if not d:
                break
            data += d
            if not read_all and b"\r\n\r\n" in data:
                break
            if time.monotonic() - t0 > timeout:
                break
    except OSError:
        data = b""
    finally:
        s.close()
    dt = time.monotonic() - t0
    status = None
    if data.startswith(b"HTTP/"):
        try:
            status = int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = None
    return status, dt, data


def get(target, headers=None, body=None, version="HTTP/1.1", host="127.0.0.1:%d" % PORT):
    h = "GET %s %s\r\n" % (target, version)
    if host is not None:
        h += "Host: %s\r\n" % host
    for k, v in (headers or {}).items():
        h += "%s: %s\r\n" % (k, v)
    h += "Connection: close\r\n\r\n"
    raw = h.encode("latin1") + (body or b"")
    return request(raw)


def normal():
    st, dt, _ = get("/api/claims/1")
    return st, dt


class Normals:
    """A normal request every 0.25 s while a scenario runs."""

    def __init__(self):
        self.results = []
        self.stop = False
        self.t = threading.Thread(target=self.run)
        self.t.start()

    def run(self):
        while not self.stop:
            self.results.append(normal())
            time.sleep(0.25)

    def check(self, what):
        self.stop = True
        self.t.join()
        bad = [r for r in self.results if r[0] != 200 or r[1] >= 1.0]
        worst = max((r[1] for r in self.results), default=0)
        if self.results and not bad:
            ok("%s: %d normal requests, all 200, slowest %.3f s" % (what, len(self.results), worst))
        else:
            no("%s: normal requests %s" % (what, [(r[0], round(r[1], 3)) for r in bad][:8] or "none"))


def slow_clients(n=100, secs=8.0):
    """n sockets sending their request head one byte every 0.5 s: the
    server must still serve others, and close them by its head deadline."""
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, PORT), timeout=2)
            s.setblocking(False)
            socks.append(s)
        except OSError:
            break
    head = b"GET /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
    pos = [0] * len(socks)
    closed_at = [None] * len(socks)
    norm = Normals()
    t0 = time.monotonic()
    while time.monotonic() - t0 < secs and None in closed_at:
        for i, s in enumerate(socks):
            if closed_at[i] is not None:
                continue
            try:
                d = s.recv(4096)
                if d == b"" or d.startswith(b"HTTP/"):
                    closed_at[i] = time.monotonic() - t0
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed_at[i] = time.monotonic() - t0
                continue
            try:
                s.send(head[pos[i]:pos[i] + 1])
                pos[i] += 1
            except BlockingIOError:
                pass
            except OSError:
                closed_at[i] = time.monotonic() - t0
        time.sleep(0.5)
    norm.check("%d slow clients (a byte every 0.5 s)" % len(socks))
    for s in socks:
        s.close()
    cut = [c for c in closed_at if c is not None]
    if len(socks) == n and len(cut) == n and max(cut) < 7.5:
        ok("%d slow clients: all cut by the server, the last after %.1f s" % (n, max(cut)))
    else:
        no("slow clients: %d of %d opened, %d cut by the server within %.0f s" % (len(socks), n, len(cut), secs))


def idle_flood(n=300, secs=3.0):
    """n connections that send nothing (over the soft limit): the server
    closes the oldest idle ones and still serves others."""
    socks = []
    for _ in range(n):
        try:
            socks.append(socket.create_connection((HOST, PORT), timeout=2))
        except OSError:
            break
    norm = Normals()
    time.sleep(secs)
    norm.check("%d idle connections" % len(socks))
    for s in socks:
        s.close()


def refusals():
    checks = [
        ("a 2000-byte URL", get("/api/overview?q=" + "a" * 2000), (414,)),
        ("a 1001-byte URL with 500 arguments", get("/api/overview?" + "&".join(["a"] * 496) + "&page=1"), (400,)),
        ("17 arguments", get("/api/overview?" + "&".join("a%d=1" % i for i in range(17))), (400,)),
        ("%00 in the path", get("/api/incidents/1%00junk"), (400,)),
        ("%00 in an argument", get("/api/search?q=Ganja%00x"), (400,)),
        ("a GET with a body", get("/api/overview", {"Content-Length": "5"}, b"x=123"), (400,)),
        ("a GET with a chunked body", get("/api/overview", {"Transfer-Encoding": "chunked"}, b"5\r\nx=123\r\n0\r\n\r\n"), (400,)),
        ("a HEAD with a body", None, (400,)),
        ("a foreign Host", get("/api/overview", host="evil.example"), (403,)),
        ("a foreign Host with a port", get("/api/overview", host="evil.example:%d" % PORT), (403,)),
        ("a foreign IP Host", get("/api/overview", host="10.1.2.3:%d" % PORT), (403,)),
        ("Host localhost", get("/api/overview", host="localhost:%d" % PORT), (200,)),
        ("Host 127.0.0.1", get("/api/overview"), (200,)),
        ("HTTP/1.0 without Host", get("/api/claims/1", version="HTTP/1.0", host=None), (200,)),
        ("page=0", get("/api/overview?page=0"), (400,)),
        ("per_page=1001", get("/api/overview?per_page=1001"), (400,)),
        ("page=x", get("/api/timeline?page=x"), (400,)),
        ("page=2", get("/api/overview?page=2&per_page=1"), (200,)),
    ]
    head_body = request(b"HEAD /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
    checks[7] = ("a HEAD with a body", head_body, (400,))
    for what, (st, dt, _), want in checks:
        if st in want and dt < 1.0:
            ok("%s -> %s in %.3f s" % (what, st, dt))
        else:
            no("%s -> %s in %.3f s, expected %s" % (what, st, dt, want))
    # the page of a list: per_page rows, "next"
    st, dt, body = get("/api/overview?per_page=1")
    if st == 200 and b'"per_page":1' in body and b'"next":2' in body:
        ok("overview per_page=1: paged, next 2")
    else:
        no("overview per_page=1: %s %r" % (st, body[-200:]))


def expensive(clients=4, secs=6.0):
    """clients loop a 20-term prefix search; normal requests stay fast."""
    terms = ["ka", "ri", "to", "ma", "ne", "su", "lo", "pa", "vi", "de", "go", "ba", "ze", "mu", "fi", "ra", "te",
             "no", "li", "sa"]
    q = urllib.parse.quote(" OR ".join(t + "*" for t in terms))
    stop = [False]
    res = []

    def loop():
        while not stop[0]:
            st, dt, _ = get("/api/search?q=" + q)
            res.append((st, dt))

    th = [threading.Thread(target=loop) for _ in range(clients)]
    for t in th:
        t.start()
    time.sleep(0.3)
    norm = Normals()
    time.sleep(secs)
    norm.check("%d clients looping a 20-term prefix search" % clients)
    stop[0] = True
    for t in th:
        t.join()
    bad = [r for r in res if r[0] not in (200, 503) or r[1] > 6.0]
    if res and not bad:
        ok("searches: %d answered (%d 200, %d 503), slowest %.2f s" % (
            len(res), sum(r[0] == 200 for r in res), sum(r[0] == 503 for r in res), max(r[1] for r in res)))
    else:
        no("searches: %s" % bad[:5])


def non_readers(n=60, secs=3.0):
    """n clients ask for the biggest page of the overview and never read."""
    socks = []
    for _ in range(n):
        s = socket.create_connection((HOST, PORT), timeout=2)
        s.sendall(b"GET /api/overview?per_page=1000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        socks.append(s)
    norm = Normals()
    time.sleep(secs)
    norm.check("%d clients not reading /api/overview" % n)
    for s in socks:
        s.close()


def log_forgery():
    for target in ["/x%0aGET%20/api/admin%20200", "/x%1b]0;owned%07%1b[2J", "/x\x1b[2J\x07"]:
        get(target)


scenario = sys.argv[3] if len(sys.argv) > 3 else "all"
if scenario in ("all", "slow"):
    slow_clients()
if scenario in ("all", "idle"):
    idle_flood()
if scenario in ("all", "refuse"):
    refusals()
if scenario in ("all", "expensive"):
    expensive()
if scenario in ("all", "nonread"):
    non_readers()
if scenario in ("all", "log"):
    log_forgery()
sys.exit(fails)
