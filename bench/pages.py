"""Pages under load: a real ``chorus serve`` on loopback, 50 keep-alive connections per page.

Starts ``chorus serve`` with its defaults (web processes, threads, the worker beside it) on a fresh
var dir (SQLite) or on DATABASE_URL, loads the demo workspace (``chorus demo``), signs in as the
demo user, then drives each page for ``--seconds``: the inbox, Today and the calendar, plus two
baselines through the same server so the reader sees its ceiling: a static file (WhiteNoise, no
view) and /healthz (a tiny Django view; the session cookie is sent to it too). The last output
line is one JSON object.

Three modes, each on its own server over the same database: ``kept`` (the default server: a page
is kept per process while nothing is written, chorus/workspaces/kept.py), whose figures are the
top-level keys; ``made`` (``CHORUS_KEEP_PAGES=0``: every page made afresh, which is what the
first view after any write costs), under the key ``made``; and ``busy``: the default server while
another process writes (``--writes-per-s``, a conversation's priority changed and announced), so
kept pages are made again after each write, under the key ``busy``.

The load comes from ``wrk`` (Debian: ``apt-get install wrk``) with a Lua script that sends the
session cookie and counts every answer that is not a 200 as an error; without wrk, a Python
asyncio client does the same (slower: it competes with the server for the CPU).

The machine may be shared: the load average before and after is in the JSON, and the baselines
are measured in the same run; compare pages with them, not with figures from another day.

    python bench/pages.py --seconds 10
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_perf python bench/pages.py
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PAGES = {
    "static": "/static/vendor/htmx.min.js",
    "healthz": "/healthz",
    "inbox": "/inbox/",
    "today": "/today/",
    "calendar": "/publishing/calendar/",
}
BASELINES = ("static", "healthz")
PASSWORD = "bench-pages-" + secrets.token_urlsafe(8)

# wrk calls response() for every answer; not-200s are counted per thread and summed in done().
WRK_SCRIPT = r"""
wrk.headers["Cookie"] = os.getenv("CHORUS_BENCH_COOKIE")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    'CHORUS {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, bad + e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chorus(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "chorus.cli", *args]
    done = subprocess.run(command, env=env, check=True, cwd=REPO, capture_output=True, text=True)
    return done.stdout


def start_server(env: dict[str, str], bind: str, log: Path) -> subprocess.Popen[bytes]:
    # The access log goes to a file, as it would under systemd: it is part of the server's work.
    out = log.open("wb")
    command = [sys.executable, "-m", "chorus.cli", "serve", "--bind", bind]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def wait_until_up(port: int, server: subprocess.Popen[bytes], limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("chorus serve stopped before answering; see its log")
        try:
            status, _headers, _body = get(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("chorus serve did not answer /healthz with 200 in time")


def get(port: int, path: str, cookie: str = "") -> tuple[int, Any, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.headers, body


def sign_in(port: int, email: str, password: str) -> str:
    """The Cookie header of a signed-in session, through the real sign-in form."""
    status, headers, body = get(port, "/account/signin/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookie = _cookies(headers)
    if status != 200 or csrf is None or "csrftoken" not in cookie:
        raise SystemExit(f"sign-in page: {status}")
    from urllib.parse import urlencode

    form = urlencode({"email": email, "password": password, "csrfmiddlewaretoken": csrf[1]})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/account/signin/",
        body=form,
        headers={
            "Cookie": _header(cookie),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/account/signin/",
        },
    )
    answer = conn.getresponse()
    answer.read()
    cookie |= _cookies(answer.headers)
    if answer.status != 302 or "sessionid" not in cookie:
        raise SystemExit(f"sign-in refused: {answer.status}")
    return _header(cookie)


def _cookies(headers: Any) -> dict[str, str]:
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _eq, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def drive_wrk(port: int, path: str, cookie: str, args: argparse.Namespace, var: Path) -> dict:
    script = var / "pages.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}{path}"]
    env = {**os.environ, "CHORUS_BENCH_COOKIE": cookie}
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("CHORUS "))
    found = json.loads(line.removeprefix("CHORUS "))
    return _figures(found["requests"], found["seconds"], found["p50_ms"], found["p99_ms"], found)


def _figures(requests: int, seconds: float, p50: float, p99: float, raw: dict) -> dict:
    return {
        "pages_per_s": round(requests / seconds, 1),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "errors": int(raw["errors"]),
        "requests": requests,
    }


# -- the fallback client: asyncio, one task per keep-alive connection ---------------------------


async def _one_connection(port: int, request: bytes, until: float, seen: dict) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < until:
            started = time.monotonic()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            await reader.readexactly(int(length[1]) if length else 0)
            seen["latencies"].append((time.monotonic() - started) * 1000)
            if not head.startswith(b"HTTP/1.1 200"):
                seen["errors"] += 1
    except (OSError, asyncio.IncompleteReadError):
        seen["errors"] += 1
    finally:
        writer.close()


async def _drive(port: int, path: str, cookie: str, connections: int, seconds: int) -> dict:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n"
    ).encode()
    seen: dict[str, Any] = {"latencies": [], "errors": 0}
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(*(_one_connection(port, request, until, seen) for _ in range(connections)))
    latencies = sorted(seen["latencies"]) or [0.0]
    return {
        "requests": len(seen["latencies"]),
        "seconds": time.monotonic() - started,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": seen["errors"],
    }


