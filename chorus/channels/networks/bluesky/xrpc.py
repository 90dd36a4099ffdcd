"""Talking XRPC to a Bluesky PDS: the session (app password, access and refresh tokens) and errors.

Every call goes through :func:`chorus.core.http.send`-style handling, but Bluesky needs its own
classification on top: errors come as ``{"error": "ExpiredToken", "message": "..."}`` with a 400
as often as a 401, and rate limits announce their end in ``ratelimit-reset`` (epoch seconds).
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Unconfirmed
from chorus.core import http as chorus_http

# Errors that mean "this token is no good": refresh once, then ask for a reconnection.
TOKEN_ERRORS = {"ExpiredToken", "InvalidToken"}
WRONG_LOGIN_ERRORS = {"AuthenticationRequired", "AuthFactorTokenRequired", "AccountTakedown"}


class Refused(Permanent):
    """A Permanent refusal that keeps the XRPC error name (``InvalidSwap``, ``RecordNotFound``…),
    for the few callers that act on a particular one."""

    def __init__(self, message: str, *, error: str, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.error = error


def xrpc_error(response: httpx.Response) -> tuple[str, str]:
    """The (error name, message) of an XRPC error body; empty strings when it has none."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:300]
    if not isinstance(body, dict):
        return "", str(body)[:300]
    name, message = body.get("error"), body.get("message")
    return (name if isinstance(name, str) else ""), (message if isinstance(message, str) else "")


def is_token_refused(response: httpx.Response) -> bool:
    if response.status_code == 401:
        return True
    return response.status_code == 400 and xrpc_error(response)[0] in TOKEN_ERRORS


def seconds_until_reset(response: httpx.Response) -> float:
    """Bluesky says when the window reopens as epoch seconds in ``ratelimit-reset``."""
    reset = response.headers.get("ratelimit-reset", "")
    try:
        return max(0.0, float(reset) - time.time())
    except ValueError:
        return chorus_http.retry_after_seconds(response)


def raise_for_xrpc(response: httpx.Response, *, may_have_applied: bool = False) -> None:
    """Turn an unsuccessful XRPC answer into exactly one :class:`ChannelError`."""
    status = response.status_code
    if status < 400:
        return
    name, message = xrpc_error(response)
    said = f"{name}: {message}" if name and message else (name or message)
    if status == 429:
        raise RateLimited(
            "Bluesky asked Chorus to slow down.",
            retry_after=seconds_until_reset(response),
            detail=said,
        )
    if is_token_refused(response):
        raise AuthExpired("Bluesky no longer accepts this account's session.", detail=said)
    if status >= 500 or status == 408:
        chorus_http.raise_for_status(response, may_have_applied=may_have_applied)
    raise Refused(
        f"Bluesky refused the request: {message or name or status}", error=name, detail=said
    )


