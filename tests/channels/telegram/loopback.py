"""A real HTTP server on 127.0.0.1 that answers with recorded bodies and keeps what it was sent.

Used by the Telegram and Discord tests: each test scripts the answers (by the end of the path)
and then reads back the exact requests the connector made, multipart bodies included.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait after reading the request: a lost answer


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, tuple[str, bytes]]:
        """Multipart parts by field name: (filename or "", content)."""
        raw = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode() + self.body
        message = BytesParser(policy=HTTP).parsebytes(raw)
        parts = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            parts[str(name)] = (part.get_filename() or "", part.get_payload(decode=True) or b"")
        return parts


class LoopbackApi:
    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.seen: list[Seen] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path_end: str, *answers: Answer) -> None:
        """Queue answers for requests whose path ends with ``path_end``; the last one repeats."""
        self.answers.setdefault(path_end, []).extend(answers)

    def requests_to(self, path_end: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.endswith(path_end)]

    def _pick(self, path: str) -> Answer:
        for end, queued in sorted(self.answers.items(), key=lambda kv: -len(kv[0])):
            if path.endswith(end) and queued:
                return queued.pop(0) if len(queued) > 1 else queued[0]
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path, _, query = self.path.partition("?")
                headers = {k.lower(): v for k, v in self.headers.items()}
                api.seen.append(Seen(self.command, path, query, headers, body))
                answer = api._pick(path)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = b"" if answer.body is None else _encode(answer.body)
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as the test wanted

            do_GET = do_POST = do_DELETE = do_PATCH = _serve

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _encode(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


@pytest.fixture
def loopback() -> Iterator[LoopbackApi]:
    api = LoopbackApi()
    try:
        yield api
    finally:
        api.close()
