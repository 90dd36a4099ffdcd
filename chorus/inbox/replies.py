"""Answering a conversation: the reply goes out through the publishing dispatcher (at most
once, like any post), waits for approval when a rule sent the conversation to legal or PR, and
takes the network's own id once published so polling recognises it.

Verbs: reply, approve_reply, settle_reply, settle_replies.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability
from chorus.channels.models import ChannelStatus
from chorus.channels.registry import get_network
from chorus.inbox.models import Conversation, Direction, Kind, Message, SavedReply, Status
from chorus.inbox.services import InboxRuleBroken, must_answer, must_share_workspace, set_status
from chorus.publishing.models import Post, PostKind, PostTarget, State

log = logging.getLogger(__name__)

PENDING_PREFIX = "pending:"  # remote id of a reply until the network gives it its own


def latest_incoming(conversation: Conversation) -> Message | None:
    return (
        conversation.messages.filter(direction=Direction.INCOMING, deleted=False)
        .order_by("-created_at", "-pk")
        .first()
    )


def reply_options(conversation: Conversation, answered: Message | None) -> dict[str, Any]:
    """How the dispatcher hangs the reply on the thread (see the dispatcher's ``reply_to``).

    The answered message's own id is right on every network we know: Matrix keeps the thread
    itself from it, Mastodon wants ``in_reply_to_id``, Bluesky finds the root from the parent.
    """
    reply_to = answered.remote_id if answered else conversation.remote_id
    options: dict[str, Any] = {"reply_to": reply_to}
    if conversation.channel.network != "mastodon":
        return options
    if conversation.kind == Kind.DIRECT:
        options["visibility"] = "direct"  # never answer a private message in public
    # What the author hid behind a warning, the answer (which often quotes it) hides too.
    if warning := _content_warning(answered):
        options["content_warning"] = warning
    return options


def _content_warning(answered: Message | None) -> str:
    """The warning the answered message was posted behind (Mastodon's ``spoiler_text``, the
    only network whose items carry one)."""
    return str(answered.extras_value("content_warning") or "") if answered else ""


def reply_text(conversation: Conversation, text: str, answered: Message | None) -> str:
    """Mastodon only shows a reply to the people it mentions: start with the author's handle,
    and in a direct conversation with everyone else's the message was addressed to."""
    author = answered.author if answered else conversation.author
    if conversation.channel.network != "mastodon" or not author or not author.handle:
        return text
    from chorus.channels.networks.mastodon.posting import addressed_to_all, participants

    others: list[str] = []
    if conversation.kind == Kind.DIRECT and answered is not None:
        others = [str(h) for h in answered.extras_value("addressed_to") or []]
    own = conversation.channel.handle
    return addressed_to_all(participants(author.handle, others, own), text)


def _check_can_reply(conversation: Conversation, text: str, warning: str = "") -> None:
    network = get_network(conversation.channel.network)
    if not network.can(Capability.REPLY):
        raise InboxRuleBroken(
            _("%(network)s does not let Chorus answer.") % {"network": network.label}
        )
    if conversation.channel.status != ChannelStatus.ACTIVE:
        raise InboxRuleBroken(_("This channel needs reconnecting before you can answer from it."))
    # The content warning counts with the text (Mastodon's StatusLengthValidator).
    used = network.count_text(text) + (network.count_text(warning) if warning else 0)
    if used > network.limits.max_chars:
        raise InboxRuleBroken(
            _("Too long for %(network)s: %(max)d characters at most.")
            % {"network": network.label, "max": network.limits.max_chars}
        )


def reply(
    conversation: Conversation,
    text: str,
    by: User | None,
    *,
    automatic: bool = False,
    saved_reply: SavedReply | None = None,
    answering: Message | None = None,
    privately: bool = False,
) -> Message:
    """Answer the conversation through the dispatcher (at most once, like any post).

    The answer is stored at once as an outgoing message whose remote id is a placeholder
    (``pending:<target id>``) until the dispatcher reports the network's id (:func:`settle_reply`).
    A conversation a rule sent to legal or PR waits for someone's approval before anything goes.
    ``answering`` names the message answered when it is not the latest (a contest's winner among
    a post's many comments); ``privately`` sends it where only the people named see it, on
    networks that have a visibility (Mastodon's "direct").
    """
    if not automatic:
        must_answer(conversation.workspace, by)
    must_share_workspace(conversation, saved_reply)
    if not text.strip():
        raise InboxRuleBroken(_("Write something to send."))
    if answering is not None and answering.conversation_id != conversation.pk:
        raise InboxRuleBroken(_("That message is not in this conversation."))
    answered = answering or latest_incoming(conversation)
    text = reply_text(conversation, text.strip(), answered)
    _check_can_reply(conversation, text, _content_warning(answered))
    if privately and not get_network(conversation.channel.network).can(Capability.VISIBILITY):
        raise InboxRuleBroken(_("This network has no private answers."))
    message = _store_reply(conversation, text, by, answered, privately=privately)
    return settle_reply(message)


@transaction.atomic
def _store_reply(
    conversation: Conversation,
    text: str,
    by: User | None,
    answered: Message | None,
    *,
    privately: bool = False,
) -> Message:
    from chorus.publishing import services as publishing

    now = timezone.now()
    post = Post.objects.create(
        kind=PostKind.REPLY,
        workspace_id=conversation.workspace_id,
        author=by,
        text=text,
        needs_approval=conversation.reply_needs_approval,
    )
    target = PostTarget.objects.create(
        workspace_id=conversation.workspace_id,
        post=post,
        channel_id=conversation.channel_id,
        text=text,
        options=reply_options(conversation, answered)
        | ({"visibility": "direct"} if privately else {}),
    )
    message = Message.objects.create(
        workspace_id=conversation.workspace_id,
        conversation=conversation,
        channel_id=conversation.channel_id,
        remote_id=f"{PENDING_PREFIX}{target.pk}",
        direction=Direction.OUTGOING,
        kind=Kind.REPLY,
        sent_by=by,
        text=text,
        in_reply_to=answered.remote_id if answered else "",
        created_at=now,
        received_at=now,
        reply_target=target,
    )
    publishing.schedule_post(post, now)  # awaiting approval if the post needs it
    _mark_answered(conversation, now, sent=not post.needs_approval)
    return message


def _mark_answered(conversation: Conversation, at: datetime, *, sent: bool) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        message_count=F("message_count") + 1, last_message_at=at
    )
    conversation.message_count += 1
    conversation.last_message_at = at
    if sent:
        note_reply_sent(conversation, at)
    set_status(conversation, Status.PENDING, None)


