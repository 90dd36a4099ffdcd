"""A stand-in Mastodon on loopback answering what metric collection reads, for its tests and
benchmark.

A real HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive) with:

- ``GET /api/v1/accounts/verify_credentials``: the account, with ``followers_count``
- ``GET /api/v1/statuses/:id``: a status shaped like Mastodon's (the fields of the recorded
  ``test_status.yaml`` the connector reads), with the counts set in ``counts`` (or derived from
  the id), 404 ``{"error": "Record not found"}`` for ids in ``gone``

Every answer carries Mastodon's rate-limit headers (``X-RateLimit-Remaining`` from
``remaining``). ``forced`` makes the next status answers fail, in order: "500", or "429" (with
``Retry-After``). ``requests`` counts the status reads.

Run alone: ``python bench/standin_metrics.py --port 8766``.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

STATUS_PREFIX = "/api/v1/statuses/"


@dataclass
class Network:
    """What the stand-in answers; tests change it between reads."""

    followers: int = 1200
    remaining: int = 300
    retry_after_s: int = 30
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    forced: list[str] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def counts_of(self, status_id: str) -> dict[str, int]:
        if status_id in self.counts:
            return self.counts[status_id]
        seed = sum(map(ord, status_id))  # steady figures for ids nobody set
        return {
            "favourites_count": seed % 50,
            "reblogs_count": seed % 7,
            "replies_count": seed % 5,
            "quotes_count": seed % 3,
        }

    def next_fault(self) -> str:
        with self.lock:
            self.requests += 1
            return self.forced.pop(0) if self.forced else ""


def status_json(status_id: str, counts: dict[str, int], root: str) -> dict[str, Any]:
    return {
        "id": status_id,
        "created_at": "2026-12-01T09:00:00.000Z",
        "in_reply_to_id": None,
        "visibility": "public",
        "content": "<p>Stand-in post</p>",
        "url": f"{root}/@brand/{status_id}",
        "uri": f"{root}/users/brand/statuses/{status_id}",
        "account": account_json(root, 0),
        **counts,
    }


def account_json(root: str, followers: int) -> dict[str, Any]:
    return {
        "id": "1",
        "acct": "brand",
        "username": "brand",
        "display_name": "Brand",
        "url": f"{root}/@brand",
        "avatar": "",
        "followers_count": followers,
    }


def handler_for(network: Network) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Mastodon behind nginx

        def setup(self) -> None:
            super().setup()
            # Headers and body leave in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK add ~40 ms to every answer, which no real server does.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def answer(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            reset = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
            self.send_header("X-RateLimit-Limit", "300")
            self.send_header("X-RateLimit-Remaining", str(network.remaining))
            self.send_header("X-RateLimit-Reset", reset)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            root = f"http://{self.headers.get('Host', '127.0.0.1')}"
            if path == "/api/v1/accounts/verify_credentials":
                self.answer(200, account_json(root, network.followers))
            elif path.startswith(STATUS_PREFIX):
                self.status(path.removeprefix(STATUS_PREFIX), root)
            else:
                self.answer(404, {"error": "Record not found"})

        def status(self, status_id: str, root: str) -> None:
            fault = network.next_fault()
            if fault == "500":
                self.answer(500, {"error": "Internal server error"})
            elif fault == "429":
                wait = str(network.retry_after_s)
                self.answer(429, {"error": "Too many requests"}, {"Retry-After": wait})
            elif status_id in network.gone:
                self.answer(404, {"error": "Record not found"})
            else:
                self.answer(200, status_json(status_id, network.counts_of(status_id), root))

    return Handler


class MetricsStandIn:
    """``with MetricsStandIn() as server:`` — ``server.root``, ``server.network``."""

    def __init__(self, port: int = 0) -> None:
        self.network = Network()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(self.network))
        self.server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> MetricsStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with MetricsStandIn(args.port) as server:
        print(f"listening on {server.root}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
