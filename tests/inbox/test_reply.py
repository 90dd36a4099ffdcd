"""Answering a conversation goes through the dispatcher as a reply post, at most once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.inbox import replies, services
from chorus.inbox.models import Conversation, Direction, Kind, Message, Status
from chorus.publishing.models import PostKind, State
from chorus.workspaces.models import Membership, Role
from tests.inbox import factories


@pytest.fixture
def talk(channel_a: Channel) -> Conversation:
    fan = factories.author(channel_a.workspace, handle="lou@piaille.fr", display_name="Lou")
    return factories.conversation(channel_a, "Do you deliver to Lyon?", by=fan)


def send(talk: Conversation, text: str, by, capture) -> Message:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        message = replies.reply(talk, text, by)
    replies.settle_replies(talk)
    message.refresh_from_db()
    return message


def test_reply_is_a_reply_post_answering_the_latest_message(
    alice, talk, django_capture_on_commit_callbacks
) -> None:
    latest = factories.message(talk, "Hello?", remote_id="109")
    message = send(talk, "Yes, every Tuesday!", alice, django_capture_on_commit_callbacks)

    target = message.reply_target
    assert target is not None
    assert target.post.kind == PostKind.REPLY
    assert target.post.author == alice
    assert target.channel_id == talk.channel_id
    assert target.options["reply_to"] == latest.remote_id
    # Mastodon shows a reply only to the people it mentions.
    assert target.text == "@lou@piaille.fr Yes, every Tuesday!"


def test_reply_is_published_and_stored_as_outgoing_with_the_network_id(
    alice, talk, standin, django_capture_on_commit_callbacks
) -> None:
    message = send(talk, "On our way", alice, django_capture_on_commit_callbacks)

    assert message.direction == Direction.OUTGOING
    assert message.kind == Kind.REPLY
    assert message.sent_by == alice
    assert message.reply_target.state == State.PUBLISHED
    assert message.remote_id == message.reply_target.remote_id
    assert standin.store.stats()["statuses"] == 1
    talk.refresh_from_db()
    assert talk.status == Status.PENDING
    assert talk.message_count == 2


def test_first_reply_stops_the_sla_clock(alice, talk, django_capture_on_commit_callbacks) -> None:
    talk.response_due_at = timezone.now()
    talk.save()
    send(talk, "Looking into it", alice, django_capture_on_commit_callbacks)
    talk.refresh_from_db()
    first = talk.first_response_at
    assert first is not None
    assert talk.response_due_at is None

    send(talk, "Found it", alice, django_capture_on_commit_callbacks)
    talk.refresh_from_db()
    assert talk.first_response_at == first


def test_a_reply_needing_approval_waits_until_someone_approves_it(
    alice, bob, talk, standin, django_capture_on_commit_callbacks
) -> None:
    talk.reply_needs_approval = True
    talk.save()
    message = send(talk, "We are sorry", alice, django_capture_on_commit_callbacks)

    assert message.reply_target.state == State.AWAITING_APPROVAL
    assert message.remote_id.startswith("pending:")
    assert standin.store.stats()["statuses"] == 0
    talk.refresh_from_db()
    assert talk.first_response_at is None

    with pytest.raises(services.InboxRuleBroken):
        replies.approve_reply(message, alice)  # nobody approves their own words
    with django_capture_on_commit_callbacks(execute=True):
        replies.approve_reply(message, bob)
    replies.settle_replies(talk)
    message.refresh_from_db()
    assert message.reply_target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1
    talk.refresh_from_db()
    assert talk.first_response_at is not None


def test_a_poll_that_stored_our_reply_first_leaves_one_message(
    alice, talk, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = replies.reply(talk, "Once only", alice)
    target = message.reply_target
    target.refresh_from_db()
    # Polling ran before we settled: it stored our reply under the network's id.
    factories.message(talk, target.text, direction=Direction.OUTGOING, remote_id=target.remote_id)

    replies.settle_replies(talk.channel)

    outgoing = Message.objects.filter(conversation=talk, direction=Direction.OUTGOING)
    (kept,) = outgoing
    assert kept.pk == message.pk
    assert kept.remote_id == target.remote_id
    assert kept.sent_by == alice


def test_people_who_cannot_answer_are_refused(
    bob, talk, django_capture_on_commit_callbacks
) -> None:
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    with pytest.raises(services.InboxRuleBroken):
        replies.reply(talk, "Hi", bob)
    assert not Message.objects.filter(direction=Direction.OUTGOING).exists()


def test_an_empty_or_too_long_reply_is_refused(alice, talk) -> None:
    with pytest.raises(services.InboxRuleBroken):
        replies.reply(talk, "   ", alice)
    with pytest.raises(services.InboxRuleBroken, match="500"):
        replies.reply(talk, "x" * 600, alice)
    assert not Message.objects.filter(direction=Direction.OUTGOING).exists()


def test_a_direct_message_is_answered_privately(alice, channel_a) -> None:
    talk = factories.conversation(channel_a, "my order number is 123", kind=Kind.DIRECT)
    message = replies.reply(talk, "Thanks, checking", alice)
    assert message.reply_target.options["visibility"] == "direct"


def test_a_disconnected_channel_cannot_answer(alice, talk, channel_a) -> None:
    channels.disconnect(channel_a)
    talk.channel.refresh_from_db()
    with pytest.raises(services.InboxRuleBroken, match="reconnecting"):
        replies.reply(talk, "Hello", alice)
