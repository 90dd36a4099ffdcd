"""What each inbox row shows, and its line of HTML, made once per page in Python.

The inbox renders 50 rows. As a template, every variable, ``{% if %}``, loop and translation of
a row was a node, some 30 a row (1,500 a page), and rendering them was most of the CPU of making
the page. Here each row of :func:`chorus.inbox.listing.page` (dicts, no model instances) gets
its words worked out in one pass and its line made by one ``format_html`` (:data:`ROW`), which
escapes every value: names, handles and previews from networks are text, never markup
(invariant 3). The fixed words are translated once per language and process, not once per row;
they are the same as the template filters' (``chorus.inbox.templatetags.inbox``): one source.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chorus.inbox.models import Kind, Priority, Status
from chorus.inbox.previews import DELETED, HIDDEN, words_for
from chorus.inbox.templatetags.inbox import (
    INTENT_WORDS,
    SENTIMENT_WORDS,
    at_handle,
    due_badge,
    initials,
    network_name,
    short_ago,
)

ROW_SENTINEL = 987654321

# One line of the list, as the template wrote it. Every value is escaped by format_html; the
# optional parts (the pick box, the handle, the chips…) come made the same way (_parts below).
ROW = """
<li class="{classes}" data-row data-href="{url}">
  {pick}
  <span class="avatar-wrap" aria-hidden="true">
    <span class="avatar">{initials}</span>
    <span class="net net-{network}" title="{network_name}"></span>
  </span>
  <a class="conv-main" href="{url}">
    <span class="conv-top">
      <strong class="who">{who}</strong>
      {handle}
      {kind}
    </span>
    {preview}
    <span class="chips">{chips}</span>
  </a>
  <span class="conv-side">
    <span class="time" title="{when}">{ago}</span>
    {sla}
    {assignee}
  </span>
</li>
"""
PICK = (
    '<label class="pick"><input type="checkbox" name="ids" value="{}" form="bulk-form"'
    ' aria-label="{}"></label>'
)
HANDLE = '<span class="handle">{}</span>'
PREVIEW = '<span class="preview">{}</span>'
PREVIEW_GONE = '<span class="preview gone"><em>{}</em></span>'
CHIP = '<span class="chip {}"{}>{}</span>'
LABEL_COLOUR = ' data-label-color="{}"'
SLA = '<span class="sla {}">{}</span>'
ASSIGNEE = '<span class="assignee" title="{}">{}</span>'


@dataclass(frozen=True)
class RowWords:
    """The fixed words of a row in one language."""

    unknown: str
    private: SafeString  # the whole mark of a private conversation
    select: str
    assigned_to: str
    sentiments: dict[str, str]
    intents: dict[str, str]
    priorities: dict[int, str]


@functools.lru_cache(maxsize=16)
def row_words(language: str | None) -> RowWords:
    """Translated once per process and language (the catalogues do not change while it runs)."""
    return RowWords(
        unknown=_("Unknown"),
        private=format_html('<span class="kind">{}</span>', _("Private")),
        select=_("Select"),
        assigned_to=_("Assigned to %(name)s"),
        sentiments={key: str(word) for key, word in SENTIMENT_WORDS.items()},
        intents={key: str(word) for key, word in INTENT_WORDS.items()},
        priorities={value: str(label) for value, label in Priority.choices},
    )


@dataclass(frozen=True)
class Reading:
    """What every row of one page is read with: the time, the reader's language and zone, and
    whether the reader may pick rows for the bulk actions."""

    now: datetime
    language: str | None
    zone: tzinfo
    words: RowWords
    can_pick: bool


def dress(rows: list[dict[str, Any]], can_pick: bool) -> None:
    """Adds to each row its ``url`` and ``html``, its line in the list; the time is read once."""
    # Reversed once per page, not once per row.
    before, after = reverse("inbox:conversation", args=[ROW_SENTINEL]).split(str(ROW_SENTINEL))
    language = get_language()
    zone = timezone.get_current_timezone()
    reading = Reading(timezone.now(), language, zone, row_words(language), can_pick)
    for row in rows:
        row["url"] = f"{before}{row['pk']}{after}"
        row["html"] = _line(row, reading)


def _line(row: dict[str, Any], reading: Reading) -> SafeString:
    words, last = reading.words, row["last_message_at"]
    who, handle, face = _author(row, words)
    return format_html(
        ROW,
        classes=_classes(row["status"], row["priority"]),
        url=row["url"],
        pick=format_html(PICK, row["pk"], words.select) if reading.can_pick else "",
        initials=face,
        network=row["network"],
        network_name=network_name(row["network"]),
        who=who,
        handle=format_html(HANDLE, handle) if handle else "",
        kind=words.private if row["kind"] == Kind.DIRECT else "",
        preview=_preview(row["preview_state"], row["preview"]),
        chips=format_html_join("", CHIP, _chips(row, words)),
        when=_when(last, reading.zone, reading.language),
        ago=short_ago(last, reading.now, reading.language),
        sla=_sla(row, reading),
        assignee=_assignee(row, words),
    )


def _author(row: dict[str, Any], words: RowWords) -> tuple[str, str, str]:
    """(who, @handle, initials) of the author as ``Author`` says them: the name, else the handle;
    the initials fall back on the network's id of the account, as ``str(author)`` does."""
    if row["author_id"] is None:
        return words.unknown, "", initials(None)
    who, handle = row["display_name"] or row["handle"], row["handle"]
    return who, at_handle(handle) if handle else "", initials(who or row["author_remote_id"])


def _classes(status: str, priority: int) -> str:
    classes = "conv-row unread" if status == Status.NEW else "conv-row"
    return f"{classes} prio-{priority}" if priority >= 2 else classes


def _preview(state: str, text: str) -> SafeString:
    """The preview, or that its message was deleted or hidden on the network."""
    gone = state in (DELETED, HIDDEN)
    return format_html(PREVIEW_GONE if gone else PREVIEW, words_for(state, text))


def _chips(row: dict[str, Any], words: RowWords) -> list[tuple[str, str, str]]:
    """(class, colour attribute, words) of each chip, in the order the row shows them."""
    chips: list[tuple[str, str, str]] = []
    sentiment, intent, priority = row["sentiment"], row["intent"], row["priority"]
    if sentiment:
        chips.append((f"sent-{sentiment}", "", words.sentiments.get(sentiment, sentiment)))
    if intent:
        chips.append(("intent", "", words.intents.get(intent, intent)))
    for name, color in row["labels"]:
        chips.append(("label", format_html(LABEL_COLOUR, color) if color else "", name))
    if priority >= 2:
        chips.append(("prio", "", words.priorities.get(priority, str(priority))))
    return chips


def _sla(row: dict[str, Any], reading: Reading) -> SafeString | str:
    sla = due_badge(row["response_due_at"], row["status"], reading.now, reading.language)
    return format_html(SLA, sla["level"], sla["text"]) if sla["text"] else ""


def _assignee(row: dict[str, Any], words: RowWords) -> SafeString | str:
    if row["assignee_id"] is None:
        return ""
    name = row["assignee_full_name"] or row["assignee_email"]  # as str(user) says it
    return format_html(ASSIGNEE, words.assigned_to % {"name": name}, initials(name))


@functools.lru_cache(maxsize=4096)
def _when(at: datetime | None, zone: tzinfo, language: str | None) -> str:
    """The full date and time in the reader's zone, as the template's ``date`` filter gives it.
    Remembered: after a write the next page shows mostly the same rows, so the same times."""
    if at is None:
        return ""
    return formats.date_format(timezone.localtime(at, zone), "DATETIME_FORMAT")
