"""Likes, reposts, quotes and replies from app.bsky.feed.getPosts (AppView), recorded shape."""

from __future__ import annotations

import copy

import httpx
import pytest
import respx

from chorus.channels.errors import Permanent

from .conftest import APPVIEW, appview_connection, recorded
from .lexicon import validate

POST_VIEW = recorded("thread_view_post_with_embed_media.json")["thread"]["post"]
GET_POSTS = f"{APPVIEW}/xrpc/app.bsky.feed.getPosts"


def test_the_recorded_post_view_reads_as_metrics(appview: respx.MockRouter) -> None:
    route = appview.get(GET_POSTS).mock(
        return_value=httpx.Response(200, json={"posts": [POST_VIEW]})
    )

    metrics = appview_connection().metrics(POST_VIEW["uri"])

    assert (metrics.likes, metrics.shares, metrics.replies, metrics.views) == (0, 0, 0, None)
    assert route.calls.last.request.url.params["uris"] == POST_VIEW["uri"]


def test_counts_map_to_likes_shares_and_replies(appview: respx.MockRouter) -> None:
    view = copy.deepcopy(POST_VIEW)
    view.update(likeCount=42, repostCount=7, quoteCount=3, replyCount=5, bookmarkCount=2)
    validate("app.bsky.feed.defs#postView", view)
    appview.get(GET_POSTS).mock(return_value=httpx.Response(200, json={"posts": [view]}))

    metrics = appview_connection().metrics(view["uri"])

    assert (metrics.likes, metrics.shares, metrics.replies) == (42, 10, 5)
    assert metrics.extra == {"reposts": 7, "quotes": 3, "bookmarks": 2}


def test_a_deleted_post_has_no_metrics(appview: respx.MockRouter) -> None:
    appview.get(GET_POSTS).mock(return_value=httpx.Response(200, json={"posts": []}))

    with pytest.raises(Permanent, match="no longer on Bluesky"):
        appview_connection().metrics(POST_VIEW["uri"])


def test_an_unreadable_answer_is_a_permanent_error(appview: respx.MockRouter) -> None:
    appview.get(GET_POSTS).mock(return_value=httpx.Response(200, json={"posts": "many"}))

    with pytest.raises(Permanent, match="could not read"):
        appview_connection().metrics(POST_VIEW["uri"])
