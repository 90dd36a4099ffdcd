"""Inbox verbs for sorting conversations: assign, set_status, set_priority, label_named,
add_label, remove_label, add_note, correct; and the checks every inbox verb shares.

Answering is in :mod:`.replies`, saved replies in :mod:`.saved_replies`, the people behind
accounts in :mod:`.people`, moderation (hide, delete, ban) in :mod:`.services_moderation`, the
list's filters and counts in :mod:`.listing`. Every verb takes the workspace's own objects and
checks that what it is given belongs to the same workspace (invariant 2); the person acting is
checked with ``Permission.ANSWER`` here, not only in views, so the API and rules get the same
rules.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.inbox.learning import record_correction
from chorus.inbox.models import Conversation, Label, Message, Note, Priority, Status
from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can, membership_of


class InboxRuleBroken(Exception):
    """A request that breaks an inbox rule; the message is for the person who asked."""


def must_answer(workspace: Workspace, by: User | None) -> None:
    if not can(membership_of(by, workspace), Permission.ANSWER):
        raise InboxRuleBroken(_("You cannot answer or moderate in this workspace."))


def must_share_workspace(conversation: Conversation, *things: Any) -> None:
    for thing in things:
        if thing is not None and thing.workspace_id != conversation.workspace_id:
            raise InboxRuleBroken(_("This does not belong to this workspace."))


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
    forget_counts(conversation.workspace_id)  # an open list shows the new priority at its next poll
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
    must_share_workspace(conversation, label)
    conversation.labels.add(label)
    forget_counts(conversation.workspace_id)


def remove_label(conversation: Conversation, label: Label, by: User | None) -> None:
    if by is not None:
        must_answer(conversation.workspace, by)
    must_share_workspace(conversation, label)
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
    must_answer(message.conversation.workspace, by)
    if value not in CORRECTABLE.get(field_name, ()):
        raise InboxRuleBroken(_("Unknown value."))
    record_correction(message, field_name, value, by)
    message.refresh_from_db()
    # The conversation's sentiment and intent counts (and open lists) follow the correction.
    forget_counts(message.conversation.workspace_id)
    return message


def forget_counts(workspace_id: int) -> None:
    from chorus.inbox.listing import forget_counts as forget

    forget(workspace_id)


def answered_post(conversation: Conversation) -> PostTarget | None:
    """Our published post this conversation answers: networks name a thread of answers after the
    post it hangs from (a Matrix event id, a Mastodon status id)."""
    return (
        PostTarget.objects.filter(
            workspace_id=conversation.workspace_id,
            channel_id=conversation.channel_id,
            remote_id=conversation.remote_id,
        )
        .exclude(remote_id="")
        .first()
    )
