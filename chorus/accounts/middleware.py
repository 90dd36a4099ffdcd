from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
