"""Inbox verbs: reply, assign, set_status, set_priority, add_label, remove_label, add_note,
correct, render_saved_reply, settle_replies, link_authors, author_history.

Moderation (hide, delete, ban) lives in :mod:`.services_moderation`, the list's filters and
counts in :mod:`.listing`. Every verb takes the workspace's own objects and checks that what it
is given belongs to the same workspace (invariant 2); the person acting is checked with
``Permission.ANSWER`` here, not only in views, so the API and rules get the same rules.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability
from chorus.channels.models import ChannelStatus
from chorus.channels.registry import get_network
from chorus.inbox.models import (
    Author,
    Conversation,
    Direction,
    Kind,
    Label,
    Message,
    Note,
    Person,
    Priority,
    SavedReply,
    Status,
)
from chorus.publishing.models import Post, PostKind, PostTarget, State
from chorus.workspaces.models import Membership, Workspace
from chorus.workspaces.permissions import Permission, can

log = logging.getLogger(__name__)

PENDING_PREFIX = "pending:"  # remote id of a reply until the network gives it its own


class InboxRuleBroken(Exception):
    """A request that breaks an inbox rule; the message is for the person who asked."""


def membership_of(user: User | None, workspace: Workspace) -> Membership | None:
    if user is None:
        return None
    return Membership.objects.filter(workspace=workspace, user=user).first()


def must_answer(workspace: Workspace, by: User | None) -> None:
    if not can(membership_of(by, workspace), Permission.ANSWER):
        raise InboxRuleBroken(_("You cannot answer or moderate in this workspace."))


def _same_workspace(conversation: Conversation, *things: Any) -> None:
    for thing in things:
        if thing is not None and thing.workspace_id != conversation.workspace_id:
            raise InboxRuleBroken(_("This does not belong to this workspace."))


# -- answering ---------------------------------------------------------------------------------


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
    if conversation.channel.network == "mastodon" and conversation.kind == Kind.DIRECT:
        options["visibility"] = "direct"  # never answer a private message in public
    return options


def reply_text(conversation: Conversation, text: str, answered: Message | None) -> str:
    """Mastodon only shows a reply to the people it mentions: start with the author's handle."""
    author = answered.author if answered else conversation.author
    if conversation.channel.network == "mastodon" and author and author.handle:
        from chorus.channels.networks.mastodon.posting import addressed_to

        return addressed_to(author.handle, text)
    return text


def _check_can_reply(conversation: Conversation, text: str) -> None:
    network = get_network(conversation.channel.network)
    if not network.can(Capability.REPLY):
        raise InboxRuleBroken(
            _("%(network)s does not let Chorus answer.") % {"network": network.label}
        )
    if conversation.channel.status != ChannelStatus.ACTIVE:
        raise InboxRuleBroken(_("This channel needs reconnecting before you can answer from it."))
    if network.count_text(text) > network.limits.max_chars:
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
) -> Message:
    """Answer the conversation through the dispatcher (at most once, like any post).

    The answer is stored at once as an outgoing message whose remote id is a placeholder
    (``pending:<target id>``) until the dispatcher reports the network's id (:func:`settle_reply`).
    A conversation a rule sent to legal or PR waits for someone's approval before anything goes.
    """
    if not automatic:
        must_answer(conversation.workspace, by)
    _same_workspace(conversation, saved_reply)
    if not text.strip():
        raise InboxRuleBroken(_("Write something to send."))
    answered = latest_incoming(conversation)
    text = reply_text(conversation, text.strip(), answered)
    _check_can_reply(conversation, text)
    message = _store_reply(conversation, text, by, answered)
    return settle_reply(message)


