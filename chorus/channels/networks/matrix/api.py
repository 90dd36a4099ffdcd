"""Talking to a Matrix homeserver: one request helper that turns Matrix errors into Chorus errors.

Matrix answers errors as ``{"errcode": "M_…", "error": "…"}``; the errcode says more than the HTTP
status (a 403 is a missing invitation, a 429 carries ``retry_after_ms``), so it is read first and
the generic classification of :mod:`chorus.core.http` handles the rest.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from chorus.channels.errors import AuthExpired, Permanent, RateLimited
from chorus.core import http as chorus_http

CLIENT = "/_matrix/client/v3"
NOT_ALLOWED_TO_POST = (
    "The account is not allowed to post in this room — invite it or raise its power level."
)
NOT_ALLOWED_TO_MODERATE = (
    "The account is not allowed to moderate this room — raise its power level "
    "(moderator, 50, or more)."
)
AUTH_ERRCODES = {"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_USER_DEACTIVATED"}


def part(identifier: str) -> str:
    """A room, event or user id made safe for a URL path (they hold '!', '$', '#' and ':')."""
    return quote(identifier, safe="")


def matrix_error(response: httpx.Response) -> tuple[str, str]:
    """The errcode and message of a Matrix error body, or empty strings if it is not one."""
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("errcode") or ""), str(body.get("error") or "")


def raise_for_matrix_error(
    response: httpx.Response, *, forbidden: str = "", may_have_applied: bool = False
) -> None:
    """Raise the Chorus error matching a failed Matrix response; return quietly on success."""
    if response.status_code < 400:
        return
    errcode, said = matrix_error(response)
    detail = f"HTTP {response.status_code} {errcode}: {said}".strip()
    if errcode == "M_LIMIT_EXCEEDED" or response.status_code == 429:
        raise RateLimited(
            "The homeserver asked Chorus to slow down.",
            retry_after=retry_after(response),
            detail=detail,
        )
    if errcode in AUTH_ERRCODES or response.status_code == 401:
        raise AuthExpired(
            "The homeserver no longer accepts this account's access token.", detail=detail
        )
    if errcode == "M_FORBIDDEN" and forbidden:
        raise Permanent(forbidden, detail=detail)
    if errcode == "M_TOO_LARGE" or response.status_code == 413:
        raise Permanent("The homeserver refused it as too large (file or message).", detail=detail)
    if errcode == "M_NOT_FOUND" and response.status_code == 404:
        raise Permanent(f"The homeserver did not find it: {said}", detail=detail)
    chorus_http.raise_for_status(response, may_have_applied=may_have_applied)


def retry_after(response: httpx.Response) -> float:
    """Seconds to wait: Matrix's ``retry_after_ms`` in the body, else the Retry-After header."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("retry_after_ms"), int | float):
        return float(body["retry_after_ms"]) / 1000
    return chorus_http.retry_after_seconds(response, default=5.0)


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The JSON object in a successful answer; anything else is a homeserver we cannot work with."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Permanent(
            "The homeserver sent an answer Chorus cannot read.",
            detail=f"HTTP {response.status_code}: {response.text[:300]}",
        )
    return body


def call(
    http: httpx.Client,
    method: str,
    path: str,
    *,
    token: str = "",
    forbidden: str = "",
    may_have_applied: bool = False,
    **kw: Any,
) -> dict[str, Any]:
    """One request to the homeserver, returning its JSON object or raising a classified error."""
    headers = dict(kw.pop("headers", None) or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with chorus_http.translate_errors(may_have_applied=may_have_applied):
        response = http.request(method, path, headers=headers, **kw)
    raise_for_matrix_error(response, forbidden=forbidden, may_have_applied=may_have_applied)
    return json_object(response)


def login_with_password(
    http: httpx.Client, homeserver: str, user: str, password: str
) -> dict[str, str]:
    """Exchange a bot account's user name and password for an access token (done once, at connect).

    The password is not kept: only the token it buys, like a person signing in on a new device.
    """
    body = {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": user},
        "password": password,
        "initial_device_display_name": "Chorus",
    }
    answer = call(
        http,
        "POST",
        homeserver.rstrip("/") + f"{CLIENT}/login",
        json=body,
        forbidden="The homeserver refused this user name and password.",
    )
    try:
        return {
            "access_token": str(answer["access_token"]),
            "user_id": str(answer["user_id"]),
            "device_id": str(answer.get("device_id", "")),
        }
    except KeyError as missing:
        raise Permanent(
            "The homeserver's sign-in answer has no access token.", detail=str(missing)
        ) from None
