"""A stand-in listening source on loopback for ``bench/listening.py``: a real HTTP server that
serves a pre-made stream of posts (JSON) page by page in simulated time, each page repeating a
few posts of the previous one, as overlapping polls of a real source do."""

from __future__ import annotations

import json
import math
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    """Who is talked about, how much, and when the spikes come (one per query, known in advance)."""

    workspaces: int
    per_hour: float  # average mentions an hour of each query
    steady_days: int
    spike_size: int  # extra mentions in 10 minutes at each query's spike
    seed: int = 7

    def rate(self, at: datetime) -> float:
        """Mentions an hour of one query at ``at``: a daily rhythm, quiet at night (×0.25),
        busy in the afternoon (×1.75), and a bit less at weekends."""
        hour = at.hour + at.minute / 60
        daily = 1 + 0.75 * math.sin((hour - 9) / 24 * 2 * math.pi)
        weekend = 0.8 if at.weekday() >= 5 else 1.0
        return self.per_hour * daily * weekend

    def spike_at(self, query_index: int) -> datetime:
        """Each query's spike on the day after the steady days, at a different time of day."""
        return START + self.steady_days * DAY + timedelta(hours=1, minutes=37 * query_index)


def query_words(workspace: int) -> list[str]:
    return [f"brand{workspace}", f"gadget{workspace}", f"rival{workspace}"]


def make_stream(plan: Plan, texts: list[str]) -> list[dict[str, Any]]:
    """Every post of the stream, oldest first: mentions of each query at the plan's rhythm,
    posts about nothing (matched by no query), and the spikes."""
    rng = random.Random(plan.seed)
    posts: list[dict[str, Any]] = []
    end = START + (plan.steady_days + 1) * DAY
    for workspace in range(plan.workspaces):
        for index, word in enumerate(query_words(workspace)):
            number = workspace * 3 + index
            posts += _steady(plan, rng, texts, workspace, word, end)
            posts += _spike(plan, rng, texts, workspace, word, plan.spike_at(number))
    posts.sort(key=lambda p: p["published_at"])
    for number, post in enumerate(posts):
        post["remote_id"] = f"post-{number}"
    return posts


def _steady(
    plan: Plan, rng: random.Random, texts: list[str], ws: int, word: str, end: datetime
) -> list[dict[str, Any]]:
    made, at = [], START
    while at < end:
        # Poisson arrivals at the hour's rate; one noise post (no query's word) for each.
        at += timedelta(hours=rng.expovariate(plan.rate(at)))
        made.append(
            _post(rng, texts, ws, f"{rng.choice(texts)} {word}", at, negative=rng.random() < 0.1)
        )
        made.append(
            _post(rng, texts, ws, rng.choice(texts), at + timedelta(seconds=7), negative=False)
        )
    return [p for p in made if p["published_at"] < end.isoformat()]


def _spike(
    plan: Plan, rng: random.Random, texts: list[str], ws: int, word: str, at: datetime
) -> list[dict[str, Any]]:
    step = timedelta(minutes=10) / plan.spike_size
    return [
        _post(
            rng,
            texts,
            ws,
            f"{word} refund outage {rng.choice(texts)}",
            at + step * i,
            negative=True,
        )
        for i in range(plan.spike_size)
    ]


def _post(
    rng: random.Random, texts: list[str], ws: int, text: str, at: datetime, *, negative: bool
) -> dict[str, Any]:
    author = rng.randrange(500)
    return {
        "workspace": ws,
        "text": text[:500],
        "published_at": at.isoformat(),
        "author": f"fan{author}",
        "reach": author * 37,
        "spike": "refund outage" in text,
    }


class StreamServer:
    """GET /ws/<n>/posts?until=<iso>&after=<index>: the workspace's posts published up to
    ``until`` after position ``after``, with the last few of the previous page again."""

    def __init__(self, posts: list[dict[str, Any]], workspaces: int, overlap: int = 3) -> None:
        self.by_workspace: list[list[dict[str, Any]]] = [[] for _ in range(workspaces)]
        for post in posts:
            self.by_workspace[post["workspace"]].append(post)
        self.overlap = overlap
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StreamServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, workspace: int, after: int, until: str) -> dict[str, Any]:
        posts = self.by_workspace[workspace]
        end = after
        while end < len(posts) and posts[end]["published_at"] <= until:
            end += 1
        return {"posts": posts[max(0, after - self.overlap) : end], "next": end}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                workspace = int(parts.path.split("/")[2])
                query = parse_qs(parts.query)
                body = json.dumps(
                    stream.page(workspace, int(query["after"][0]), query["until"][0])
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
