"""Template helpers of the listening pages. ``{% load listening %}``."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chorus.core.links import REL, safe_url

register = template.Library()

LINKS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}»"  # punctuation after a link belongs to the sentence, not the address


@register.filter
def linked_text(text: Any) -> SafeString:
    """A mention's text, escaped, with its http(s) addresses made links (``rel`` of
    ``core.links``); nothing else in it becomes markup."""
    text = str(text or "")
    parts: list[tuple[str, str]] = []
    last = 0
    for found in LINKS.finditer(text):
        address = found.group(0).rstrip(TRAILING)
        start, end = found.start(), found.start() + len(address)
        parts.append(("text", text[last:start]))
        parts.append(("link", address))
        last = end
    parts.append(("text", text[last:]))
    return format_html_join("", "{}", ((_piece(kind, value),) for kind, value in parts))


def _piece(kind: str, value: str) -> SafeString:
    href = safe_url(value) if kind == "link" else ""
    if not href:
        return format_html("{}", value)
    return format_html('<a href="{}" rel="{}" target="_blank">{}</a>', href, REL, value)


@register.filter
def reach(value: int | None) -> str:
    """Followers in a few characters: 950, 12.3k, 1.2M."""
    if value is None:
        return ""
    if value < 10_000:
        return number_format(value, force_grouping=True)
    if value < 1_000_000:
        return _("%(n)sk") % {"n": number_format(round(value / 1000, 1), decimal_pos=1)}
    return _("%(n)sM") % {"n": number_format(round(value / 1_000_000, 1), decimal_pos=1)}


@register.filter
def percent(value: float | None) -> str:
    """0.4231 -> "42.3 %"; None (nothing to divide) -> "—"."""
    if value is None:
        return "—"
    return _("%(n)s %%") % {"n": number_format(round(value * 100, 1), decimal_pos=1)}


@register.filter
def signed(value: float | None) -> str:
    """Net sentiment with its sign: +0.42, −0.10; None -> "—"."""
    if value is None:
        return "—"
    shown = number_format(abs(round(value, 2)), decimal_pos=2)
    return f"+{shown}" if value > 0 else (f"−{shown}" if value < 0 else shown)


@register.filter
def sentiment_word(value: str) -> str:
    return {
        "positive": _("Positive"),
        "neutral": _("Neutral"),
        "negative": _("Negative"),
    }.get(value, _("Not classified"))
