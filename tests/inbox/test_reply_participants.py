"""Answering from the inbox: the reply keeps the answered message's content warning, and in a
group direct conversation names every participant but ourselves (Mastodon shows a direct reply
only to the people it names).

The messages are recorded Mastodon statuses (../shared/fixtures/mastodon: test_conversations.yaml,
our account there is admin; test_status_post[Content warning-public].yaml) read by the real
connector and stored by ingest. The group message is the recorded one with the recorded mention
of mastodonpy_test (the cassette's other conversation) added, as no recording has three people.
"""

from __future__ import annotations

import copy

import pytest

from chorus.channels.networks.mastodon.inbox import status_to_item
from chorus.inbox import replies
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Conversation
from tests.channels.mastodon.mastodon_recordings import load_cassette
from tests.inbox import factories

ADMIN = "117020565693913441"
MASTODONPY_TEST = "117020565966271181"


@pytest.fixture
def ours(workspace_a):  # type: ignore[no-untyped-def]
    return factories.channel(workspace_a, remote_id=ADMIN, handle="admin")


def stored_conversation(channel, status, *, direct: bool) -> Conversation:  # type: ignore[no-untyped-def]
    item = status_to_item(status, direct=direct)
    ingest(channel, [item])
    return Conversation.objects.get(channel=channel, remote_id=item.conversation_id)


def group_direct_message() -> dict:
    conversations = load_cassette("test_conversations.yaml")[2].json()
    status = copy.deepcopy(conversations[0]["last_status"])  # mastodonpy_test_2 to @admin
    status["mentions"].append(conversations[1]["last_status"]["mentions"][0])
    return status


def test_a_group_direct_reply_names_every_participant_but_us(alice, ours) -> None:
    talk = stored_conversation(ours, group_direct_message(), direct=True)

    message = replies.reply(talk, "Thanks, both of you!", alice)

    target = message.reply_target
    assert target.text == "@mastodonpy_test_2 @mastodonpy_test Thanks, both of you!"
    assert target.options["visibility"] == "direct"


def test_a_public_reply_still_names_only_the_author(alice, workspace_a) -> None:
    # admin's public "@mastodonpy_test hello!", answered as mastodonpy_test.
    mention = load_cassette("test_notifications_mentions_only.yaml")[1].json()[0]["status"]
    mention = copy.deepcopy(mention)
    # Also addressed to mastodonpy_test_2 (the recorded mention of test_status_reply.yaml).
    mention["mentions"].append(load_cassette("test_status_reply.yaml")[2].json()["mentions"][0])
    channel = factories.channel(workspace_a, remote_id=MASTODONPY_TEST, handle="mastodonpy_test")
    talk = stored_conversation(channel, mention, direct=False)

    message = replies.reply(talk, "Hello!", alice)

    assert message.reply_target.text == "@admin Hello!"


def test_the_reply_keeps_the_content_warning(alice, ours) -> None:
    status = load_cassette("test_status_post[Content warning-public].yaml")[0].json()
    talk = stored_conversation(ours, status, direct=False)

    message = replies.reply(talk, "We hear you", alice)

    assert message.reply_target.options["content_warning"] == "Content warning"
    assert message.reply_target.text == "@mastodonpy_test We hear you"


def test_a_reply_to_a_message_without_warning_carries_none(alice, ours) -> None:
    talk = stored_conversation(ours, group_direct_message(), direct=True)

    message = replies.reply(talk, "ok", alice)

    assert "content_warning" not in message.reply_target.options


def test_the_warning_counts_towards_the_limit(alice, ours) -> None:
    status = load_cassette("test_status_post[Content warning-public].yaml")[0].json()
    talk = stored_conversation(ours, status, direct=False)
    room = 500 - len("Content warning") - len("@mastodonpy_test ")

    replies.reply(talk, "x" * room, alice)
    with pytest.raises(replies.InboxRuleBroken):
        replies.reply(talk, "x" * (room + 1), alice)
