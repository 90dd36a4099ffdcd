from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from chorus.workspaces.models import Membership

SESSION_KEY = "chorus_workspace"


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership of the workspace this person works in now, scoped to them (invariant 2)."""
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("workspace").filter(user=request.user)
    chosen = request.session.get(SESSION_KEY)
    membership = memberships.filter(workspace_id=chosen).first() if chosen else None
    return membership or memberships.order_by("workspace__name").first()


class CurrentWorkspaceMiddleware:
    """Puts ``request.membership`` and ``request.workspace`` on every request, lazily scoped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.workspace = membership.workspace if membership else None  # type: ignore[attr-defined]
        if membership:
            timezone.activate(membership.workspace.timezone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
