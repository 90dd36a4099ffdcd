"""Listening fixtures: a source of workspace A, heard posts, and a JSON feed served on loopback
read by a source kind defined here (it tests polling's own rules, not a network's)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chorus.core.http import raise_for_status, translate_errors
from chorus.listening import matcher
from chorus.listening.models import ListeningQuery, ListeningSource
from chorus.listening.sources import registry
from chorus.listening.sources.base import Batch, HeardPost, SourceKind
from chorus.workspaces.models import Workspace

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def heard(number: int, text: str = "", **given: Any) -> HeardPost:
    """A post as a source hears it; ids, addresses and times from ``number``."""
    values: dict[str, Any] = {
        "network": "rss",
        "remote_id": f"entry-{number}",
        "url": f"https://blog.example.net/posts/{number}?utm_source=feed",
        "text": text or f"Post number {number} about nothing in particular at all today",
        "published_at": T0 + timedelta(minutes=number),
        "author_id": f"author-{number % 3}",
        "author_handle": f"writer{number % 3}",
        "author_name": f"Writer {number % 3}",
        "reach": 100 * (number % 3),
    }
    values.update(given)
    return HeardPost(**values)


@pytest.fixture(autouse=True)
def _fresh_matchers() -> Iterator[None]:
    matcher.forget_cached_matchers()
    yield
    matcher.forget_cached_matchers()


@pytest.fixture
def source_a(workspace_a: Workspace) -> ListeningSource:
    return ListeningSource.objects.create(workspace=workspace_a, kind="rss", name="Blog feed")


@pytest.fixture
def query_a(workspace_a: Workspace) -> ListeningQuery:
    return ListeningQuery.objects.create(
        workspace=workspace_a, name="Acme", kind="brand", expression='acme OR "acme coffee"'
    )


# -- a JSON feed on loopback ------------------------------------------------------------------


class FeedServer(ThreadingHTTPServer):
    """Answers GET /feed?since=N with the posts after N; ``answers`` queues other answers
    (status, headers) for the next requests, to make the source fail."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.posts: list[dict[str, Any]] = []
        self.answers: list[tuple[int, dict[str, str]]] = []
        self.requests: list[str] = []

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:  # noqa: N802
        self.server.requests.append(self.path)
        if self.server.answers:
            status, headers = self.server.answers.pop(0)
            self._send(status, {"error": "refused"}, headers)
            return
        since = int(self.path.partition("since=")[2] or 0)
        self._send(200, {"posts": [p for p in self.server.posts if p["n"] > since]}, {})

    def _send(self, status: int, body: Any, headers: Mapping[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


class JsonFeedSource(SourceKind):
    """Reads the loopback feed: the cursor is the last post number seen."""

    key = "jsonfeed"
    label = "JSON feed (tests)"

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        since = int(cursor.get("since", 0))
        with translate_errors():
            response = self.http.get(f"{self.settings['url']}/feed?since={since}")
        raise_for_status(response)
        posts = response.json()["posts"]
        heard_posts = [
            heard(p["n"], p["text"], network="jsonfeed", url=p.get("url", "")) for p in posts
        ]
        last = max([since, *(p["n"] for p in posts)])
        return Batch(posts=heard_posts, cursor={"since": last})


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def jsonfeed_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(registry.SOURCES, "jsonfeed", "tests.listening.conftest.JsonFeedSource")
    registry.get_source.cache_clear()
    yield
    registry.get_source.cache_clear()


def feed_source(workspace: Workspace, server: FeedServer, name: str = "Feed") -> ListeningSource:
    return ListeningSource.objects.create(
        workspace=workspace,
        kind="jsonfeed",
        name=name,
        settings={"url": server.root},
        poll_every_seconds=60,
        next_poll_at=T0 - timedelta(days=1),
    )
