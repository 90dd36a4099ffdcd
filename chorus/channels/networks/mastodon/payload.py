"""Reading what Mastodon sends back, without ever crashing on an answer we did not expect.

Every field access on a Mastodon answer goes through :func:`reading`, so a missing field or a
malformed body becomes a :class:`Permanent` error a person can read, never a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from chorus.channels.base import AccountInfo, Author, PostMetrics, PublishedPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.mastodon.text import html_to_text


@dataclass(frozen=True)
class RateLimit:
    """The last rate-limit state Mastodon reported, for the channel health page.

    Mastodon keeps separate budgets (all requests, media uploads, new posts); this is whichever
    budget the latest answer spoke about.
    """

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None


def read_rate_limit(response: httpx.Response) -> RateLimit | None:
    remaining = response.headers.get("x-ratelimit-remaining")
    if remaining is None:
        return None
    return RateLimit(
        limit=_int_or_none(response.headers.get("x-ratelimit-limit")),
        remaining=_int_or_none(remaining),
        reset_at=_time_or_none(response.headers.get("x-ratelimit-reset")),
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _time_or_none(value: str | None) -> datetime | None:
    try:
        return parse_time(value) if value else None
    except ValueError:
        return None


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def read_json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise Permanent(
            f"Mastodon sent an unreadable answer about {what}.",
            detail=f"HTTP {response.status_code}: {response.text[:300]}",
        ) from None


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Turn a missing or oddly typed field into a clear Permanent error."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise Permanent(
            f"Mastodon's answer about {what} is missing information Chorus needs.",
            detail=f"{type(exc).__name__}: {exc}",
        ) from None


def to_account_info(account: dict[str, Any]) -> AccountInfo:
    with reading("the account"):
        return AccountInfo(
            remote_id=str(account["id"]),
            handle=str(account["acct"]),
            display_name=str(account.get("display_name") or ""),
            url=str(account.get("url") or ""),
            avatar_url=str(account.get("avatar") or ""),
            followers=_count(account.get("followers_count")),
        )


def to_author(account: dict[str, Any]) -> Author:
    info = to_account_info(account)
    return Author(
        remote_id=info.remote_id,
        handle=info.handle,
        display_name=info.display_name,
        url=info.url,
        avatar_url=info.avatar_url,
        followers=info.followers,
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def to_published_post(status: dict[str, Any]) -> PublishedPost:
    with reading("the post"):
        # A deleted status comes back with its source "text" instead of rendered "content".
        html = status.get("content")
        text = html_to_text(str(html)) if html is not None else str(status.get("text") or "")
        return PublishedPost(
            remote_id=str(status["id"]),
            url=str(status.get("url") or status.get("uri") or ""),
            published_at=parse_time(str(status["created_at"])),
            text=text,
        )


def to_metrics(status: dict[str, Any]) -> PostMetrics:
    with reading("the post's numbers"):
        quotes = status.get("quotes_count")
        return PostMetrics(
            likes=int(status["favourites_count"]),
            shares=int(status["reblogs_count"]),
            replies=int(status["replies_count"]),
            extra={"quotes": int(quotes)} if quotes is not None else {},
        )
