"""A comment heard by webhook and then read by polling is stored once: both name it the same.

Polling is Instagram's real connector (``fetch_inbox``) against a Graph server on loopback that
hands out the recorded bodies; the webhook carries the ids of those same recorded objects.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from chorus.channels.models import Channel
from chorus.inbox.models import Message
from chorus.inbox.polling import poll_channel
from chorus.workspaces.models import Workspace
from tests.channels.meta import webhook_support as meta
from tests.channels.meta.recordings import recorded
from tests.inbox.ingest_support import make_channel
from tests.loopback import Loopback, Reply, serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings) -> Iterator[Loopback]:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_SECRET = meta.APP_SECRET
    with serving() as loopback:
        settings.CHORUS_META_GRAPH_URL = loopback.root
        version = f"/{settings.CHORUS_META_GRAPH_VERSION}"
        medias = recorded("instagram/apidata/users/medias_p1.json")
        loopback.on("GET", f"{version}/{meta.IG_USER}/media", Reply(200, medias))
        comments = recorded("instagram/apidata/medias/comments_p1.json")
        loopback.on("GET", f"{version}/{meta.IG_MEDIA}/comments", Reply(200, comments))
        tagged = recorded("instagram/apidata/users/tagged_medias.json")
        loopback.on("GET", f"{version}/{meta.IG_USER}/tags", Reply(200, tagged))
        yield loopback


@pytest.fixture
def instagram(workspace_a: Workspace) -> Channel:
    channel = make_channel(workspace_a, "instagram", meta.IG_USER, handle="brand", status="active")
    channel.credentials = {"access_token": "page-token", "page_id": meta.PAGE}
    channel.settings = {"ig_user_id": meta.IG_USER}
    channel.save()
    return channel


def test_webhook_then_polling_stores_the_comment_once(
    client: Client, graph: Loopback, instagram: Channel
) -> None:
    body = meta.delivery("instagram", meta.instagram_comment())
    answer = client.post(
        "/webhooks/instagram/", body, content_type="application/json", **meta.signed(body)
    )
    assert answer.status_code == 200
    assert Message.objects.filter(remote_id=meta.IG_COMMENT).count() == 1

    outcome = poll_channel(instagram)
    assert not outcome.error
    assert graph.requests(f"/v24.0/{meta.IG_MEDIA}/comments")  # polling really read it
    assert Message.objects.filter(remote_id=meta.IG_COMMENT).count() == 1
    other = Message.objects.get(remote_id="17874875428706419")  # only polling brought this one
    assert other.conversation_id == Message.objects.get(remote_id=meta.IG_COMMENT).conversation_id


def test_a_mention_named_by_ids_is_read_from_instagram_and_stored(
    client: Client, graph: Loopback, instagram: Channel
) -> None:
    """Meta's ``mentions`` delivery carries only ids, and no list gives them to poll: Chorus
    reads the mentioning comment (the recorded ``mentioned_comment`` body) and stores it."""
    mention = {"media_id": meta.IG_MEDIA, "comment_id": "17967008497439572"}
    entry = {
        "id": meta.IG_USER,
        "time": 1764064800,
        "changes": [{"field": "mentions", "value": mention}],
    }
    graph.on(
        "GET",
        f"/v24.0/{meta.IG_USER}",
        Reply(200, recorded("instagram/apidata/users/mentioned_comment.json")),
    )
    body = meta.delivery("instagram", entry)
    answer = client.post(
        "/webhooks/instagram/", body, content_type="application/json", **meta.signed(body)
    )
    assert answer.status_code == 200
    (asked,) = graph.requests(f"/v24.0/{meta.IG_USER}")
    assert "mentioned_comment.comment_id(17967008497439572)" in asked.query["fields"]
    stored = Message.objects.get(remote_id="17967008497439572")
    assert (stored.kind, stored.text) == ("mention", "@ikroskun good")
    assert stored.conversation.remote_id == meta.IG_MEDIA
