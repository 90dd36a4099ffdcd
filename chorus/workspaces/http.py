"""The request inside a workspace, typed with what ``CurrentWorkspaceMiddleware`` puts on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from chorus.accounts.http import SignedInRequest

if TYPE_CHECKING:
    from chorus.workspaces.models import Membership, Workspace


class ChorusRequest(HttpRequest):
    """Any request past ``CurrentWorkspaceMiddleware``: signed out, or without a workspace yet,
    the workspace and membership are ``None`` and the list of memberships is empty."""

    workspace: Workspace | None
    membership: Membership | None
    memberships: list[Membership]


class WorkspaceRequest(SignedInRequest):
    """The request of a view under ``workspace_view`` (or an API call past the token check).

    The decorator refuses anyone without a membership, so here the workspace and the membership
    are never ``None``. Only an annotation: Django builds a plain ``HttpRequest``.
    """

    workspace: Workspace
    membership: Membership
    memberships: list[Membership]
