"""The inbox as CSV: one row per conversation, or one per message; safe for spreadsheets.

Times are written in the workspace's time zone (invariant 6) from the zone itself, not from the
request's active zone: the rows are produced while the response streams, after the workspace
middleware has already put the default zone back. Cells a spreadsheet would run as a formula are
defused (invariant 3), and a message deleted or hidden on the network says so instead of its words.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chorus.channels.registry import UnknownNetwork, get_network
from chorus.core.spreadsheet import safe_cell
from chorus.inbox.models import Conversation, Direction, Message
from chorus.inbox.previews import message_words, preview_words, with_preview_state

EXPORT_LIMIT = 50_000


def network_label(key: str) -> str:
    try:
        return get_network(key).label
    except UnknownNetwork:
        return key


def conversation_link(conversation_id: int) -> str:
    return f"{settings.CHORUS_BASE_URL}/inbox/{conversation_id}/"


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat()


def conversation_rows(found: QuerySet[Conversation], zone: ZoneInfo) -> Iterator[list[str]]:
    """A header, then one row per conversation (its latest incoming words)."""
    yield [
        _("Date"), _("Network"), _("Author"), _("Handle"), _("Status"), _("Priority"),
        _("Sentiment"), _("Assignee"), _("Labels"), _("Message"), _("Link"),
    ]  # fmt: skip
    query = with_preview_state(found.select_related("author", "assignee", "channel"))
    for conversation in query.prefetch_related("labels")[:EXPORT_LIMIT].iterator(chunk_size=1000):
        author = conversation.author
        cells = [
            _when(conversation.last_message_at, zone),
            network_label(conversation.channel.network),
            author.display_name if author else "",
            author.handle if author else "",
            conversation.get_status_display(),
            conversation.get_priority_display(),
            conversation.sentiment,
            conversation.assignee or "",
            ", ".join(label.name for label in conversation.labels.all()),
            preview_words(conversation),
            conversation_link(conversation.pk),
        ]
        yield [safe_cell(cell) for cell in cells]


def message_rows(found: QuerySet[Conversation], zone: ZoneInfo) -> Iterator[list[str]]:
    """A header, then one row per message of the conversations found, a conversation's
    messages together and in order, newest conversation first."""
    yield [
        _("Date"), _("Network"), _("Author"), _("Handle"), _("Direction"), _("Status"),
        _("Priority"), _("Sentiment"), _("Assignee"), _("Labels"), _("Message"), _("Link"),
    ]  # fmt: skip
    messages = (
        Message.objects.filter(conversation_id__in=found.order_by().values("pk"))
        .select_related("author", "sent_by", "channel", "conversation__assignee")
        .prefetch_related("conversation__labels")
        .order_by("-conversation__last_message_at", "conversation_id", "created_at", "pk")
    )
    for message in messages[:EXPORT_LIMIT].iterator(chunk_size=1000):
        yield [safe_cell(cell) for cell in _message_cells(message, zone)]


def _message_cells(message: Message, zone: ZoneInfo) -> list[Any]:
    conversation, author = message.conversation, message.author
    outgoing = message.direction == Direction.OUTGOING
    return [
        _when(message.created_at, zone),
        network_label(message.channel.network),
        (message.sent_by or "") if outgoing else (author.display_name if author else ""),
        "" if outgoing or not author else author.handle,
        message.get_direction_display(),
        conversation.get_status_display(),
        conversation.get_priority_display(),
        message.sentiment,
        conversation.assignee or "",
        ", ".join(label.name for label in conversation.labels.all()),
        message_words(message),
        conversation_link(conversation.pk),
    ]
