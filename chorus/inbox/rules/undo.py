"""Undoing what a moderation rule did, only where it is still what the rule left.

Every undo is a conditional write (the label is still there, the priority is still the one the
rule set…), so a person's later change is never overwritten; :func:`undo_refusal` says in words
why something cannot be undone. Deletions, notifications and automatic replies cannot be.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.accounts.models import User
from chorus.channels.capabilities import CanUnhide, offers
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.inbox import background
from chorus.inbox.models import Conversation, Message, RuleAction
from chorus.inbox.rules.actions import CONVERSATION_FIELD, UNDOABLE, ActionType

# -- undoing ---------------------------------------------------------------------------------

FIELD_WORDS = {
    "assignee_id": gettext_lazy("the assignee"),
    "priority": gettext_lazy("the priority"),
    "status": gettext_lazy("the status"),
    "reply_needs_approval": gettext_lazy("the approval requirement"),
}


def offers_undo(action: RuleAction) -> bool:
    """Whether the log shows an undo button (the real check happens when it is pressed)."""
    return action.undone_at is None and action.action in UNDOABLE


def undo_refusal(action: RuleAction) -> str:
    """Why this action cannot be undone now, in words; empty when it can."""
    if action.undone_at is not None:
        return str(_("This action was already undone."))
    if action.action not in UNDOABLE:
        return str(NOT_UNDOABLE.get(action.action, _("This action cannot be undone.")))
    detail = action.detail
    if action.action == ActionType.LABEL:
        through = Conversation.labels.through.objects
        if not through.filter(
            conversation_id=action.conversation_id, label_id=detail.get("label")
        ).exists():
            return str(_("The label was removed since; nothing to undo."))
    elif action.action in CONVERSATION_FIELD:
        name = detail.get("field", "")
        if not Conversation.objects.filter(
            pk=action.conversation_id, **{name: detail.get("after")}
        ).exists():
            return str(
                _("Someone changed %(what)s since; it was left as it is.")
                % {"what": FIELD_WORDS.get(name, name)}
            )
    elif action.action == ActionType.HIDE:
        return _hide_refusal(action)
    return ""


NOT_UNDOABLE: dict[str, Any] = {
    ActionType.DELETE: gettext_lazy("A deletion on the network cannot be undone."),
    ActionType.NOTIFY: gettext_lazy("A notification cannot be taken back."),
    ActionType.AUTO_REPLY: gettext_lazy(
        "An automatic reply cannot be taken back here; delete it on the network if needed."
    ),
}


def _hide_refusal(action: RuleAction) -> str:
    state = action.detail.get("state")
    if state in ("refused", "failed"):
        return str(_("The message was never hidden; nothing to undo."))
    if state == "done" and not can_unhide(action):
        return str(_("This network cannot show a hidden message again."))
    return ""


def can_unhide(action: RuleAction) -> bool:
    """True when the network of the action's channel can show a hidden message again."""
    if action.message_id is None:
        return False
    message = Message.objects.filter(pk=action.message_id).select_related("channel").first()
    if message is None:
        return False
    try:
        network = get_network(message.channel.network)
    except (UnknownNetwork, ImportError):
        return False
    return offers(network, CanUnhide)


def undo(action: RuleAction, by: User) -> bool:
    """Put things back as they were before the rule acted; False (and nothing changed) if it
    cannot — :func:`undo_refusal` says why."""
    if undo_refusal(action):
        return False
    with transaction.atomic():
        now = timezone.now()
        claimed = RuleAction.objects.filter(pk=action.pk, undone_at=None).update(
            undone_at=now, undone_by=by
        )
        if not claimed or not _reverse(action):
            transaction.set_rollback(True)
            return False
    action.undone_at, action.undone_by = now, by
    return True


def _reverse(action: RuleAction) -> bool:
    """Conditional writes: each undoes only if the value is still the one the rule set."""
    detail = action.detail
    if action.action == ActionType.LABEL:
        deleted, _n = Conversation.labels.through.objects.filter(
            conversation_id=action.conversation_id, label_id=detail.get("label")
        ).delete()
        return bool(deleted)
    if action.action in CONVERSATION_FIELD:
        name = detail["field"]
        return bool(
            Conversation.objects.filter(pk=action.conversation_id, workspace_id=action.workspace_id)
            .filter(**{name: detail.get("after")})
            .update(**{name: detail.get("before")})
        )
    if action.action == ActionType.HIDE:
        if detail.get("state") == "done":
            background.moderate_after_commit(action.pk, "unhide")
        return True  # still queued: the task sees undone_at and does nothing
    return False
