"""Bluesky's searchPosts, read with a connected account's session, over real HTTP on loopback.

The local PDS does not serve ``app.bsky.feed.searchPosts`` (the AppView does, and none runs
locally), so the answers are built to the lexicon in ``../shared/fixtures/bluesky/lexicons/``
(checked below against its required fields) around a real ``postView`` recorded from the live
network (``test_data/thread_view_post_with_embed_media.json``).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from chorus.channels.errors import AuthExpired, Permanent, RateLimited
from chorus.channels.models import Channel
from chorus.listening.models import ListeningSource
from chorus.listening.polling import poll_source
from chorus.listening.sources.bluesky import BlueskySource
from tests.loopback import Heard, Loopback, Reply

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "bluesky"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
SESSION = "/xrpc/com.atproto.server.createSession"
REFRESH = "/xrpc/com.atproto.server.refreshSession"


def lexicon(nsid: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "lexicons" / f"{nsid}.json").read_text())


def recorded_post_view() -> dict[str, Any]:
    body = json.loads(
        (FIXTURES / "test_data" / "thread_view_post_with_embed_media.json").read_text()
    )
    view: dict[str, Any] = body["thread"]["post"]
    return view


def post_view(n: int, text: str, at: datetime) -> dict[str, Any]:
    """The recorded post view, as the n-th post of a search (its own rkey, text and time)."""
    view = copy.deepcopy(recorded_post_view())
    view["uri"] = view["uri"].rsplit("/", 1)[0] + f"/3kchorus{n:05d}"
    view["record"]["text"] = text
    view["record"]["createdAt"] = at.isoformat().replace("+00:00", "Z")
    view["indexedAt"] = view["record"]["createdAt"]
    return view


def search_answer(views: list[dict[str, Any]], cursor: str = "") -> dict[str, Any]:
    answer: dict[str, Any] = {"posts": views}
    if cursor:
        answer["cursor"] = cursor
    _check_shape(answer)
    return answer


def _check_shape(answer: dict[str, Any]) -> None:
    """What the lexicon requires of searchPosts' output and of each postView in it."""
    output = lexicon("app.bsky.feed.searchPosts")["defs"]["main"]["output"]["schema"]
    post_view_def = lexicon("app.bsky.feed.defs")["defs"]["postView"]
    profile = lexicon("app.bsky.actor.defs")["defs"]["profileViewBasic"]
    assert set(output["required"]) <= set(answer)
    for view in answer["posts"]:
        assert set(post_view_def["required"]) <= set(view)
        assert set(profile["required"]) <= set(view["author"])


def session_reply(_heard: Heard) -> Reply:
    return Reply(
        body={
            "accessJwt": "access-1",
            "refreshJwt": "refresh-1",
            "did": "did:plc:listener",
            "handle": "listener.test",
        }
    )


def reader(server: Loopback, http: httpx.Client, **credentials: str) -> BlueskySource:
    return BlueskySource(
        {"terms": "chorus"},
        http=http,
        channel_credentials=credentials
        or {"identifier": "listener.test", "app_password": "app-pw"},
        channel_settings={"base_url": server.root},
    )


NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def test_a_search_signs_in_and_hears_posts_oldest_first(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("POST", SESSION, session_reply)
    views = [
        post_view(2, "Chorus is down again", NOW + timedelta(minutes=2)),
        post_view(1, "I like chorus", NOW),
    ]
    server.on("GET", SEARCH, Reply(body=search_answer(views)))
    source = reader(server, http)

    batch = source.fetch({})

    assert [p.text for p in batch.posts] == ["I like chorus", "Chorus is down again"]
    first = batch.posts[0]
    assert first.remote_id.endswith("/3kchorus00001") and first.network == "bluesky"
    assert first.url == "https://bsky.app/profile/test.marshal.dev/post/3kchorus00001"
    assert first.author_handle == "test.marshal.dev" and first.author_name == "Python SDK"
    assert first.published_at == NOW and first.language == "en"
    (asked,) = server.requests(SEARCH)
    assert asked.query == {"q": "chorus", "sort": "latest", "limit": "100"}
    assert asked.headers["authorization"] == "Bearer access-1"
    assert batch.cursor["since"] == "2026-12-06T12:02:00Z"
    assert source.rotated_credentials() is not None  # the new session is to be stored


def test_the_next_search_starts_at_since_and_leaves_out_what_was_heard(
    server: Loopback, http: httpx.Client
) -> None:
    heard_before = post_view(2, "Chorus is down again", NOW + timedelta(minutes=2))
    newer = post_view(3, "chorus is back", NOW + timedelta(minutes=5))
    server.on("GET", SEARCH, Reply(body=search_answer([newer, heard_before])))
    cursor = {"since": "2026-12-06T12:02:00Z", "seen": [heard_before["uri"]]}

    batch = reader(server, http, access_jwt="access-1", refresh_jwt="refresh-1").fetch(cursor)

    assert [p.text for p in batch.posts] == ["chorus is back"]
    assert server.requests(SEARCH)[0].query["since"] == "2026-12-06T12:02:00Z"
    assert set(batch.cursor["seen"]) == {heard_before["uri"], newer["uri"]}


def test_a_busy_search_follows_the_cursor(server: Loopback, http: httpx.Client) -> None:
    page_one = [
        post_view(n, f"chorus {n}", NOW + timedelta(seconds=n)) for n in range(200, 100, -1)
    ]
    page_two = [post_view(n, f"chorus {n}", NOW + timedelta(seconds=n)) for n in range(100, 95, -1)]
    server.on(
        "GET",
        SEARCH,
        Reply(body=search_answer(page_one, cursor="100")),
        Reply(body=search_answer(page_two)),
    )

    batch = reader(server, http, access_jwt="a", refresh_jwt="r").fetch({"since": NOW.isoformat()})

    assert len(batch.posts) == 105
    assert server.requests(SEARCH)[1].query["cursor"] == "100"


def test_an_expired_session_is_refreshed_once(server: Loopback, http: httpx.Client) -> None:
    expired = Reply(400, {"error": "ExpiredToken", "message": "Token has expired"})
    server.on("GET", SEARCH, expired, Reply(body=search_answer([])))
    server.on("POST", REFRESH, session_reply)
    source = reader(server, http, access_jwt="old", refresh_jwt="refresh-0")

    assert source.fetch({}).posts == []
    assert server.requests(SEARCH)[1].headers["authorization"] == "Bearer access-1"
    assert source.rotated_credentials() == {
        "access_jwt": "access-1",
        "refresh_jwt": "refresh-1",
        "did": "did:plc:listener",
        "handle": "listener.test",
    }


def test_a_dead_session_without_app_password_asks_for_a_reconnection(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("GET", SEARCH, Reply(401, {"error": "InvalidToken"}))
    server.on("POST", REFRESH, Reply(400, {"error": "ExpiredToken"}))

    with pytest.raises(AuthExpired):
        reader(server, http, access_jwt="old", refresh_jwt="refresh-0").fetch({})


def test_a_rate_limit_waits_for_blueskys_reset(server: Loopback, http: httpx.Client) -> None:
    reset = int((datetime.now(tz=UTC) + timedelta(minutes=3)).timestamp())
    server.on(
        "GET", SEARCH, Reply(429, {"error": "RateLimitExceeded"}, {"ratelimit-reset": str(reset)})
    )

    with pytest.raises(RateLimited) as raised:
        reader(server, http, access_jwt="a", refresh_jwt="r").fetch({})

    assert 150 < raised.value.retry_after <= 180


def test_a_search_needs_words() -> None:
    with pytest.raises(Permanent):
        BlueskySource.check_settings({"terms": " "})


def _bluesky_source(server: Loopback, workspace_a: Any) -> ListeningSource:
    channel = Channel(
        workspace=workspace_a,
        network="bluesky",
        name="listener.test",
        remote_id="did:plc:listener",
        settings={"base_url": server.root},
    )
    channel.credentials = {
        "identifier": "listener.test",
        "app_password": "app-pw",
        "access_jwt": "old",
        "refresh_jwt": "refresh-0",
    }
    channel.save()
    return ListeningSource.objects.create(
        workspace=workspace_a,
        kind="bluesky",
        name="Search",
        settings={"terms": "chorus"},
        channel=channel,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("search_after_refresh", [Reply(body=search_answer([])), Reply(502, b"")])
def test_tokens_renewed_during_a_read_are_kept_on_the_channel(
    server: Loopback, workspace_a: Any, search_after_refresh: Reply
) -> None:
    """Bluesky's refresh token works once: lost, the channel would have to sign in again."""
    server.on("GET", SEARCH, Reply(400, {"error": "ExpiredToken"}), search_after_refresh)
    server.on("POST", REFRESH, session_reply)
    source = _bluesky_source(server, workspace_a)

    poll_source(source)

    assert source.channel is not None
    source.channel.refresh_from_db()
    kept = source.channel.credentials
    assert kept["access_jwt"] == "access-1" and kept["refresh_jwt"] == "refresh-1"
    assert kept["app_password"] == "app-pw"
