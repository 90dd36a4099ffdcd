"""What a conversation's preview may show once its latest message was deleted or hidden.

``Conversation.preview`` is the latest incoming text, copied at ingest so lists never join the
messages. A message deleted on the network must not live on there (the inbox list, Today, search
results and the CSV export all read it), and a hidden one must say it is hidden. So deleting
clears the copied text, and the places that show a preview annotate the state of the latest
incoming message (one indexed look-up per row, like the row's intent) and say it in words.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _

from chorus.inbox.models import Conversation, Direction, Message

DELETED, HIDDEN = "deleted", "hidden"


def latest_incoming_state() -> Subquery:
    """ "deleted", "hidden" or "" for the conversation's latest incoming message."""
    state = Case(
        When(deleted=True, then=Value(DELETED)),
        When(hidden=True, then=Value(HIDDEN)),
        default=Value(""),
        output_field=CharField(),
    )
    latest = (
        Message.objects.filter(conversation=OuterRef("pk"), direction=Direction.INCOMING)
        .order_by("-created_at")
        .annotate(state=state)
        .values("state")[:1]
    )
    return Subquery(latest, output_field=CharField())


def with_preview_state(found: QuerySet[Conversation]) -> QuerySet[Conversation]:
    return found.annotate(preview_state=latest_incoming_state())


def preview_words(conversation: Any) -> str:
    """The preview as a person may read it (plain text: for CSV, Today, notifications)."""
    return words_for(getattr(conversation, "preview_state", "") or "", conversation.preview)


def message_words(message: Message) -> str:
    """A message's words as a person may read them outside its conversation page."""
    state = DELETED if message.deleted else HIDDEN if message.hidden else ""
    return words_for(state, message.text)


def words_for(state: str, text: str) -> str:
    if state == DELETED:
        return _("Deleted on the network.")
    if state == HIDDEN:
        return _("Hidden on the network: %(text)s") % {"text": text}
    return str(text)


def forget_deleted_text(message: Message) -> None:
    """The message is gone from the network: if its words are the preview, they go too."""
    latest = (
        Message.objects.filter(
            conversation_id=message.conversation_id, direction=Direction.INCOMING
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    if latest == message.pk:
        Conversation.objects.filter(pk=message.conversation_id).update(preview="")
