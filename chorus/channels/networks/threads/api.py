"""Threads' Graph API (graph.threads.net): the client on a channel's token, and its tokens.

Threads is its own Graph host with its own app id and secret (the "Threads use case" of a Meta
app), so calls go through the shared :class:`~chorus.channels.networks.meta.graph.Graph` (one
error classification for every Meta network) pointed at ``threads_base()``. Token answers
follow Meta's documented shapes; the two recorded in the fixtures (``base/threads_user_token.json``
and ``base/threads_user_long_lived_token.json``) are the ones the tests serve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings

from chorus.channels.errors import Permanent
from chorus.channels.networks.meta.graph import Graph, threads_base

# Long-lived tokens last 60 days; Chorus renews one when fewer than this many days are left.
# Meta refuses to refresh a token less than 24 hours old, so the margin must stay well under 59.
RENEW_WHEN_DAYS_LEFT = 30


def graph_root() -> str:
    """The unversioned root, where tokens are traded (``/access_token``, ``/oauth/...``)."""
    return str(settings.CHORUS_THREADS_GRAPH_URL).rstrip("/")


def threads_graph(token: str) -> Graph:
    # Threads documents no appsecret_proof: the Facebook app secret must not be sent along.
    return Graph(token, base=threads_base(), app_secret="")


@dataclass(frozen=True)
class LongLivedToken:
    access_token: str
    expires_at: datetime

    def as_credentials(self) -> dict[str, Any]:
        return {"access_token": self.access_token, "expires_at": self.expires_at.isoformat()}


def long_lived(short_token: str) -> LongLivedToken:
    """Trade the sign-in's one-hour token for a 60-day one (``th_exchange_token``)."""
    graph = threads_graph(short_token)
    try:
        answer = graph.get(
            f"{graph_root()}/access_token",
            grant_type="th_exchange_token",
            client_secret=settings.CHORUS_THREADS_APP_SECRET,
        )
    finally:
        graph.close()
    return token_from(answer)


def renewed(token: str) -> LongLivedToken:
    """A fresh 60-day token for a long-lived one still valid (``th_refresh_token``)."""
    graph = threads_graph(token)
    try:
        answer = graph.get(f"{graph_root()}/refresh_access_token", grant_type="th_refresh_token")
    finally:
        graph.close()
    return token_from(answer)


def token_from(answer: dict[str, Any]) -> LongLivedToken:
    token = answer.get("access_token")
    seconds = answer.get("expires_in")
    if not isinstance(token, str) or not token or not isinstance(seconds, int | float):
        raise Permanent(
            "Threads did not give Chorus a long-lived access token; try connecting again.",
            detail=str(sorted(answer))[:200],
        )
    return LongLivedToken(token, datetime.now(UTC) + timedelta(seconds=float(seconds)))


def expiry_of(credentials: dict[str, Any]) -> datetime | None:
    """When the stored token lapses, or None when the channel never said."""
    value = credentials.get("expires_at")
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def due_for_renewal(credentials: dict[str, Any], now: datetime | None = None) -> bool:
    expires_at = expiry_of(credentials)
    if expires_at is None:
        return False
    left = expires_at - (now or datetime.now(UTC))
    return left < timedelta(days=RENEW_WHEN_DAYS_LEFT)


def meta_time(value: Any) -> datetime | None:
    """Meta's ``2024-07-01T12:34:56+0000`` as an aware datetime; None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
