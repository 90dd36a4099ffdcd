"""Hacker News through Algolia's ``search_by_date``, over real HTTP on loopback.

No recording of Algolia's API exists in ../shared/fixtures: the answers follow Algolia's
documented format (https://hn.algolia.com/api), as the source's docs page says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from chorus.channels.errors import Permanent, Transient
from chorus.listening.sources.hackernews import HackerNewsSource
from tests.loopback import Heard, Loopback, Reply

PATH = "/api/v1/search_by_date"
T0 = 1_796_558_400  # 2026-12-06 12:00:00 UTC


def story(object_id: int, at: int, title: str) -> dict[str, Any]:
    return {
        "_tags": ["story", "author_maker", f"story_{object_id}", "show_hn"],
        "author": "maker",
        "children": [],
        "created_at": datetime.fromtimestamp(at, tz=UTC).isoformat().replace("+00:00", "Z"),
        "created_at_i": at,
        "num_comments": 12,
        "objectID": str(object_id),
        "points": 120,
        "story_id": object_id,
        "story_text": None,
        "title": title,
        "updated_at": "2026-12-06T13:00:00Z",
        "url": "https://chorus.example/launch",
    }


def comment(object_id: int, at: int, html: str) -> dict[str, Any]:
    return {
        "_tags": ["comment", "author_critic", f"story_{object_id - 1}"],
        "author": "critic",
        "comment_text": html,
        "created_at": datetime.fromtimestamp(at, tz=UTC).isoformat().replace("+00:00", "Z"),
        "created_at_i": at,
        "objectID": str(object_id),
        "parent_id": object_id - 1,
        "story_id": object_id - 1,
        "story_title": "Show HN: Chorus",
        "story_url": "https://chorus.example/launch",
        "updated_at": "2026-12-06T13:00:00Z",
    }


def answer(hits: list[dict[str, Any]], page: int = 0, pages: int = 1) -> dict[str, Any]:
    return {
        "exhaustive": {"nbHits": True, "typo": True},
        "hits": hits,
        "hitsPerPage": 100,
        "nbHits": len(hits),
        "nbPages": pages,
        "page": page,
        "params": "query=chorus",
        "processingTimeMS": 1,
        "query": "chorus",
    }


@pytest.fixture
def reader(server: Loopback, http: httpx.Client, settings) -> HackerNewsSource:  # type: ignore[no-untyped-def]
    settings.CHORUS_HACKERNEWS_API = server.root + "/api/v1"
    return HackerNewsSource({"terms": "chorus"}, http=http)


def test_stories_and_comments_are_heard_oldest_first(
    server: Loopback, reader: HackerNewsSource
) -> None:
    hits = [
        comment(
            42000001,
            T0 + 60,
            '<p>I tried <i>Chorus</i> &amp; it <a href="https://x.example">broke</a></p><script>x()</script>',
        ),
        story(42000000, T0, "Show HN: Chorus"),
    ]
    server.on("GET", PATH, Reply(body=answer(hits)))

    batch = reader.fetch({})

    launch, critic = batch.posts
    assert launch.title == "Show HN: Chorus" and launch.text == "Show HN: Chorus"
    assert launch.url == "https://news.ycombinator.com/item?id=42000000"
    assert launch.extras["link"] == "https://chorus.example/launch"
    assert critic.text.startswith("I tried Chorus & it broke") and "x()" not in critic.text
    assert critic.published_at == datetime(2026, 12, 6, 12, 1, tzinfo=UTC)
    assert critic.author_handle == "critic"
    (asked,) = server.requests(PATH)
    assert asked.query["tags"] == "(story,comment)" and asked.query["query"] == "chorus"
    assert "numericFilters" not in asked.query
    assert batch.cursor == {"since": T0 + 60, "seen": ["42000001"]}


def test_the_next_poll_asks_from_the_last_second_and_leaves_out_what_was_heard(
    server: Loopback, reader: HackerNewsSource
) -> None:
    hits = [comment(42000003, T0 + 60, "same second, new"), comment(42000001, T0 + 60, "heard")]
    server.on("GET", PATH, Reply(body=answer(hits)))

    batch = reader.fetch({"since": T0 + 60, "seen": ["42000001"]})

    assert [p.remote_id for p in batch.posts] == ["42000003"]
    assert server.requests(PATH)[0].query["numericFilters"] == f"created_at_i>{T0 + 59}"
    assert set(batch.cursor["seen"]) == {"42000001", "42000003"}


def test_a_busy_search_is_read_page_after_page(server: Loopback, reader: HackerNewsSource) -> None:
    def page(heard: Heard) -> Reply:
        number = int(heard.query["page"])
        hits = [comment(43000000 + number * 100 + n, T0 + 100 + n, "chorus") for n in range(100)]
        return Reply(body=answer(hits, page=number, pages=3))

    server.on("GET", PATH, page)

    batch = reader.fetch({"since": T0})

    assert [r.query["page"] for r in server.requests(PATH)] == ["0", "1", "2"]
    assert len(batch.posts) == 300


def test_an_unreadable_answer_and_a_server_error_are_told_apart(
    server: Loopback, reader: HackerNewsSource
) -> None:
    server.on("GET", PATH, Reply(200, b"<html>maintenance</html>", {"content-type": "text/html"}))
    with pytest.raises(Permanent, match="could not read"):
        reader.fetch({})

    server.on("GET", PATH, Reply(502, b"bad gateway", {"content-type": "text/plain"}))
    with pytest.raises(Transient):
        reader.fetch({})


def test_a_search_needs_words() -> None:
    with pytest.raises(Permanent):
        HackerNewsSource.check_settings({})
