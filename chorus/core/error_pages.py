"""The pages a person sees when something goes wrong: styled, in their language, never a stack.

403 and 404 use the usual layout (the sidebar when signed in), so the way back is one click away.
500 renders a standalone page with no database access: the error may be the database itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _error_page(request: HttpRequest, status: int, title: str, explanation: str) -> HttpResponse:
    context = {"status": status, "title": title, "explanation": explanation}
    return render(request, "core/error.html", context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("You cannot do this here"),
        _("Your role in this workspace does not allow it. Ask an owner or an admin to change it."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("This page does not exist"),
        _(
            "The link may be old, or what it pointed to was deleted or belongs to another "
            "workspace."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long or after signing out elsewhere."""
    return _error_page(
        request,
        403,
        _("This form has expired"),
        _("Go back, reload the page and send the form again. Nothing was changed."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.get_template("core/500.html").render({}), status=500)
