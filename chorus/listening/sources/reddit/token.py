"""Reddit's application-only OAuth token (``client_credentials``), kept in memory only.

The token lives an hour; it is never written to the database (it is a secret, and the cursor is
not encrypted). A refused token is forgotten and asked for again once.
"""

from __future__ import annotations

import threading
import time

import httpx
from django.conf import settings

from chorus.channels.errors import AuthExpired, Permanent
from chorus.core import http as chorus_http
from chorus.listening.sources.common import api_root, as_dict, as_str, read_json

DEFAULT_TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
_tokens: dict[str, tuple[str, float]] = {}  # client id -> (token, monotonic expiry)
_lock = threading.Lock()


def client_id() -> str:
    return str(getattr(settings, "CHORUS_REDDIT_CLIENT_ID", "") or "")


def user_agent() -> str:
    configured = str(getattr(settings, "CHORUS_REDDIT_USER_AGENT", "") or "")
    return configured or f"{chorus_http.USER_AGENT} listening"


def app_token(http: httpx.Client) -> str:
    with _lock:
        token, expires = _tokens.get(client_id(), ("", 0.0))
    if token and expires > time.monotonic():
        return token
    token, lifetime = _ask_for_token(http)
    with _lock:
        _tokens[client_id()] = (token, time.monotonic() + max(60.0, lifetime - 60.0))
    return token


def forget_token() -> None:
    with _lock:
        _tokens.pop(client_id(), None)


def _ask_for_token(http: httpx.Client) -> tuple[str, float]:
    secret = str(getattr(settings, "CHORUS_REDDIT_CLIENT_SECRET", "") or "")
    try:
        response = chorus_http.send(
            http,
            "POST",
            api_root("CHORUS_REDDIT_TOKEN_URL", DEFAULT_TOKEN_URL),
            data={"grant_type": "client_credentials"},
            auth=(client_id(), secret),
            headers={"User-Agent": user_agent()},
        )
    except AuthExpired as exc:
        raise Permanent(
            "Reddit refused the operator's client id and secret: ask the operator to check "
            "CHORUS_REDDIT_CLIENT_ID and CHORUS_REDDIT_CLIENT_SECRET.",
            detail=exc.detail,
        ) from exc
    body = as_dict(read_json(response, "Reddit"))
    token = as_str(body.get("access_token"))
    if not token:
        raise Permanent(
            "Reddit gave no access token to the operator's client.", detail=str(body)[:200]
        )
    return token, float(body.get("expires_in") or 3600)
