"""Recorded Mastodon traffic, through the real connector and a poll, into conversations."""

from __future__ import annotations

import httpx

from chorus.core import http as chorus_http
from chorus.inbox.models import Author, ChannelInbox, Conversation, Direction, Message, Status
from chorus.inbox.polling import poll_channel
from tests.channels.mastodon.mastodon_recordings import BASE_URL, TOKEN, Answer, Recording
from tests.inbox.ingest_support import make_channel

MASTODONPY_TEST = "117020565966271181"  # the account the mentions were written to
ADMIN = "117020565693913441"  # the account verify_credentials answers with
TEST_2 = "117020566092212359"


def mentions_and_direct() -> Recording:
    recording = Recording.of("test_notifications_mentions_only.yaml", "test_conversations.yaml")
    recording.answers = [answer for answer in recording.answers if answer.method == "GET"]
    # Asked for anything newer right after, the server has nothing more to say.
    headers = recording.find("GET", "/api/v1/notifications").headers
    for path in ("/api/v1/notifications", "/api/v1/conversations"):
        recording.answers.append(Answer("GET", path, 200, headers, b"[]", repeat=True))
    return recording


def mastodon_channel(workspace, remote_id: str):  # type: ignore[no-untyped-def]
    return make_channel(
        workspace,
        network="mastodon",
        remote_id=remote_id,
        handle="",
        settings={"base_url": BASE_URL},
        encrypted_credentials="",
    )


def poll(channel, recording: Recording):  # type: ignore[no-untyped-def]
    channel.credentials = {"access_token": TOKEN}
    channel.save()
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))
    return poll_channel(channel, http=http)


def test_mentions_and_direct_messages_become_conversations(workspace_a) -> None:
    channel = mastodon_channel(workspace_a, MASTODONPY_TEST)

    outcome = poll(channel, mentions_and_direct())

    assert outcome.error == ""
    assert (outcome.result.new_messages, outcome.result.new_conversations) == (3, 3)
    mention = Message.objects.get(remote_id="117020577157693549")
    assert (mention.kind, mention.text) == ("mention", "@mastodonpy_test hello!")
    assert mention.conversation.remote_id == "117020577157693549"
    assert mention.sentiment and mention.language  # classified on the way in
    direct = Conversation.objects.get(remote_id="117020588315335369")
    assert direct.kind == "direct"
    assert direct.preview == "@mastodonpy_test pssssst!"
    assert direct.status == Status.NEW and direct.response_due_at is not None
    writer = Author.objects.get(workspace=workspace_a, network="mastodon", remote_id=TEST_2)
    assert (writer.handle, writer.message_count, writer.followers) == ("mastodonpy_test_2", 2, 0)
    assert writer.url == "http://localhost:3000/@mastodonpy_test_2"


def test_a_second_poll_stores_nothing_twice_and_asks_from_the_cursor(workspace_a) -> None:
    channel = mastodon_channel(workspace_a, MASTODONPY_TEST)
    poll(channel, mentions_and_direct())
    again = mentions_and_direct()  # the server answers the same posts again

    outcome = poll(channel, again)

    assert outcome.result.new_messages == 0
    assert outcome.result.duplicates == 3
    assert Message.objects.filter(channel=channel).count() == 3
    (mentions,) = again.requests("GET", "/api/v1/notifications")
    assert mentions.url.params["min_id"] == "21"
    state = ChannelInbox.objects.get(channel=channel)
    assert state.cursor == "direct=117020593780198542&mentions=21"
    assert state.backfilled_at is not None and state.last_error == ""


def test_what_our_own_account_wrote_is_stored_as_sent(workspace_a) -> None:
    # Seen as admin: admin's own mention of mastodonpy_test is one of our messages.
    channel = mastodon_channel(workspace_a, ADMIN)

    outcome = poll(channel, mentions_and_direct())

    assert (outcome.result.new_messages, outcome.result.outgoing) == (2, 1)
    ours = Message.objects.get(remote_id="117020577157693549")
    assert ours.direction == Direction.OUTGOING
    assert Conversation.objects.get(remote_id="117020577157693549").status == Status.PENDING
    assert not Author.objects.filter(remote_id=ADMIN).exists()
