from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from chorus.workspaces.permissions import Permission, can

View = Callable[..., HttpResponse]


def workspace_view(permission: Permission = Permission.VIEW) -> Callable[[View], View]:
    """A signed-in view inside the current workspace; refuses people without ``permission``."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("workspaces:create")
            if not can(membership, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
