"""Reddit with the operator's approved OAuth client, replaying PRAW's recorded traffic on loopback.

``../shared/fixtures/reddit/TestSubreddit.test_search.json``: the application-only token request
and a search of r/all, as Reddit answered them. Bodies and headers are served over real HTTP.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chorus.channels.errors import Permanent
from chorus.listening.sources.reddit import RedditSource
from chorus.listening.sources.reddit import token as reddit_token
from chorus.listening.sources.registry import available_sources
from tests.loopback import Loopback, Reply

FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "reddit"
TOKEN_PATH = "/api/v1/access_token"
SEARCH_PATH = "/r/all/search"


def recorded(n: int) -> Reply:
    cassette = json.loads((FIXTURES / "TestSubreddit.test_search.json").read_text())
    response = cassette["interactions"][n]["response"]
    headers = {
        k.lower(): ", ".join(v)
        for k, v in response["headers"].items()
        if k.lower() not in {"transfer-encoding", "content-length", "content-encoding"}
    }
    return Reply(response["status"]["code"], response["body"]["string"], headers)


def children() -> list[dict[str, Any]]:
    body = json.loads(str(recorded(1).body))
    return list(body["data"]["children"])


@pytest.fixture(autouse=True)
def _operator_client(server: Loopback, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.CHORUS_REDDIT_CLIENT_ID = "operator-app"
    settings.CHORUS_REDDIT_CLIENT_SECRET = "operator-secret"
    settings.CHORUS_REDDIT_USER_AGENT = "chorus:listening:v1 (by /u/operator)"
    settings.CHORUS_REDDIT_TOKEN_URL = server.root + TOKEN_PATH
    settings.CHORUS_REDDIT_API = server.root
    reddit_token.forget_token()
    yield
    reddit_token.forget_token()


def reader(http: httpx.Client) -> RedditSource:
    return RedditSource({"terms": "praw oauth search", "subreddit": "r/all"}, http=http)


def test_a_search_is_read_with_an_app_only_token(server: Loopback, http: httpx.Client) -> None:
    server.on("POST", TOKEN_PATH, recorded(0))
    server.on("GET", SEARCH_PATH, recorded(1))

    batch = reader(http).fetch({})

    assert len(batch.posts) == len(children()) == 6
    assert batch.posts == sorted(batch.posts, key=lambda p: p.published_at)
    oldest = batch.posts[0]
    assert oldest.remote_id == "t3_1qvzkd" and oldest.title == "Praw, opening a user page."
    assert oldest.url.startswith("https://www.reddit.com/r/redditdev/comments/1qvzkd/")
    assert oldest.extras["subreddit"] == "redditdev" and oldest.text
    (token_request,) = server.requests(TOKEN_PATH)
    expected = base64.b64encode(b"operator-app:operator-secret").decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"
    assert token_request.body == b"grant_type=client_credentials"
    (search,) = server.requests(SEARCH_PATH)
    assert search.headers["authorization"] == "bearer <ACCESS_TOKEN>"
    assert search.headers["user-agent"] == "chorus:listening:v1 (by /u/operator)"
    assert search.query["sort"] == "new" and search.query["restrict_sr"] == "true"
    assert batch.cursor["before"] == children()[0]["data"]["name"]


def test_the_next_poll_asks_for_what_came_before_and_reuses_the_token(
    server: Loopback, http: httpx.Client
) -> None:
    server.on("POST", TOKEN_PATH, recorded(0))
    server.on("GET", SEARCH_PATH, recorded(1))
    source = reader(http)

    first = source.fetch({})
    again = source.fetch(first.cursor)

    assert again.posts == []  # the same listing again: everything in it was heard
    assert server.requests(SEARCH_PATH)[1].query["before"] == first.cursor["before"]
    assert len(server.requests(TOKEN_PATH)) == 1


def test_a_refused_token_is_asked_for_once_more(server: Loopback, http: httpx.Client) -> None:
    server.on("POST", TOKEN_PATH, recorded(0))
    server.on(
        "GET", SEARCH_PATH, Reply(401, {"message": "Unauthorized", "error": 401}), recorded(1)
    )
    reddit_token._tokens[reddit_token.client_id()] = ("stale", float("inf"))  # an hour went by
    source = reader(http)

    batch = source.fetch({})

    assert len(batch.posts) == 6
    assert len(server.requests(TOKEN_PATH)) == 1
    assert [r.headers["authorization"] for r in server.requests(SEARCH_PATH)] == [
        "bearer stale",
        "bearer <ACCESS_TOKEN>",
    ]


def test_a_refused_client_is_the_operators_to_fix(server: Loopback, http: httpx.Client) -> None:
    server.on("POST", TOKEN_PATH, Reply(401, {"message": "Unauthorized", "error": 401}))

    with pytest.raises(Permanent, match="CHORUS_REDDIT_CLIENT_ID"):
        reader(http).fetch({})


def test_reddit_is_offered_only_with_the_operators_client(settings) -> None:  # type: ignore[no-untyped-def]
    assert RedditSource in available_sources()
    settings.CHORUS_REDDIT_CLIENT_SECRET = ""
    assert RedditSource not in available_sources()


def test_a_subreddit_alone_reads_its_newest_posts(server: Loopback, http: httpx.Client) -> None:
    server.on("POST", TOKEN_PATH, recorded(0))
    server.on("GET", "/r/redditdev/new", recorded(1))

    RedditSource({"subreddit": "redditdev"}, http=http).fetch({})

    assert server.requests("/r/redditdev/new")[0].query["limit"] == "100"


@pytest.mark.parametrize("settings_given", [{}, {"subreddit": "not a name!"}])
def test_unusable_settings_are_refused(settings_given: dict[str, str]) -> None:
    with pytest.raises(Permanent):
        RedditSource.check_settings(settings_given)
