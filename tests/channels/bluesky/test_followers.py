"""The account's followers from its profile view (app.bsky.actor.getProfile, AppView).

The recorded ``get_follows.json`` subject is the same account's profile view; getProfile's
``profileViewDetailed`` adds the counts, set here and checked against the lexicon."""

from __future__ import annotations

import httpx
import pytest
import respx

from chorus.channels.metrics import collect_metrics
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace

from .conftest import APPVIEW, appview_connection, recorded
from .lexicon import validate

GET_PROFILE = f"{APPVIEW}/xrpc/app.bsky.actor.getProfile"


def profile(**counts: int) -> dict[str, object]:
    view = dict(recorded("get_follows.json")["subject"])
    view.update(counts)
    validate("app.bsky.actor.defs#profileViewDetailed", view)
    return view


def test_followers_come_from_the_profile_view(appview: respx.MockRouter) -> None:
    route = appview.get(GET_PROFILE).mock(
        return_value=httpx.Response(200, json=profile(followersCount=321, followsCount=12))
    )

    connection = appview_connection()

    assert connection.audience() == {"followers": 321}
    assert route.calls.last.request.url.params["actor"] == "did:plc:kvwvcn5iqfooopmyzvb4qzba"


def test_a_view_without_the_count_gives_no_figure_rather_than_zero(
    appview: respx.MockRouter,
) -> None:
    appview.get(GET_PROFILE).mock(return_value=httpx.Response(200, json=profile()))

    assert appview_connection().audience() == {}


@pytest.mark.django_db
def test_collect_metrics_reads_followers_and_post_counts(appview: respx.MockRouter) -> None:
    # (This folder's alice and bob are accounts on the PDS: the workspace is made here.)
    workspace = Workspace.objects.create(name="Sky brand", slug="sky-brand")
    post = dict(recorded("thread_view_post_with_embed_media.json")["thread"]["post"])
    post.update(likeCount=9, repostCount=4, quoteCount=2, replyCount=3, bookmarkCount=1)
    appview.get(GET_PROFILE).mock(return_value=httpx.Response(200, json=profile(followersCount=80)))
    appview.get(f"{APPVIEW}/xrpc/app.bsky.feed.getPosts").mock(
        return_value=httpx.Response(200, json={"posts": [post]})
    )
    channel = Channel(workspace=workspace, network="bluesky", name="B", remote_id="did:x")
    channel.credentials = appview_connection().credentials
    channel.save()

    reading = collect_metrics(channel, [post["uri"]])

    assert reading.account == {"followers": 80}
    assert reading.posts[post["uri"]] == {
        "likes": 9, "shares": 6, "replies": 3, "reposts": 4, "quotes": 2, "bookmarks": 1,
    }  # fmt: skip
