"""Small display helpers of the inbox pages: short times, SLA badges, initials, networks."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from chorus.channels.registry import UnknownNetwork, get_network
from chorus.inbox.models import Conversation, Status
from chorus.inbox.previews import preview_words
from chorus.inbox.sidebar import NAV_CAP, sidebar_counts

register = template.Library()
SOON = timedelta(hours=2)


def waiting_count(workspace: Any) -> int:
    """New conversations nobody opened, for the sidebar: one capped COUNT on the status index."""
    if workspace is None:
        return 0
    found = Conversation.objects.filter(workspace=workspace, status=Status.NEW).order_by()
    return found[: NAV_CAP + 1].count()


@register.simple_tag(takes_context=True)
def inbox_waiting(context: Any) -> int:
    """Counted once per page, though the sidebar and its poller both show it."""
    request = context.get("request")
    if request is None:
        return waiting_count(context.get("workspace"))
    if not hasattr(request, "inbox_waiting"):
        workspace = getattr(request, "workspace", None)
        if workspace is None:
            request.inbox_waiting = 0
        else:
            # The bell's number comes in the same query; its context processor reads it here.
            counted = sidebar_counts(workspace.pk, request.user.pk)
            request.inbox_waiting, request.unread_notifications_count = counted
    return int(request.inbox_waiting)


@functools.lru_cache(maxsize=16)
def time_words(language: str | None) -> dict[str, str]:
    """The short times' words in one language, translated once per process: every row of the
    inbox says two of them, and a look-up in the catalogue costs more than the rest of it."""
    return {
        "now": _("now"),
        "min": _("%(n)d min"),
        "h": _("%(n)d h"),
        "overdue": _("Overdue %(span)s"),
        "due": _("Due in %(span)s"),
    }


@functools.lru_cache(maxsize=512)
def _days(language: str | None, days: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _span(delta: timedelta, language: str | None) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return time_words(language)["min"] % {"n": max(1, minutes)}
    if minutes < 48 * 60:
        return time_words(language)["h"] % {"n": minutes // 60}
    return _days(language, minutes // (24 * 60))


def short_ago(when: datetime | None, now: datetime, language: str | None) -> str:
    """ "5 min", "3 h", "2 days": short enough for a row."""
    if when is None:
        return ""
    delta = now - when
    if delta < timedelta(minutes=1):
        return time_words(language)["now"]
    return _span(delta, language)


@register.filter
def ago(when: datetime | None) -> str:
    return short_ago(when, timezone.now(), get_language())


def due_badge(
    due: datetime | None, status: str, now: datetime, language: str | None
) -> dict[str, str]:
    """{"level": "bad"|"warn"|"", "text": …} for a conversation still owed an answer."""
    if due is None or status == Status.RESOLVED:
        return {"level": "", "text": ""}
    left = due - now
    if left <= timedelta(0):
        overdue = time_words(language)["overdue"]
        return {"level": "bad", "text": overdue % {"span": _span(-left, language)}}
    level = "warn" if left <= SOON else "calm"
    return {"level": level, "text": time_words(language)["due"] % {"span": _span(left, language)}}


@register.simple_tag
def sla_badge(conversation: Any) -> dict[str, str]:
    status, due = conversation.status, conversation.response_due_at
    return due_badge(due, status, timezone.now(), get_language())


@register.filter
def initials(person: Any) -> str:
    words = str(person or "?").replace("@", " ").split()
    return "".join(word[0] for word in words[:2]).upper() or "?"


@register.filter
def network_name(key: str) -> str:
    try:
        return get_network(key).label
    except UnknownNetwork:
        return key


@register.filter(name="preview_words")
def preview_words_filter(conversation: Any) -> str:
    """The preview, or that its message was deleted or hidden on the network."""
    return preview_words(conversation)


@register.simple_tag
def reply_counting(key: str) -> dict[str, Any]:
    """How the reply box counts for the network (inbox.js), as ``count_text`` does on the server:
    links at a fixed weight, what a person sees as one character, a Mastodon mention by its
    username only. The server's count decides; this keeps the box from disagreeing with it."""
    try:
        network = get_network(key)
    except UnknownNetwork:
        return {}
    return {
        "url_weight": network.limits.url_weight or "",
        "mode": network.limits.count_mode.value,
        "local_mentions": key == "mastodon",
    }


@register.filter
def media_kind_label(kind: str) -> str:
    """What came with a message (``Message.media``), in the reader's words."""
    words = {
        "image": _("Picture"),
        "gifv": _("Animation"),
        "video": _("Video"),
        "audio": _("Sound"),
        "link": _("Link"),
    }
    return words.get(kind or "", _("File"))


# Translated when shown, one word per row (not the whole list for every row of the inbox).
SENTIMENT_WORDS = {
    "negative": gettext_lazy("Negative"),
    "neutral": gettext_lazy("Neutral"),
    "positive": gettext_lazy("Positive"),
}
INTENT_WORDS = {
    "question": gettext_lazy("Question"),
    "complaint": gettext_lazy("Complaint"),
    "praise": gettext_lazy("Praise"),
    "purchase_intent": gettext_lazy("Wants to buy"),
    "other": gettext_lazy("Other"),
}


@register.filter
def sentiment_label(value: str) -> str:
    word = SENTIMENT_WORDS.get(value)
    return str(word) if word is not None else value


@register.filter
def intent_label(value: str) -> str:
    word = INTENT_WORDS.get(value or "")
    return str(word) if word is not None else (value or "")


@register.filter
def rule_action_label(action: str) -> str:
    words = {
        "label": _("added a label"),
        "assign": _("assigned"),
        "priority": _("changed the priority"),
        "resolve": _("resolved"),
        "needs_approval": _("asked for approval of replies"),
        "hide": _("hid the message"),
        "delete": _("deleted the message"),
        "auto_reply": _("replied automatically"),
        "notify": _("notified the team"),
    }
    return words.get(action, action)


@register.filter
def at_handle(handle: str) -> str:
    """``@name`` once: Matrix ids (``@bob:server``) already carry the at sign, Mastodon's do not."""
    handle = str(handle or "")
    return handle if handle.startswith("@") or not handle else f"@{handle}"
