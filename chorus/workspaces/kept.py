"""What a web process keeps between requests while nothing in the database has changed.

A page costs tens of milliseconds of queries and rendering; most of the time nothing it shows has
changed since the last time it was made. The write stamp (``chorus/core/writes.py``) moves with
every committed write to a table a page shows, so a page kept under a stamp is exact while the
stamp stands: reading the stamp (one cache read) replaces the page's work.

Kept here, per process, bounded, least recently used first out:
- pages of views marked ``@kept_page``, for the same person, membership, role, language, time
  zone, address and htmx headers, within the same minute (pages say "3 minutes ago");
- the person's memberships, which the middleware reads on every request.

A kept page never holds a CSRF token: while a page is made to be kept, templates get a
placeholder, which each answer replaces with the token of the person asking.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from chorus.core import writes
from chorus.workspaces.http import WorkspaceRequest

Params = ParamSpec("Params")

# Random per process: a page's own text cannot contain it by chance or by design.
CSRF_PLACEHOLDER = "chorus-csrf-" + secrets.token_hex(12)
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
# htmx asks for fragments with these; the same address may answer a whole page without them.
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-History-Restore-Request")


PAGES = writes.Shelf(256)
MEMBERSHIPS = writes.Shelf(2048)


# -- memberships ---------------------------------------------------------------------------------


def memberships(user_id: int, stamp: str, load: Callable[[], list[Any]]) -> list[Any]:
    """The person's memberships, loaded at most once per stamp in this process (each request
    gets its own copy: ``Shelf.take``)."""
    key = (user_id, stamp)
    found = MEMBERSHIPS.take(key)
    if found is not None:
        return list(found)
    loaded = load()
    MEMBERSHIPS.keep(key, loaded)
    return loaded


# -- pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptPage:
    content: bytes
    status: int
    headers: tuple[tuple[str, str], ...]


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor, after Django's own: while a page is made to be kept, ``csrf_token``
    is the placeholder (``{% csrf_token %}`` and ``{{ csrf_token }}`` both read it)."""
    if getattr(request, "chorus_keeping_page", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _page_key(request: WorkspaceRequest, view: str) -> tuple[Any, ...] | None:
    if request.method != "GET" or len(get_messages(request)):
        # A message to show is shown once: that page is made for this request only.
        return None
    membership = request.membership
    verified = getattr(request.user, "is_verified", None)
    return (
        view,
        request.get_full_path(),
        tuple(request.headers.get(name, "") for name in HTMX_HEADERS),
        request.user.pk,
        membership.pk,
        membership.role,
        get_language(),
        timezone.get_current_timezone_name(),
        bool(verified()) if callable(verified) else False,
        writes.for_this_request(),
        this_minute(),
    )


def this_minute() -> int:
    return int(time.time() // 60)


def _token_used(request: HttpRequest) -> bool:
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _keepable(response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and response.status_code == 200
        and not response.cookies
    )


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    if _PLACEHOLDER not in content:
        return content
    return content.replace(_PLACEHOLDER, get_token(request).encode())


def _served(request: HttpRequest, kept: KeptPage) -> HttpResponse:
    response = HttpResponse(_with_token(request, kept.content), status=kept.status)
    for name, value in kept.headers:
        response[name] = value
    return response


def _made(request: HttpRequest, response: HttpResponseBase, key: Any) -> HttpResponseBase:
    if not isinstance(response, HttpResponse) or response.streaming:
        return response
    if key is not None and _keepable(response):
        headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
        PAGES.put(key, KeptPage(response.content, response.status_code, headers))
    response.content = _with_token(request, response.content)
    return response


def kept_page(
    view: Callable[Concatenate[WorkspaceRequest, Params], HttpResponseBase],
) -> Callable[Concatenate[WorkspaceRequest, Params], HttpResponseBase]:
    """Keep this GET view's page while nothing changes; put it under ``workspace_view`` so the
    person's access is checked on every request, kept page or not."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapped(
        request: WorkspaceRequest, *args: Params.args, **kwargs: Params.kwargs
    ) -> HttpResponseBase:
        if not settings.CHORUS_KEEP_PAGES:
            return view(request, *args, **kwargs)
        key = _page_key(request, name)
        if key is None:
            return view(request, *args, **kwargs)
        kept = PAGES.get(key)
        if kept is not None:
            return _served(request, kept)
        with _one_maker(key):
            # The thread this one waited for may have made it.
            kept = PAGES.get(key)
            if kept is not None:
                return _served(request, kept)
            return _make(request, key, lambda: view(request, *args, **kwargs))

    return wrapped


def _make(request: HttpRequest, key: Any, view: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    request.chorus_keeping_page = True  # type: ignore[attr-defined]
    try:
        response = view()
    finally:
        request.chorus_keeping_page = False  # type: ignore[attr-defined]
    # A token asked for directly, not through the template's placeholder, is this browser's:
    # that page is not kept.
    return _made(request, response, None if _token_used(request) else key)


# Right after a write, every open tab asks for its page at once: one thread of the process
# makes each page while the others with the same key wait for it (striped locks: bounded memory;
# two keys sharing a stripe only wait for each other). Never longer than MAKER_WAIT seconds.
_MAKERS = tuple(threading.Lock() for _ in range(64))
MAKER_WAIT = 10.0


@contextmanager
def _one_maker(key: Any) -> Iterator[None]:
    stripe = _MAKERS[hash(key) % len(_MAKERS)]
    got = stripe.acquire(timeout=MAKER_WAIT)
    try:
        yield
    finally:
        if got:
            stripe.release()
