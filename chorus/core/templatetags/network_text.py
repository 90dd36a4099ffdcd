"""Template helpers for what networks send us: links through one allow-list, error text without
secrets. ``{% load network_text %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from chorus.core.links import REL, safe_url
from chorus.core.redact import redact

register = template.Library()


@register.filter
def safe_link(url: Any) -> str:
    """Only http(s) links from networks become links; anything else (javascript:…) is dropped."""
    return safe_url(url)


@register.simple_tag
def network_link(url: Any, text: Any, css_class: str = "") -> str:
    """``<a>`` to a network's page, or the bare text when the address is not http(s)."""
    href = safe_url(url)
    if not href:
        return format_html("{}", text)
    return format_html(
        '<a{} href="{}" rel="{}" target="_blank">{}</a>',
        format_html(' class="{}"', css_class) if css_class else "",
        href,
        REL,
        text,
    )


@register.filter
def redacted(text: Any) -> str:
    """Error text as it may be shown: also what was stored before redaction at the source."""
    return redact(str(text or ""))