def drive_asyncio(port: int, path: str, cookie: str, connections: int, seconds: int) -> dict:
    return asyncio.run(_drive(port, path, cookie, connections, seconds))


def server_cpu_seconds(root: int) -> float:
    """CPU time used so far by the web processes (gunicorn) that ``chorus serve`` started.

    On a shared machine the pages/s depend on the neighbours; the server's own CPU per page
    does not, so it is reported beside them (with the ceiling it implies on this many cores).
    The worker beside them is left out: its periodic work would be charged to the pages.
    """
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    web = [pid for pid in tree if b"gunicorn" in _command_line(pid)]
    return sum(ticks.get(pid, 0) for pid in web) / os.sysconf("SC_CLK_TCK")


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def measure(
    port: int, cookie: str, args: argparse.Namespace, var: Path, server: int
) -> dict[str, dict]:
    results = {}
    for name in args.pages:
        path = PAGES[name]
        status, _headers, _body = get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{name} ({path}) answered {status} before the run")
        cpu_before = server_cpu_seconds(server)
        if args.client == "wrk":
            results[name] = drive_wrk(port, path, cookie, args, var)
        else:
            raw = drive_asyncio(port, path, cookie, args.connections, args.seconds)
            results[name] = _figures(
                raw["requests"], raw["seconds"], raw["p50_ms"], raw["p99_ms"], raw
            )
        cpu_ms = (server_cpu_seconds(server) - cpu_before) * 1000 / results[name]["requests"]
        results[name]["server_cpu_ms"] = round(cpu_ms, 2)
        results[name]["ceiling_pages_per_s"] = round((os.cpu_count() or 1) * 1000 / cpu_ms)
        print(f"{name:9} {path:28} {json.dumps(results[name])}", flush=True)
    return results


def run(args: argparse.Namespace) -> dict[str, Any]:
    var = Path(tempfile.mkdtemp(prefix="chorus-bench-pages-"))
    port = free_port()
    env = {
        **os.environ,
        "CHORUS_VAR_DIR": str(var),
        "CHORUS_PASSWORD": PASSWORD,
        "CHORUS_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    if env.get("DATABASE_URL"):
        env.setdefault("CHORUS_SECRET_KEY", "bench-pages-only")
    chorus(env, "migrate")
    said = re.search(r"Sign in as (\S+) with", chorus(env, "demo", "--reset"))
    if said is None:
        raise SystemExit("chorus demo did not say whom to sign in as")
    before = os.getloadavg()
    figures: dict[str, Any] = {}
    for mode in args.modes:
        print(f"-- {mode} pages", flush=True)
        keep = {"CHORUS_KEEP_PAGES": "0" if mode == "made" else "1"}
        pages = serve_and_measure({**env, **keep}, port, said[1], args, var, mode)
        figures.update(pages if mode == "kept" else {mode: pages})
    after = os.getloadavg()
    if not args.keep:
        shutil.rmtree(var, ignore_errors=True)
    return {
        "bench": "pages",
        "database": "postgresql"
        if env.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite",
        "client": args.client,
        "connections": args.connections,
        "seconds_per_page": args.seconds,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in before],
        "load_after": [round(x, 2) for x in after],
        **figures,
    }


def serve_and_measure(
    env: dict[str, str], port: int, email: str, args: argparse.Namespace, var: Path, mode: str
) -> dict[str, dict]:
    server = start_server(env, f"127.0.0.1:{port}", var / f"serve-{mode}.log")
    writer = None
    try:
        wait_until_up(port, server)
        cookie = sign_in(port, email, PASSWORD)
        if mode == "busy":
            writer = start_writer(env, args.writes_per_s)
        return measure(port, cookie, args, var, server.pid)
    finally:
        if writer is not None:
            writer.terminate()
            writer.wait(timeout=30)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# A teammate answering in another process: one conversation's priority changes, committed and
# announced, ``per_s`` times a second, so every kept page is made again after each write.
WRITER = """
import os, sys, time, django
django.setup()
from chorus.core import writes
from chorus.inbox.models import Conversation
talk = Conversation.objects.order_by("pk").first()
pause = 1 / float(sys.argv[1])
while True:
    Conversation.objects.filter(pk=talk.pk).update(priority=int(time.time()) % 3)
    writes.announce()
    time.sleep(pause)
"""


def start_writer(env: dict[str, str], per_s: float) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", WRITER, str(per_s)]
    env = {**env, "DJANGO_SETTINGS_MODULE": "chorus.settings"}
    return subprocess.Popen(command, env=env, cwd=REPO)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="load time per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="comma-separated: " + ",".join(PAGES)
    )
    parser.add_argument("--client", choices=("wrk", "asyncio"), default="")
    parser.add_argument("--keep", action="store_true", help="keep the var dir (logs, database)")
    parser.add_argument(
        "--modes",
        default="kept,made,busy",
        help="kept: pages kept while nothing is written (the default server); made: every page "
        "made afresh (CHORUS_KEEP_PAGES=0), what a page costs right after a write; busy: kept, "
        "while another process writes --writes-per-s times a second",
    )
    parser.add_argument("--writes-per-s", type=float, default=2.0)
    args = parser.parse_args()
    args.pages = [p for p in args.pages.split(",") if p]
    args.modes = [m for m in args.modes.split(",") if m in ("kept", "made", "busy")]
    args.client = args.client or ("wrk" if shutil.which("wrk") else "asyncio")
    if args.client == "asyncio":
        print("wrk not found (Debian: apt-get install wrk): using the slower asyncio client")
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
