"""An answer written in the inbox (a reply post) goes out hanging on the message it answers."""

from __future__ import annotations

from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, Post, PostKind, PostTarget, State


def _reply(channel, author, text: str, options: dict) -> PostTarget:  # type: ignore[no-untyped-def]
    post = Post.objects.create(
        kind=PostKind.REPLY, workspace=channel.workspace, author=author, text=text
    )
    PostTarget.objects.create(
        workspace=channel.workspace, post=post, channel=channel, text=text, options=options
    )
    (target,) = services.schedule_post(post, timezone.now())
    return target


def test_reply_is_published_in_reply_to_the_message(alice, channel_a, standin) -> None:
    question, _new = standin.store.create("7", "Is the shop open on Sunday?", "")
    target = _reply(channel_a, alice, "@user7 Yes, from 10 to 18.", {"reply_to": question.id})

    assert publish_target(target.pk) == Outcome.PUBLISHED

    (answer,) = [s for s in standin.store.statuses if s.account_id == "1"]
    assert answer.reply_to == question.id
    assert answer.text == "@user7 Yes, from 10 to 18."
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.remote_id == answer.id


def test_reply_keeps_the_privacy_of_a_direct_message(alice, channel_a, standin) -> None:
    question, _new = standin.store.create("7", "My order number is 123", "")
    target = _reply(
        channel_a,
        alice,
        "@user7 Thanks, we are looking.",
        {"reply_to": question.id, "visibility": "direct"},
    )
    seen: list[dict] = []
    original = standin.RequestHandlerClass.body

    def spy(handler):  # type: ignore[no-untyped-def]
        body = original(handler)
        seen.append(body)
        return body

    standin.RequestHandlerClass.body = spy  # type: ignore[method-assign]
    try:
        assert publish_target(target.pk) == Outcome.PUBLISHED
    finally:
        standin.RequestHandlerClass.body = original  # type: ignore[method-assign]

    (sent,) = seen
    assert sent["in_reply_to_id"] == question.id
    assert sent["visibility"] == "direct"
    assert "reply_to" not in sent  # Chorus's own option is not sent as a field
