"""A real HTTP server on loopback, started by the test, answering what the test gives it.

Connectors and sources are read over real HTTP (the one Chorus client, its closed-network
transport, real sockets), not through a mock transport: the server hands out recorded or
documented bodies and
keeps every request it received, so a test can check what was asked for. Shared by every test
that needs a network served on loopback (listening sources, the Meta networks).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Heard:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


Answer = Reply | Callable[[Heard], Reply]


class Loopback:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Answer]] = {}
        self.received: list[Heard] = []
        self.root = ""

    def on(self, method: str, path: str, *answers: Answer) -> None:
        """Answers in order; the last one repeats."""
        self.routes[(method, path.rstrip("/") or "/")] = list(answers)

    def requests(self, path: str) -> list[Heard]:
        return [r for r in self.received if r.path == path.rstrip("/")]

    def answer(self, heard: Heard) -> Reply:
        self.received.append(heard)
        answers = self.routes.get((heard.method, heard.path))
        if not answers:
            return Reply(404, {"error": f"nothing served at {heard.method} {heard.path}"})
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return answer(heard) if callable(answer) else answer


def _handler(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            heard = Heard(
                method=self.command,
                path=parts.path.rstrip("/") or "/",
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = loopback.answer(heard)
            body = reply.encoded()
            self.send_response(reply.status)
            headers = {"content-type": "application/json", **reply.headers}
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            if body and reply.status != 304:
                self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

    return Handler


@contextmanager
def serving() -> Iterator[Loopback]:
    loopback = Loopback()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(loopback))
    loopback.root = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield loopback
    finally:
        server.shutdown()
        server.server_close()
