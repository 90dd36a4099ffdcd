"""Meta's Graph API (graph.facebook.com, graph.threads.net): one client, and what its errors mean.

Every Meta connector talks through :class:`Graph`, so an error is classified one way (DESIGN.md
invariant 5) and every request carries ``appsecret_proof`` when the app secret is known, which
Meta asks for on server-to-server calls.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient, Unconfirmed
from chorus.core.http import client, translate_errors

# https://developers.facebook.com/docs/graph-api/guides/error-handling
AUTH_CODES = frozenset({102, 190, 463, 467})
RATE_CODES = frozenset({4, 17, 32, 613}) | frozenset(range(80001, 80015))
TRANSIENT_CODES = frozenset({1, 2})
POLICY_CODES = frozenset({368})
DEFAULT_WAIT_SECONDS = 3600.0  # Meta's rolling window is one hour


def facebook_base() -> str:
    return f"{settings.CHORUS_META_GRAPH_URL.rstrip('/')}/{settings.CHORUS_META_GRAPH_VERSION}"


def threads_base() -> str:
    return f"{settings.CHORUS_THREADS_GRAPH_URL.rstrip('/')}/v1.0"


def appsecret_proof(token: str, app_secret: str) -> str:
    return hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()


class Graph:
    """Calls on one token. ``base`` is the versioned root (``facebook_base()`` by default)."""

    def __init__(self, token: str, *, base: str = "", app_secret: str | None = None) -> None:
        self.token = token
        self.base = (base or facebook_base()).rstrip("/")
        secret = settings.CHORUS_META_APP_SECRET if app_secret is None else app_secret
        self.proof = appsecret_proof(token, secret) if secret and token else ""
        self.http = client()

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self.call("GET", path, params=params)

    def post(self, path: str, *, may_have_applied: bool = True, **data: Any) -> dict[str, Any]:
        """A POST changes something on Meta: a lost answer is Unconfirmed unless said otherwise."""
        return self.call("POST", path, data=data, may_have_applied=may_have_applied)

    def delete(self, path: str, **params: Any) -> dict[str, Any]:
        return self.call("DELETE", path, params=params, may_have_applied=True)

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        may_have_applied: bool = False,
    ) -> dict[str, Any]:
        url = (
            path if path.startswith(("http://", "https://")) else f"{self.base}/{path.lstrip('/')}"
        )
        query = {k: _form(v) for k, v in (params or {}).items() if v is not None}
        query.setdefault("access_token", self.token)
        if self.proof:
            query.setdefault("appsecret_proof", self.proof)
        form = {k: _form(v) for k, v in (data or {}).items() if v is not None} or None
        with translate_errors(may_have_applied=may_have_applied):
            response = self.http.request(method, url, params=query, data=form, files=files)
        if response.status_code >= 400:
            raise classify(response, may_have_applied=may_have_applied)
        return _body(response)

    def pages(
        self, path: str, *, limit: int = 100, max_pages: int = 20, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paged edge, following ``paging.next`` on our own base (so the
        tests' loopback server, or an operator's proxy, serves the following pages too)."""
        answer = self.get(path, limit=limit, **params)
        for _ in range(max_pages):
            yield from [item for item in answer.get("data") or [] if isinstance(item, dict)]
            after = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
            if not (answer.get("paging") or {}).get("next") or not after:
                return
            answer = self.get(path, limit=limit, after=after, **params)


def _form(value: Any) -> Any:
    """Graph takes lists and objects as JSON in form fields and query strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"))
    return value


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise Transient(
            "Meta answered with something that is not JSON.", detail=response.text[:200]
        ) from exc
    if isinstance(body, bool):  # DELETE and some POSTs answer a bare ``true``
        return {"success": body}
    if not isinstance(body, dict):
        raise Transient("Meta answered in an unexpected shape.", detail=str(body)[:200])
    return body


def error_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def classify(response: httpx.Response, *, may_have_applied: bool) -> Exception:
    """Meta's error ``code`` decides, not the HTTP status (Meta answers 400 for nearly all)."""
    error = error_of(response)
    code = error.get("code")
    said = str(error.get("error_user_msg") or error.get("message") or response.text[:200])
    detail = (
        f"HTTP {response.status_code}: code {code} subcode {error.get('error_subcode')}: {said}"
    )
    if code in AUTH_CODES or response.status_code == 401:
        return AuthExpired(
            "Meta no longer accepts this account's access (the token expired or was revoked). "
            "Reconnect the channel.",
            detail=detail,
        )
    if code in RATE_CODES or response.status_code == 429:
        wait = usage_wait_seconds(response.headers)
        return RateLimited(
            f"Meta asked Chorus to wait about {max(1, round(wait / 60))} minutes.",
            retry_after=wait,
            detail=detail,
        )
    if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
        if may_have_applied:
            return Unconfirmed(
                "Meta failed while handling the request; it may have gone through.", detail=detail
            )
        return Transient("Meta is having trouble; Chorus will try again.", detail=detail)
    if code in POLICY_CODES:
        return Permanent(f"Meta blocked this as against its policies: {said}", detail=detail)
    return Permanent(f"Meta refused the request: {said}", detail=detail)


def usage_wait_seconds(headers: Mapping[str, str]) -> float:
    """The wait Meta announces: ``estimated_time_to_regain_access`` (minutes) in
    ``X-Business-Use-Case-Usage``, else one hour when ``X-App-Usage`` is at 100%."""
    waits: list[float] = []
    business = _json_header(headers.get("x-business-use-case-usage"))
    for entries in business.values() if isinstance(business, dict) else []:
        for entry in entries if isinstance(entries, list) else []:
            minutes = (
                entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else None
            )
            if isinstance(minutes, int | float) and minutes > 0:
                waits.append(float(minutes) * 60)
    if waits:
        return max(waits)
    return DEFAULT_WAIT_SECONDS


def usage_percent(headers: Mapping[str, str]) -> int:
    """The highest share of its limit an app or Page has used (``X-App-Usage``,
    ``X-Page-Usage``, ``X-Business-Use-Case-Usage``), so a connector can slow down before 100%."""
    highest = 0
    for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage"):
        usage = _json_header(headers.get(name))
        if isinstance(usage, dict):
            highest = max(
                [highest, *(int(v) for v in usage.values() if isinstance(v, int | float))]
            )
    business = _json_header(headers.get("x-business-use-case-usage"))
    for entries in business.values() if isinstance(business, dict) else []:
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                highest = max(
                    [
                        highest,
                        *(
                            int(entry.get(k) or 0)
                            for k in ("call_count", "total_cputime", "total_time")
                        ),
                    ]
                )
    return highest


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def same_host(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc
