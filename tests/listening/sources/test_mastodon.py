"""Mastodon hashtag timelines and searches, replayed from real recordings on a loopback server.

The bodies and headers are those of ``../shared/fixtures/mastodon/test_hashtag_tl.yaml`` and
``test_search.yaml`` (a Mastodon 4.6 dev server), served over real HTTP; the recorded searches
found no statuses, so the test that needs one puts the recorded hashtag status in the search
answer's envelope.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from chorus.channels.errors import AuthExpired, Permanent, RateLimited
from chorus.listening.sources.mastodon import MastodonSource
from tests.channels.mastodon.mastodon_recordings import TOKEN, Answer, load_cassette
from tests.loopback import Heard, Loopback, Reply

TAG_PATH = "/api/v1/timelines/tag/hoot"


def hashtag_answer() -> Answer:
    return next(a for a in load_cassette("test_hashtag_tl.yaml") if a.path == TAG_PATH)


def statuses_search_answer() -> Answer:
    """The third recorded search: ``type=statuses``, the one a listening source sends."""
    answer = load_cassette("test_search.yaml")[2]
    assert answer.path == "/api/v2/search"
    return answer


def reply_of(answer: Answer, body: Any = None, **headers: str) -> Reply:
    content = answer.body if body is None else json.dumps(body).encode()
    return Reply(answer.status, content, {**answer.headers, **headers})


def reader(server: Loopback, http: httpx.Client, **settings: str) -> MastodonSource:
    return MastodonSource(
        settings or {"hashtag": "#hoot"},
        http=http,
        channel_credentials={"access_token": TOKEN},
        channel_settings={"base_url": server.root},
    )


def test_a_hashtag_timeline_is_heard(server: Loopback, http: httpx.Client) -> None:
    server.on("GET", TAG_PATH, reply_of(hashtag_answer()))

    batch = reader(server, http).fetch({})

    (post,) = batch.posts
    assert post.text == "#hoot (hashtag toot)"
    assert (
        post.remote_id
        == "http://localhost:3000/ap/users/117020566092212359/statuses/117020593741189701"
    )
    assert post.url == "http://localhost:3000/@mastodonpy_test_2/117020593741189701"
    assert post.published_at == datetime(2026, 8, 1, 13, 55, 55, 867000, tzinfo=UTC)
    assert post.author_handle == "mastodonpy_test_2" and post.language == "ja"
    assert batch.cursor == {"min_id": "117020593741189701"}
    (asked,) = server.requests(TAG_PATH)
    assert asked.headers["authorization"] == f"Bearer {TOKEN}"
    assert asked.query == {"limit": "40"}


def test_the_next_poll_reads_forward_from_min_id(server: Loopback, http: httpx.Client) -> None:
    server.on("GET", TAG_PATH, reply_of(hashtag_answer(), body=[]))

    batch = reader(server, http).fetch({"min_id": "117020593741189701"})

    assert batch.posts == []
    assert batch.cursor == {"min_id": "117020593741189701"}
    assert server.requests(TAG_PATH)[0].query["min_id"] == "117020593741189701"


def _statuses(first: int, count: int) -> list[dict[str, Any]]:
    """The recorded status, as ``count`` successive ones (newest first, as Mastodon sends)."""
    status = json.loads(hashtag_answer().body)[0]
    made = []
    for n in range(first, first + count):
        at = datetime(2026, 8, 1, 14, tzinfo=UTC) + timedelta(seconds=n)
        made.append({**status, "id": str(117020593741189701 + n), "uri": f"{status['uri']}-{n}"})
        made[-1]["created_at"] = at.isoformat().replace("+00:00", "Z")
    return made[::-1]


def test_a_busy_hashtag_is_read_page_after_page(server: Loopback, http: httpx.Client) -> None:
    def page(heard: Heard) -> Reply:
        after = int(heard.query["min_id"]) - 117020593741189701
        statuses = _statuses(after + 1, 40 if after == 0 else 3)
        return reply_of(hashtag_answer(), body=statuses)

    server.on("GET", TAG_PATH, page)

    batch = reader(server, http).fetch({"min_id": "117020593741189701"})

    assert len(batch.posts) == 43
    assert batch.posts == sorted(batch.posts, key=lambda p: p.published_at)
    assert [r.query["min_id"] for r in server.requests(TAG_PATH)] == [
        "117020593741189701",
        "117020593741189741",
    ]
    assert batch.cursor == {"min_id": "117020593741189744"}


def test_near_the_end_of_the_instances_budget_the_source_waits_for_the_reset(
    server: Loopback, http: httpx.Client
) -> None:
    reset = (datetime.now(tz=UTC) + timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    answer = hashtag_answer()
    server.on(
        "GET",
        TAG_PATH,
        reply_of(answer, **{"x-ratelimit-remaining": "2", "x-ratelimit-reset": reset}),
    )

    batch = reader(server, http).fetch({})

    assert len(batch.posts) == 1
    assert batch.wait_seconds is not None and 540 < batch.wait_seconds <= 600


def test_a_429_is_rate_limited_until_the_instances_reset(
    server: Loopback, http: httpx.Client
) -> None:
    reset = (datetime.now(tz=UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    answer = hashtag_answer()
    server.on(
        "GET", TAG_PATH, Reply(429, {"error": "Too many requests"}, {"x-ratelimit-reset": reset})
    )

    with pytest.raises(RateLimited) as raised:
        reader(server, http).fetch({})

    assert 240 < raised.value.retry_after <= 300
    assert answer.status == 200  # the recorded answer itself was a success


def test_a_search_asks_for_statuses_and_reads_the_recorded_empty_answer(
    server: Loopback, http: httpx.Client
) -> None:
    searched = statuses_search_answer()
    server.on("GET", "/api/v2/search", reply_of(searched))

    batch = reader(server, http, terms="mastodonpy_test").fetch({"min_id": "117020593741189701"})

    assert batch.posts == []
    (asked,) = server.requests("/api/v2/search")
    assert asked.query["q"] == "mastodonpy_test" and asked.query["type"] == "statuses"
    assert asked.query["min_id"] == "117020593741189701"


def test_a_search_answer_with_statuses_is_heard(server: Loopback, http: httpx.Client) -> None:
    searched = statuses_search_answer()
    envelope = {**searched.json(), "statuses": json.loads(hashtag_answer().body)}
    server.on("GET", "/api/v2/search", reply_of(searched, body=envelope))

    (post,) = reader(server, http, terms="hoot").fetch({}).posts

    assert post.text == "#hoot (hashtag toot)"


def test_a_refused_token_asks_for_a_reconnection(server: Loopback, http: httpx.Client) -> None:
    server.on("GET", TAG_PATH, Reply(401, {"error": "The access token is invalid"}))

    with pytest.raises(AuthExpired):
        reader(server, http).fetch({})


def test_without_a_token_nothing_is_sent(server: Loopback, http: httpx.Client) -> None:
    source = MastodonSource(
        {"hashtag": "hoot"}, http=http, channel_settings={"base_url": server.root}
    )
    with pytest.raises(AuthExpired):
        source.fetch({})
    assert server.received == []


def test_a_source_needs_a_hashtag_or_words() -> None:
    with pytest.raises(Permanent):
        MastodonSource.check_settings({"hashtag": " # ", "terms": "  "})


def test_a_post_without_a_date_is_left_out_not_fatal(server: Loopback, http: httpx.Client) -> None:
    recorded_status = json.loads(hashtag_answer().body)[0]
    broken = {**recorded_status, "id": "117020593741189702", "created_at": None}
    server.on("GET", TAG_PATH, reply_of(hashtag_answer(), body=[broken, recorded_status]))

    batch = reader(server, http).fetch({})

    assert [p.text for p in batch.posts] == ["#hoot (hashtag toot)"]
    assert batch.cursor == {"min_id": "117020593741189702"}
