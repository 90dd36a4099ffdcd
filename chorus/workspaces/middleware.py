from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from chorus.core import writes
from chorus.workspaces import kept
from chorus.workspaces.http import ChorusRequest
from chorus.workspaces.models import Membership

SESSION_KEY = "chorus_workspace"


def memberships_of(request: HttpRequest) -> list[Membership]:
    """Every membership of the signed-in person, by workspace name, in one query, or none
    while nothing was written since this process last loaded them (``kept.memberships``).

    The sidebar's workspace switcher lists them all on every page anyway, so the current one is
    picked from this list rather than asked for again. The workspace comes with its publishing
    switches (a reverse one-to-one, named by string: no import of publishing), which makes the
    paused banner free. Each membership's user is the request's user, already loaded.
    """
    user = request.user
    if not user.is_authenticated:
        return []
    memberships = kept.memberships(
        user.pk,
        writes.for_this_request(),
        lambda: list(
            Membership.objects.select_related("workspace", "workspace__publishing")
            .filter(user=user)
            .order_by("workspace__name", "workspace_id")
        ),
    )
    for membership in memberships:
        membership.user = user
    return memberships


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership of the workspace this person works in now, scoped to them (invariant 2)."""
    memberships = getattr(request, "memberships", None)
    if memberships is None:
        memberships = memberships_of(request)
    chosen = request.session.get(SESSION_KEY) if memberships else None
    found = next((m for m in memberships if m.workspace_id == chosen), None) if chosen else None
    return found or (memberships[0] if memberships else None)


class CurrentWorkspaceMiddleware:
    """Puts ``request.membership`` and ``request.workspace`` on every request, scoped to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # From here on the request carries these: the one place a plain request becomes one.
        current = cast(ChorusRequest, request)
        current.memberships = memberships_of(request)
        membership = current_membership(request)
        current.membership = membership
        current.workspace = membership.workspace if membership else None
        if membership:
            timezone.activate(membership.workspace.timezone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