def note_reply_sent(conversation: Conversation, at: datetime) -> None:
    """The SLA clock stops at the first answer really sent (``sla`` owns the rule)."""
    from chorus.inbox import sla

    sla.note_reply_sent(conversation, at)


@transaction.atomic
def approve_reply(message: Message, by: User) -> Message:
    """Legal or PR said yes: the reply goes out now and the SLA clock stops."""
    from chorus.publishing import approvals
    from chorus.publishing import services as publishing

    target = message.reply_target
    if target is None or target.state != State.AWAITING_APPROVAL:
        raise InboxRuleBroken(_("This reply is not waiting for approval."))
    try:
        approvals.approve(target.post, by)
    except publishing.PublishingRuleBroken as broken:
        raise InboxRuleBroken(str(broken)) from broken
    note_reply_sent(message.conversation, timezone.now())
    return message


def settle_reply(message: Message) -> Message:
    """Give a published reply the network's id, so polling finds it already stored.

    If polling stored our reply first (as an outgoing message with the real id), that copy is
    dropped and ours, which knows who wrote it and its publishing target, takes the id.
    """
    target = message.reply_target
    if not message.remote_id.startswith(PENDING_PREFIX) or target is None:
        return message
    target.refresh_from_db(fields=["state", "remote_id", "remote_url"])
    if target.state != State.PUBLISHED or not target.remote_id:
        return message
    with transaction.atomic():
        twin = Message.objects.filter(channel_id=message.channel_id, remote_id=target.remote_id)
        twin.exclude(pk=message.pk).delete()
        try:
            Message.objects.filter(pk=message.pk).update(
                remote_id=target.remote_id, url=target.remote_url
            )
        except IntegrityError:  # a poll raced us between the two lines: next settle wins
            log.info("reply %s: remote id taken concurrently", message.pk)
            return message
    message.remote_id, message.url = target.remote_id, target.remote_url
    return message


def settle_replies(scope: Conversation | Any) -> int:
    """Settle every published reply of a conversation or of a channel; returns how many."""
    pending = Message.objects.filter(
        direction=Direction.OUTGOING,
        remote_id__startswith=PENDING_PREFIX,
        reply_target__state=State.PUBLISHED,
    ).select_related("reply_target")
    if isinstance(scope, Conversation):
        pending = pending.filter(conversation=scope)
    else:
        pending = pending.filter(channel=scope)
    return sum(1 for m in pending if not settle_reply(m).remote_id.startswith(PENDING_PREFIX))
