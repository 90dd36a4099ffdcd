from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from chorus.core import writes

SIGNED_IN = writes.Shelf(4096)


class UserLanguageMiddleware:
    """Use the language a signed-in person chose; otherwise Django follows the browser.

    Runs before LocaleMiddleware and sets the language cookie it reads, so the choice holds on
    every page without a session lookup per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.session.get("chorus_language") if hasattr(request, "session") else None
        if chosen:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = chosen
        return self.get_response(request)


def kept_user(request: HttpRequest) -> object:
    """Who is signed in with this session: Django's own answer (the session's user, its backend,
    the password-hash check), kept for the session while the write stamp stands. The session and
    the person's row are both watched tables, so any change to either is a new stamp."""
    cached = getattr(request, "_cached_user", None)
    if cached is not None:
        return cached
    session_key = request.session.session_key
    key = (session_key, writes.for_this_request()) if session_key else None
    user = SIGNED_IN.take(key) if key else None
    if user is None:
        user = auth.get_user(request)
        if key and user.is_authenticated:
            SIGNED_IN.keep(key, user)
    request._cached_user = user  # type: ignore[attr-defined]
    return user


class KeptAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's, with the signed-in person read through ``kept_user``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: kept_user(request))  # type: ignore[assignment]
