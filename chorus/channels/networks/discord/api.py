"""Discord webhook addresses, and what Discord's answers mean (DESIGN.md invariant 5)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient, Unconfirmed
from chorus.core.http import retry_after_seconds, translate_errors

WEBHOOK_URL = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d+)?"
    r"/webhooks/(?P<id>\d{5,25})/(?P<token>[\w-]{20,200})/?$"
)
GONE_CODES = (10015, 50027)  # Unknown Webhook, Invalid Webhook Token


def split_webhook_url(url: str) -> tuple[str, str]:
    """(webhook id, token), or a ValueError a person can act on."""
    found = WEBHOOK_URL.match(url.strip())
    if not found:
        raise ValueError(
            "This is not a Discord webhook address: it looks like "
            "https://discord.com/api/webhooks/<number>/<token>."
        )
    return found["id"], found["token"]


def call(
    http: httpx.Client, method: str, url: str, *, may_have_applied: bool = False, **kw: Any
) -> httpx.Response:
    with translate_errors(may_have_applied=may_have_applied):
        response = http.request(method, url, **kw)
    if response.status_code >= 400:
        raise classify(response, may_have_applied=may_have_applied)
    return response


def classify(response: httpx.Response, *, may_have_applied: bool) -> Exception:
    status = response.status_code
    body = _json(response)
    said = str(body.get("message") or response.text[:200] or f"HTTP {status}")
    code = body.get("code")
    if status == 429:
        # The body's retry_after is exact (seconds, a float); the header is rounded up.
        wait = body.get("retry_after")
        seconds = float(wait) if isinstance(wait, int | float) else retry_after_seconds(response)
        return RateLimited(
            f"Discord asked Chorus to wait {seconds:.0f} seconds.", retry_after=seconds, detail=said
        )
    if status in (401, 403) or code in GONE_CODES or (status == 404 and "Webhook" in said):
        return AuthExpired(
            "Discord no longer knows this webhook (it was deleted or its address was reset). "
            "Create a new webhook in the channel's Integrations settings and reconnect with it.",
            detail=f"HTTP {status}: {said}",
        )
    if status >= 500:
        if may_have_applied:
            return Unconfirmed(
                "Discord failed while posting; the message may have gone out. "
                "Check the channel before publishing again.",
                detail=f"HTTP {status}: {said}",
            )
        return Transient(f"Discord is having trouble (HTTP {status}).", detail=said)
    return Permanent(f"Discord refused the message: {said}", detail=f"HTTP {status}: {body}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
