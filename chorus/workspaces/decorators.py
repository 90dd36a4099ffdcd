from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can

Params = ParamSpec("Params")
Response = TypeVar("Response", bound=HttpResponseBase)


def workspace_view(
    permission: Permission = Permission.VIEW,
) -> Callable[
    [Callable[Concatenate[WorkspaceRequest, Params], Response]],
    Callable[Concatenate[HttpRequest, Params], HttpResponseBase],
]:
    """A signed-in view inside the current workspace; refuses people without ``permission``.

    The view is written against a ``WorkspaceRequest``: past the checks below, the person is
    signed in and has a membership, so ``request.workspace`` and ``request.membership`` are set.
    """

    def decorate(
        view: Callable[Concatenate[WorkspaceRequest, Params], Response],
    ) -> Callable[Concatenate[HttpRequest, Params], HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(
            request: HttpRequest, *args: Params.args, **kwargs: Params.kwargs
        ) -> HttpResponseBase:
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("workspaces:create")
            if not can(membership, permission):
                raise PermissionDenied
            return view(cast(WorkspaceRequest, request), *args, **kwargs)

        return wrapped

    return decorate
