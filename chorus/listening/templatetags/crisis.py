"""``{% open_crisis as crisis %}``: the crisis under way in the current workspace, if any.

Asked by the banner on every page and by the mention actions. The workspace (already loaded
with the person's membership) says whether a crisis is open, so a calm workspace's pages ask
nothing more; during a crisis, one query per page, kept on the request.
"""

from __future__ import annotations

from typing import Any

from django import template

from chorus.listening.crisis import open_crisis_of
from chorus.listening.models import Crisis

register = template.Library()


@register.simple_tag(takes_context=True)
def open_crisis(context: dict[str, Any]) -> Crisis | None:
    request = context.get("request")
    workspace = getattr(request, "workspace", None)
    if request is None or workspace is None or not request.user.is_authenticated:
        return None
    if workspace.in_crisis_since is None:
        return None
    if not hasattr(request, "_open_crisis"):
        request._open_crisis = open_crisis_of(workspace)
    found: Crisis | None = request._open_crisis
    return found
