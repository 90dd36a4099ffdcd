from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chorus.workspaces import permissions


def workspace_context(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"workspace": None, "membership": None, "my_workspaces": []}
    my_workspaces = [
        m.workspace
        for m in membership.user.memberships.select_related("workspace").order_by("workspace__name")
    ]
    allowed = {p.value: permissions.can(membership, p) for p in permissions.Permission}
    return {
        "workspace": membership.workspace,
        "membership": membership,
        "my_workspaces": my_workspaces,
        "allowed": allowed,
    }