@transaction.atomic
def _store_reply(
    conversation: Conversation, text: str, by: User | None, answered: Message | None
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
        options=reply_options(conversation, answered),
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
    from chorus.publishing import services as publishing

    target = message.reply_target
    if target is None or target.state != State.AWAITING_APPROVAL:
        raise InboxRuleBroken(_("This reply is not waiting for approval."))
    try:
        publishing.approve(target.post, by)
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


# -- triage ------------------------------------------------------------------------------------


def assign(conversation: Conversation, user: User | None, by: User | None) -> Conversation:
    """Give the conversation to a member (None: nobody); they are told in the app and by mail."""
    if by is not None:
        must_answer(conversation.workspace, by)
    if user is not None and membership_of(user, conversation.workspace) is None:
        raise InboxRuleBroken(_("Only a member of this workspace can take a conversation."))
    Conversation.objects.filter(pk=conversation.pk).update(assignee=user)
    conversation.assignee = user
    forget_counts(conversation.workspace_id)
    if user is not None and user != by:
        _tell_assignee(conversation, user, by)
    return conversation


def _tell_assignee(conversation: Conversation, user: User, by: User | None) -> None:
    from chorus.workspaces.services import notify

    who = str(conversation.author) if conversation.author else _("someone")
    giver = str(by) if by else _("A rule")

    def message() -> str:
        return _("%(by)s gave you a conversation with %(author)s: “%(preview)s”") % {
            "by": giver,
            "author": who,
            "preview": conversation.preview[:80],
        }

    notify(
        conversation.workspace,
        [user],
        message,
        link=f"/inbox/{conversation.pk}/",
        # No network text in the subject: it is a mail header.
        email_subject=lambda: _("A conversation was assigned to you in Chorus"),
    )


def set_status(conversation: Conversation, status: str, by: User | None) -> Conversation:
    if by is not None:
        must_answer(conversation.workspace, by)
    if status not in Status.values:
        raise InboxRuleBroken(_("Unknown status."))
    fields: dict[str, Any] = {"status": status}
    if status == Status.RESOLVED:
        fields["response_due_at"] = None  # nothing is owed on a closed conversation
    Conversation.objects.filter(pk=conversation.pk).update(**fields)
    for name, value in fields.items():
        setattr(conversation, name, value)
    forget_counts(conversation.workspace_id)
    return conversation


def set_priority(conversation: Conversation, priority: int, by: User | None) -> Conversation:
    if by is not None:
        must_answer(conversation.workspace, by)
    if priority not in Priority.values:
        raise InboxRuleBroken(_("Unknown priority."))
    Conversation.objects.filter(pk=conversation.pk).update(priority=priority)
    conversation.priority = priority
    return conversation


LABEL_NAME = re.compile(r"^[^\x00-\x1f<>]{1,60}$")


def label_named(workspace: Workspace, name: str) -> Label:
    """The workspace's label of that name, made on first use (grey until someone colours it)."""
    name = " ".join(name.split())
    if not LABEL_NAME.match(name):
        raise InboxRuleBroken(_("A label name has 1 to 60 characters, without < or >."))
    label, _created = Label.objects.get_or_create(workspace=workspace, name=name)
    return label


def add_label(conversation: Conversation, label: Label, by: User | None) -> None:
    if by is not None:
        must_answer(conversation.workspace, by)
    _same_workspace(conversation, label)
    conversation.labels.add(label)
    forget_counts(conversation.workspace_id)


def remove_label(conversation: Conversation, label: Label, by: User | None) -> None:
    if by is not None:
        must_answer(conversation.workspace, by)
    _same_workspace(conversation, label)
    conversation.labels.remove(label)
    forget_counts(conversation.workspace_id)


def add_note(conversation: Conversation, text: str, by: User) -> Note:
    """An internal note: the team sees it, the network never does."""
    must_answer(conversation.workspace, by)
    if not text.strip():
        raise InboxRuleBroken(_("Write something in the note."))
    return Note.objects.create(
        workspace_id=conversation.workspace_id,
        conversation=conversation,
        author=by,
        text=text.strip(),
    )


CORRECTABLE = {
    "sentiment": ("negative", "neutral", "positive"),
    "intent": ("question", "complaint", "praise", "purchase_intent", "other"),
}


def correct(message: Message, field_name: str, value: str, by: User) -> Message:
    """A person fixes what the classifier said; the workspace's model learns from it."""
    from chorus.inbox.learning import record_correction

    must_answer(message.conversation.workspace, by)
    if value not in CORRECTABLE.get(field_name, ()):
        raise InboxRuleBroken(_("Unknown value."))
    record_correction(message, field_name, value, by)
    message.refresh_from_db()
    return message


# -- saved replies -----------------------------------------------------------------------------

VARIABLE = re.compile(r"\{([^{}\s]{1,40})\}")


@dataclass
class RenderedReply:
    text: str
    unknown: list[str] = field(default_factory=list)  # variables left as typed, to fix by hand


def reply_variables(conversation: Conversation, agent: User) -> dict[str, str]:
    author = conversation.author
    name = (author.display_name or author.handle) if author else ""
    return {
        "first_name": (name.split() or [""])[0].lstrip("@"),
        "name": name,
        "handle": f"@{author.handle.lstrip('@')}" if author and author.handle else "",
        "agent_name": agent.first_name_for_greeting,
        "brand": conversation.workspace.name,
    }


def render_saved_reply(saved: SavedReply, conversation: Conversation, agent: User) -> RenderedReply:
    """Fill ``{first_name}``-style variables by plain substitution.

    Never ``str.format``: a saved reply is typed by people and ``{x.__class__}`` would reach
    into Python objects. Unknown variables stay visible and are reported.
    """
    _same_workspace(conversation, saved)
    values = reply_variables(conversation, agent)
    unknown: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if name not in unknown:
            unknown.append(name)
        return match.group(0)

    return RenderedReply(VARIABLE.sub(fill, saved.text), unknown)


def unknown_variables(text: str) -> list[str]:
    known = {"first_name", "name", "handle", "agent_name", "brand"}
    return sorted({name for name in VARIABLE.findall(text) if name not in known})


# -- people ------------------------------------------------------------------------------------


@transaction.atomic
def link_authors(authors: list[Author], name: str, by: User) -> Person:
    """One person behind several accounts: their history is read across all of them."""
    if len(authors) < 1:
        raise InboxRuleBroken(_("Choose at least one account."))
    workspace_ids = {a.workspace_id for a in authors}
    if len(workspace_ids) != 1:
        raise InboxRuleBroken(_("These accounts do not belong to the same workspace."))
    workspace = Workspace.objects.get(pk=workspace_ids.pop())
    must_answer(workspace, by)
    person = next((a.person for a in authors if a.person_id), None)
    if person is None:
        person = Person.objects.create(workspace=workspace, name=name or str(authors[0]))
    Author.objects.filter(pk__in=[a.pk for a in authors], workspace=workspace).update(person=person)
    return person


def accounts_of(author: Author) -> QuerySet[Author]:
    if author.person_id:
        return Author.objects.filter(workspace_id=author.workspace_id, person_id=author.person_id)
    return Author.objects.filter(pk=author.pk)


def author_history(author: Author, limit: int = 20) -> list[Conversation]:
    """Every conversation the person had with the brand, from any of their accounts."""
    return list(
        Conversation.objects.filter(
            workspace_id=author.workspace_id, author__in=accounts_of(author)
        )
        .select_related("channel")
        .order_by("-last_message_at")[:limit]
    )


def forget_counts(workspace_id: int) -> None:
    from chorus.inbox.listing import forget_counts as forget

    forget(workspace_id)
