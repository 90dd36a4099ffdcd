"""How long ago something happened, in words: "just now", "5 minutes ago", "2 days, 3 hours ago"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def time_ago(when: datetime | None) -> str:
    """Django's timesince says "0 minutes" for the last minute; a person says "just now"."""
    if when is None:
        return ""
    if timezone.now() - when < timedelta(minutes=1):
        return _("just now")
    return _("%(span)s ago") % {"span": timesince(when)}
