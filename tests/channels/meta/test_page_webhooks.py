"""A Facebook Page's webhooks (``/webhooks/facebook/``): feed comments and replies with the ids
polling gives them, a visitor's post as a mention, Messenger messages, and the removals and
hides Meta reports marking what is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.channels.models import Channel
from chorus.inbox.models import Conversation, Message
from chorus.workspaces.models import Workspace
from tests.channels.meta import webhook_support as meta
from tests.inbox.ingest_support import make_channel

pytestmark = pytest.mark.django_db
URL = "/webhooks/facebook/"
POST = f"{meta.PAGE}_1014392062339237"
COMMENT = "1014392062339237_1014403722338071"
REPLY = "1014392062339237_1014404975671279"
READER = {"id": "3562418637152296", "name": "Camille Martin"}


@pytest.fixture(autouse=True)
def _meta_app(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_SECRET = meta.APP_SECRET


@pytest.fixture
def page(workspace_a: Workspace) -> Channel:
    return make_channel(workspace_a, "facebook", meta.PAGE, handle="Brand")


def deliver(client: Client, *entries: dict[str, object]) -> object:
    body = meta.delivery("page", *entries)
    return client.post(URL, body, content_type="application/json", **meta.signed(body))


def comment(verb: str = "add", comment_id: str = COMMENT, parent: str = POST, **more: object):  # type: ignore[no-untyped-def]
    return meta.page_feed(
        item="comment",
        verb=verb,
        post_id=POST,
        comment_id=comment_id,
        parent_id=parent,
        message="Où trouver la boutique ?",
        created_time=1764064800,
        **{"from": READER},
        **more,
    )


def test_a_comment_and_its_reply_are_stored_under_the_post(client: Client, page: Channel) -> None:
    answer = deliver(client, comment(), comment(comment_id=REPLY, parent=COMMENT))
    assert answer.status_code == 200  # type: ignore[attr-defined]
    first, reply = Message.objects.get(remote_id=COMMENT), Message.objects.get(remote_id=REPLY)
    assert first.conversation.remote_id == POST and first.in_reply_to == ""
    assert reply.conversation_id == first.conversation_id and reply.in_reply_to == COMMENT
    assert first.author.display_name == "Camille Martin"  # type: ignore[union-attr]
    assert first.text == "Où trouver la boutique ?"


def test_removed_hidden_and_shown_again_on_facebook(client: Client, page: Channel) -> None:
    deliver(client, comment(), comment(comment_id=REPLY, parent=COMMENT))
    deliver(client, comment(verb="hide", comment_id=REPLY))
    assert Message.objects.get(remote_id=REPLY).hidden
    deliver(client, comment(verb="unhide", comment_id=REPLY))
    assert not Message.objects.get(remote_id=REPLY).hidden
    deliver(client, comment(verb="remove", comment_id=REPLY))
    removed = Message.objects.get(remote_id=REPLY)
    assert removed.deleted and removed.text  # kept, marked: the team's history stays whole
    assert Conversation.objects.get(remote_id=POST).preview == ""  # its words left the preview
    assert Message.objects.count() == 2


def test_a_removal_alone_reaches_the_channel(client: Client, page: Channel) -> None:
    deliver(client, comment())
    answer = deliver(client, comment(verb="remove"))
    assert answer.json()["channels"] == 1  # type: ignore[attr-defined]
    assert Message.objects.get(remote_id=COMMENT).deleted


def test_a_visitors_post_is_a_mention_and_the_pages_own_post_is_not_news(
    client: Client, page: Channel
) -> None:
    visitor = meta.page_feed(
        item="status",
        verb="add",
        post_id=f"{meta.PAGE}_555",
        message="Bravo !",
        created_time=1764064800,
        **{"from": READER},
    )
    own = meta.page_feed(
        item="status",
        verb="add",
        post_id=f"{meta.PAGE}_556",
        message="Our news",
        created_time=1764064800,
        **{"from": {"id": meta.PAGE, "name": "Brand"}},
    )
    reaction = meta.page_feed(item="reaction", verb="add", post_id=POST, reaction_type="like")
    deliver(client, visitor, own, reaction)
    (mention,) = Message.objects.all()
    assert (mention.remote_id, mention.kind) == (f"{meta.PAGE}_555", "mention")


def test_messenger_messages_are_named_by_the_persons_psid(client: Client, page: Channel) -> None:
    theirs = meta.messaging(meta.PAGE, "PSID-7", meta.PAGE, mid="m_AbC", text="Bonjour")
    echo = meta.messaging(meta.PAGE, meta.PAGE, "PSID-7", mid="m_DeF", text="Hi", is_echo=True)
    deliver(client, theirs, echo)
    (stored,) = Message.objects.all()
    assert (stored.remote_id, stored.conversation.remote_id) == ("m_AbC", "dm:PSID-7")
    assert stored.kind == "direct" and stored.text == "Bonjour"


def test_a_page_delivery_at_the_instagram_address_is_refused(client: Client, page: Channel) -> None:
    body = meta.delivery("page", comment())
    answer = client.post(
        "/webhooks/instagram/", body, content_type="application/json", **meta.signed(body)
    )
    assert answer.status_code == 400 and not Message.objects.exists()
