"""Replays Mastodon traffic recorded by others (../shared/fixtures/mastodon) to the connector.

The cassettes are vcrpy YAML. We serve them through ``httpx.MockTransport`` rather than vcrpy so
each test can read back exactly what the connector sent (headers such as Idempotency-Key, JSON and
multipart bodies). Answers match on method and path, in recorded order, as the fixtures README
advises; a trailing slash is ignored, as Mastodon's router ignores it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from chorus.channels.networks.mastodon.network import Mastodon, MastodonConnection
from chorus.core import http as chorus_http

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "mastodon"
BASE_URL = "http://localhost:3000"
TOKEN = "__MASTODON_PY_TEST_ACCESS_TOKEN"
# Headers that described the recorded bytes on the wire, not the decoded body we serve.
_WIRE_HEADERS = {"content-length", "content-encoding", "transfer-encoding"}


def _path(url_or_path: str) -> str:
    return httpx.URL(url_or_path).path.rstrip("/") or "/"


@dataclass
class Answer:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes
    repeat: bool = False

    def response(self) -> httpx.Response:
        return httpx.Response(self.status, headers=self.headers, content=self.body)

    def json(self) -> Any:
        return json.loads(self.body)


def load_cassette(name: str) -> list[Answer]:
    data = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    answers = []
    for interaction in data["interactions"]:
        request, response = interaction["request"], interaction["response"]
        body = response["body"]["string"] or b""
        answers.append(
            Answer(
                method=request["method"],
                path=_path(request["uri"]),
                status=response["status"]["code"],
                headers={
                    key: ", ".join(values)
                    for key, values in response["headers"].items()
                    if key.lower() not in _WIRE_HEADERS
                },
                body=body.encode() if isinstance(body, str) else body,
            )
        )
    return answers


@dataclass
class Recording:
    """The recorded answers of one or more cassettes, and every request the connector sent."""

    answers: list[Answer]
    sent: list[httpx.Request] = field(default_factory=list)

    @classmethod
    def of(cls, *cassettes: str) -> Recording:
        return cls([answer for name in cassettes for answer in load_cassette(name)])

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        for index, answer in enumerate(self.answers):
            if answer.method == request.method and answer.path == _path(str(request.url)):
                if not answer.repeat:
                    del self.answers[index]
                return answer.response()
        raise AssertionError(f"nothing recorded for {request.method} {request.url.path}")

    def find(self, method: str, path: str) -> Answer:
        """The next recorded answer for a request, to alter it for an error scenario."""
        return next(a for a in self.answers if a.method == method and a.path == _path(path))

    def requests(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.sent if r.method == method and _path(str(r.url)) == _path(path)]

    def connect(self, **settings: Any) -> MastodonConnection:
        http = chorus_http.client(transport=httpx.MockTransport(self.handle))
        return connect(http, **settings)


def connect(http: httpx.Client, **settings: Any) -> MastodonConnection:
    connection = Mastodon.connect(
        {"access_token": TOKEN}, {"base_url": BASE_URL, **settings}, http=http
    )
    assert isinstance(connection, MastodonConnection)
    pauses: list[float] = []
    connection.sleep = pauses.append  # waiting for media processing costs no test time
    return connection


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content)
