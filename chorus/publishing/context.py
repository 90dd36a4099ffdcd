"""Template context for every page: is the current workspace's publishing paused (the banner)?"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chorus.publishing.models import WorkspacePublishing
from chorus.workspaces.models import Workspace


def _is_paused(workspace: Workspace) -> bool:
    # Free when the workspace was loaded with its switches (select_related("publishing")).
    if Workspace.publishing.is_cached(workspace):
        switches = getattr(workspace, "publishing", None)
        return bool(switches and switches.is_paused)
    return WorkspacePublishing.objects.filter(workspace=workspace, paused_at__isnull=False).exists()


def publishing_paused(request: HttpRequest) -> dict[str, Any]:
    """Lazy: the one small query runs only on pages that render the banner (the app shell)."""
    workspace = getattr(request, "workspace", None)
    if workspace is None:
        return {"publishing_paused": False}
    return {"publishing_paused": SimpleLazyObject(lambda: _is_paused(workspace))}
