"""Bluesky replies and mentions (recorded AppView bodies) through a poll into conversations.

The local PDS cannot serve notifications (that is the AppView's job), so the notifications are
the connector tests' builders over recorded records and profiles, checked against the lexicon.
"""

from __future__ import annotations

import respx

from chorus.channels.models import Channel
from chorus.inbox.models import Author, ChannelInbox, Conversation, Message
from chorus.inbox.polling import poll_channel
from tests.channels.bluesky.conftest import appview  # noqa: F401 - the respx fixture
from tests.channels.bluesky.test_inbox import (
    NOTIFICATIONS,
    OUR_POST,
    like,
    mention,
    page,
    reply_to_our_post,
)

OUR_DID = "did:plc:kvwvcn5iqfooopmyzvb4qzba"


def bluesky_channel(workspace) -> Channel:  # type: ignore[no-untyped-def]
    channel = Channel(
        workspace=workspace,
        network="bluesky",
        name="Brand",
        remote_id=OUR_DID,
        handle="test.marshal.dev",
    )
    channel.credentials = {
        "identifier": "test.marshal.dev",
        "app_password": "xxxx-xxxx-xxxx-xxxx",
        "access_jwt": "access-1",
        "refresh_jwt": "refresh-1",
        "did": OUR_DID,
        "handle": "test.marshal.dev",
    }
    channel.save()
    return channel


def test_replies_to_our_post_and_mentions_become_conversations(
    workspace_a,
    appview: respx.MockRouter,  # noqa: F811
) -> None:
    appview.get(NOTIFICATIONS).mock(
        return_value=page(
            reply_to_our_post("2024-02-22T20:00:00.000Z"),
            mention("2024-02-22T19:00:00.000Z"),
            like("2024-02-22T18:00:00.000Z"),
        )
    )
    channel = bluesky_channel(workspace_a)

    outcome = poll_channel(channel)

    assert outcome.error == ""
    assert (outcome.result.new_messages, outcome.result.new_conversations) == (2, 2)
    thread = Conversation.objects.get(channel=channel, remote_id=OUR_POST["uri"])
    (reply,) = thread.messages.all()
    assert (reply.kind, reply.text, reply.in_reply_to) == ("reply", "new text114", OUR_POST["uri"])
    assert reply.url == "https://bsky.app/profile/why.bsky.team/post/3k2yihcrp6f2c"
    author = Author.objects.get(workspace=workspace_a, network="bluesky")
    assert (author.handle, author.display_name, author.message_count) == (
        "why.bsky.team",
        "Why",
        2,
    )
    assert ChannelInbox.objects.get(channel=channel).cursor == "2024-02-22T20:00:00.000Z"


def test_the_next_poll_adds_only_the_new_reply_to_the_same_thread(
    workspace_a,
    appview: respx.MockRouter,  # noqa: F811
) -> None:
    seen = reply_to_our_post("2024-02-22T20:00:00.000Z")
    newer = reply_to_our_post("2024-02-22T21:00:00.000Z", uri=OUR_POST["uri"] + "x")
    on_the_network = [seen]  # newest first, as the AppView lists them
    appview.get(NOTIFICATIONS).mock(side_effect=lambda request: page(*on_the_network))
    channel = bluesky_channel(workspace_a)

    poll_channel(channel)
    on_the_network.insert(0, newer)
    second = poll_channel(channel)

    assert second.result.new_messages == 1
    thread = Conversation.objects.get(channel=channel, remote_id=OUR_POST["uri"])
    assert thread.message_count == 2
    assert Message.objects.filter(channel=channel).count() == 2
