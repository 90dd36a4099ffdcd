"""What every source does the same way: read JSON, tell times apart, keep a bounded seen-list.

Errors are classified once, by ``chorus.core.http`` (429 is RateLimited, 401 AuthExpired, 5xx
Transient, the rest Permanent); an answer Chorus cannot read is Permanent, with words a person
can act on rather than a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings

from chorus.channels.errors import Permanent
from chorus.core import http as chorus_http

# How many ids a cursor remembers to leave out what was already heard (a feed of 50 entries,
# a search page of 100): enough to cover one answer, small enough to store with every batch.
SEEN_LIMIT = 300


def api_root(setting: str, default: str) -> str:
    """A service's address, changeable by the operator (a proxy) and by the tests (loopback)."""
    return str(getattr(settings, setting, "") or default).rstrip("/")


def get_json(http: httpx.Client, url: str, what: str, **kw: Any) -> Any:
    """GET ``url`` and return its JSON; any failure raised as a classified network error."""
    response = chorus_http.send(http, "GET", url, **kw)
    return read_json(response, what)


def read_json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise Permanent(
            f"{what} sent an answer Chorus could not read.",
            detail=f"HTTP {response.status_code}: {response.text[:200]}",
        ) from None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_iso(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (``Z`` accepted), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def from_epoch(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def remember(seen: Iterable[str], new: Iterable[str], limit: int = SEEN_LIMIT) -> list[str]:
    """The newest ``limit`` ids, newest last: what the next fetch must not hand over again."""
    kept = list(dict.fromkeys([*seen, *new]))
    return kept[-limit:]
