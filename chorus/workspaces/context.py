from __future__ import annotations

import functools
from typing import Any, cast

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chorus.workspaces import permissions
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership, Notification


@functools.cache
def _allowed_for(role: str) -> dict[str, bool]:
    # Fixed per role (permissions.ROLE_PERMISSIONS): worked out once per process, not per page.
    membership = Membership(role=role)
    return {p.value: permissions.can(membership, p) for p in permissions.Permission}


def workspace_context(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"workspace": None, "membership": None, "my_workspaces": []}
    # The middleware loaded every membership of this person (the switcher lists them): no query.
    my_workspaces = [m.workspace for m in getattr(request, "memberships", [membership])]
    return {
        "workspace": membership.workspace,
        "membership": membership,
        "my_workspaces": my_workspaces,
        "allowed": _allowed_for(membership.role),
    }


def _unread_count(request: WorkspaceRequest) -> int:
    # Counted already when the sidebar ran first (inbox/sidebar.py: both numbers in one query).
    counted = getattr(request, "unread_notifications_count", None)
    if counted is not None:
        return int(counted)
    # One COUNT on the (user, workspace, read_at) index; nothing is loaded.
    return Notification.objects.filter(
        user_id=request.user.pk,
        workspace=request.workspace,
        read_at=None,
    ).count()


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The bell's number. Lazy: pages without the app shell (API, downloads) never query."""
    if getattr(request, "workspace", None) is None:
        return {"unread_notifications": 0}
    # With a workspace the middleware found a membership, so the person is signed in.
    in_workspace = cast(WorkspaceRequest, request)
    return {"unread_notifications": SimpleLazyObject(lambda: _unread_count(in_workspace))}