def read_json(response: httpx.Response, *, may_have_applied: bool = False) -> dict[str, Any]:
    """The body as a JSON object. An unreadable success is not a crash, and not a retry either."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    detail = f"HTTP {response.status_code}: {response.text[:200]}"
    if may_have_applied:
        # The record may exist: let the dispatcher reconcile rather than fail or publish twice.
        raise Unconfirmed("Bluesky accepted the post but its answer was unreadable.", detail=detail)
    raise Permanent("Bluesky sent an answer Chorus could not read.", detail=detail)


def require_str(body: dict[str, Any], key: str, *, where: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise Permanent(
            "Bluesky sent an answer Chorus could not read.", detail=f"{where}: no {key!r}"
        )
    return value


class Session:
    """The app-password session of one account. ``credentials`` is updated in place."""

    def __init__(self, http: httpx.Client, credentials: dict[str, Any]) -> None:
        self.http = http
        self.credentials = credentials
        self.rotated = False  # the tokens changed: the caller must store the new credentials

    @property
    def did(self) -> str:
        if not self.credentials.get("did"):
            self.log_in()
        return str(self.credentials["did"])

    @property
    def handle(self) -> str:
        if not self.credentials.get("handle"):
            self.log_in()
        return str(self.credentials["handle"])

    def call(
        self,
        method: str,
        nsid: str,
        *,
        may_have_applied: bool = False,
        **kw: Any,
    ) -> dict[str, Any]:
        """An authenticated XRPC call; a refused token is refreshed once, then the call retried."""
        if not self.credentials.get("access_jwt"):
            self.log_in()
        response = self._send(method, nsid, may_have_applied=may_have_applied, **kw)
        if is_token_refused(response):
            # A refused token means the request was not applied: retrying is safe.
            self.refresh()
            response = self._send(method, nsid, may_have_applied=may_have_applied, **kw)
        raise_for_xrpc(response, may_have_applied=may_have_applied)
        return read_json(response, may_have_applied=may_have_applied)

    def call_anonymous(self, method: str, nsid: str, **kw: Any) -> dict[str, Any]:
        with chorus_http.translate_errors():
            response = self.http.request(method, f"/xrpc/{nsid}", **kw)
        raise_for_xrpc(response)
        return read_json(response)

    def _send(self, method: str, nsid: str, *, may_have_applied: bool, **kw: Any) -> httpx.Response:
        headers = {
            **kw.pop("headers", {}),
            "Authorization": f"Bearer {self.credentials['access_jwt']}",
        }
        with chorus_http.translate_errors(may_have_applied=may_have_applied):
            return self.http.request(method, f"/xrpc/{nsid}", headers=headers, **kw)

    def log_in(self) -> None:
        """createSession with the app password. Refused at connect time: the person must fix it."""
        identifier = str(self.credentials.get("identifier", "")).strip().lstrip("@")
        password = str(self.credentials.get("app_password", ""))
        if not identifier or not password:
            raise Permanent("Enter the account's handle (or DID) and an app password.")
        first_time = not self.credentials.get("refresh_jwt")
        payload = {"identifier": identifier, "password": password}
        with chorus_http.translate_errors():
            response = self.http.post("/xrpc/com.atproto.server.createSession", json=payload)
        if response.status_code in (400, 401):
            self._refuse_login(response, first_time=first_time)
        raise_for_xrpc(response)
        self._keep(read_json(response), where="createSession")

    def _refuse_login(self, response: httpx.Response, *, first_time: bool) -> None:
        name, message = xrpc_error(response)
        said = f"{name}: {message}" if name else message
        if name == "AuthFactorTokenRequired":
            text = "Bluesky asks for a sign-in code: use an app password, not the main password."
        else:
            text = (
                "Bluesky refused this handle and app password: check both, "
                "or create a new app password."
            )
        if first_time:
            raise Permanent(text, detail=said)
        raise AuthExpired(text, detail=said)  # it worked before: the app password was revoked

    def refresh(self) -> None:
        """refreshSession; if the refresh token is dead too, sign in again with the app password."""
        refresh_jwt = self.credentials.get("refresh_jwt")
        if refresh_jwt:
            with chorus_http.translate_errors():
                response = self.http.post(
                    "/xrpc/com.atproto.server.refreshSession",
                    headers={"Authorization": f"Bearer {refresh_jwt}"},
                )
            if not is_token_refused(response):
                raise_for_xrpc(response)
                self._keep(read_json(response), where="refreshSession")
                return
        if self.credentials.get("app_password"):
            self.log_in()
            return
        raise AuthExpired("Bluesky ended this account's session: reconnect the account.")

    def _keep(self, body: dict[str, Any], *, where: str) -> None:
        """Store new tokens, all or nothing: never overwrite a refresh token with an empty one."""
        fresh = {
            "access_jwt": require_str(body, "accessJwt", where=where),
            "refresh_jwt": require_str(body, "refreshJwt", where=where),
            "did": require_str(body, "did", where=where),
            "handle": require_str(body, "handle", where=where),
        }
        self.credentials.update(fresh)
        self.rotated = True
