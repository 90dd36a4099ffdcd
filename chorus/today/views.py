"""Today: the community manager's daily routine on one page.

Each module adds its section here as it lands; a section that has nothing to say is not shown as
an empty promise but as a short line saying all is clear.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from chorus.core.timeutil import local_now
from chorus.today.sections import sections_for
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.kept import kept_page


@workspace_view()
@kept_page
def today(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    context: dict[str, Any] = {
        "now": local_now(workspace.timezone),
        "sections": sections_for(request.membership),
    }
    return render(request, "today/today.html", context)
