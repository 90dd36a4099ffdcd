"""Threads insights, one metric per request (a retired metric fails a whole batch on Meta).

``GET /{media}/insights?metric=views`` answers ``{"data": [{"name": "views", "values":
[{"value": 12}]}]}``; account figures (``/{user}/threads_insights``) give ``total_value`` for
``followers_count`` and a daily series for ``views``. An empty answer, or a refusal for this one
metric, is "not available" (None), never 0.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chorus.channels.base import PostMetrics
from chorus.channels.errors import Permanent
from chorus.channels.networks.meta.graph import Graph

# Threads' own "shares" (sends by message or link) has no column in Chorus: reposts are what
# other networks call shares (analytics stores them there), so "shares" is not read.
POST_METRICS = ("views", "likes", "replies", "reposts", "quotes")


def value_of(answer: dict[str, Any], name: str) -> int | None:
    """The figure named ``name`` in an insights answer: its total, or the sum of its series."""
    for row in answer.get("data") or []:
        if not isinstance(row, dict) or row.get("name") != name:
            continue
        total = row.get("total_value")
        if isinstance(total, dict) and isinstance(total.get("value"), int):
            return int(total["value"])
        values = [v.get("value") for v in row.get("values") or [] if isinstance(v, dict)]
        numbers = [v for v in values if isinstance(v, int)]
        return sum(numbers) if numbers else None
    return None


def one_metric(graph: Graph, path: str, name: str, **params: Any) -> int | None:
    try:
        return value_of(graph.get(path, metric=name, **params), name)
    except Permanent:  # this metric refused (retired, not enough viewers): the others still count
        return None


def post_metrics(graph: Graph, media_id: str) -> PostMetrics:
    found = {name: one_metric(graph, f"{media_id}/insights", name) for name in POST_METRICS}
    extra = {name: found[name] for name in ("reposts", "quotes")}
    return PostMetrics(
        likes=found["likes"] or 0,
        replies=found["replies"] or 0,
        shares=found["reposts"] or 0,
        views=found["views"],
        extra={name: value for name, value in extra.items() if value is not None},
        unavailable=frozenset(n for n in ("likes", "replies", "reposts") if found[n] is None),
    )


def account_figures(graph: Graph, user: str, now: datetime | None = None) -> dict[str, int]:
    """Followers, and the profile's views over the last day."""
    until = now or datetime.now(UTC)
    since = until - timedelta(days=1)
    figures = {
        "followers": one_metric(graph, f"{user}/threads_insights", "followers_count"),
        "views": one_metric(
            graph,
            f"{user}/threads_insights",
            "views",
            since=int(since.timestamp()),
            until=int(until.timestamp()),
        ),
    }
    return {name: value for name, value in figures.items() if value is not None}
