"""How often open pages ask for changes (CHORUS_LIVE_UPDATE_SECONDS), for the pollers' templates."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def live_seconds() -> int:
    return int(settings.CHORUS_LIVE_UPDATE_SECONDS)
