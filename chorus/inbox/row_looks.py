"""What each inbox row shows, worked out once per page in Python.

The inbox renders 50 rows; in the template every filter, ``{% if %}`` and translation of a row is
a node, ~700 of them a page, and rendering them was most of a page's CPU. Here the same words
and classes are computed in one pass, so the row template only prints them. The words are the
same as the template filters' (``chorus.inbox.templatetags.inbox``): one source for both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chorus.inbox.models import Conversation
from chorus.inbox.templatetags.inbox import (
    ago,
    at_handle,
    initials,
    intent_label,
    network_name,
    sentiment_label,
    sla_badge,
)

ROW_SENTINEL = 987654321


def dress(rows: list[Conversation]) -> None:
    """Sets on each row what its line in the list shows (``row.look``); the time is read once."""
    # Reversed once per page, not once per row.
    before, after = reverse("inbox:conversation", args=[ROW_SENTINEL]).split(str(ROW_SENTINEL))
    now = timezone.now()
    for row in rows:
        row.url = f"{before}{row.pk}{after}"  # type: ignore[attr-defined]
        row.look = _look(row, now)  # type: ignore[attr-defined]


def _look(row: Conversation, now: datetime) -> dict[str, Any]:
    author, assignee = row.author, row.assignee
    return {
        "classes": _classes(row),
        "initials": initials(author),
        "network": network_name(row.channel.network),
        "who": (author.display_name or author.handle) if author else _("Unknown"),
        "handle": at_handle(author.handle) if author and author.handle else "",
        "chips": _chips(row),
        "when": _when(row.last_message_at),
        "ago": ago(row.last_message_at),
        "sla": sla_badge(row),
        "assignee": initials(assignee) if assignee else "",
        "assigned_to": _("Assigned to %(name)s") % {"name": assignee} if assignee else "",
    }


def _classes(row: Conversation) -> str:
    classes = ["conv-row"]
    if row.status == "new":
        classes.append("unread")
    if row.priority >= 2:
        classes.append(f"prio-{row.priority}")
    return " ".join(classes)


def _chips(row: Conversation) -> list[tuple[str, str, str]]:
    """(class, words, label colour) of each chip, in the order the row shows them."""
    chips: list[tuple[str, str, str]] = []
    sentiment, intent = row.sentiment, getattr(row, "intent", "")
    if sentiment:
        chips.append((f"sent-{sentiment}", sentiment_label(sentiment), ""))
    if intent:
        chips.append(("intent", intent_label(intent), ""))
    chips.extend(("label", label.name, label.color) for label in row.labels.all())
    if row.priority >= 2:
        chips.append(("prio", str(row.get_priority_display()), ""))
    return chips


def _when(at: datetime | None) -> str:
    """The full date and time in the reader's zone, as the template's ``date`` filter gives it."""
    if at is None:
        return ""
    return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")
