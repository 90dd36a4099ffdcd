"""A Page post's figures: reactions, comments and shares from the post's own fields, and views
from its insights.

Meta retired ``impressions`` on Pages (November 2025); ``post_media_view`` is the views figure
that replaced it. Insights are asked for one metric per request: a retired name makes a whole
request fail, and the others must survive it. A figure Meta does not give (too few viewers, a
metric refused) is None, shown as "not available", never 0.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import PostMetrics
from chorus.channels.errors import Permanent
from chorus.channels.networks.meta.graph import Graph

VIEWS_METRIC = "post_media_view"
# Reactions by kind (a like is one kind among seven): each asked for as its own alias, summed.
REACTION_KINDS = ("like", "love", "care", "wow", "haha", "sad", "angry")
COUNT_FIELDS = ",".join(
    [
        *(
            f"reactions.type({kind.upper()}).limit(0).summary(total_count).as({kind})"
            for kind in REACTION_KINDS
        ),
        "comments.limit(0).summary(total_count)",
        "shares",
    ]
)


def post_metrics_of(graph: Graph, post_id: str) -> PostMetrics:
    """Raises Permanent when the post is gone (the figures reader lists it as missing)."""
    post = graph.get(post_id, fields=COUNT_FIELDS)
    return PostMetrics(
        likes=sum(_summary_count(post.get(kind)) or 0 for kind in REACTION_KINDS),
        replies=_summary_count(post.get("comments")) or 0,
        shares=int((post.get("shares") or {}).get("count") or 0),
        views=insight_value(graph, post_id, VIEWS_METRIC),
    )


def _summary_count(edge: Any) -> int | None:
    count = (
        ((edge or {}).get("summary") or {}).get("total_count") if isinstance(edge, dict) else None
    )
    return count if isinstance(count, int) else None


def insight_value(
    graph: Graph, object_id: str, metric: str, period: str = "lifetime"
) -> int | None:
    """One metric's latest value, or None when Meta has none to give for it."""
    try:
        answer = graph.get(f"{object_id}/insights", metric=metric, period=period)
    except Permanent:
        return None  # a metric refused for this object (too few viewers, retired): no figure
    for entry in answer.get("data") or []:
        values = entry.get("values") if isinstance(entry, dict) else None
        if isinstance(values, list) and values:
            value = values[-1].get("value") if isinstance(values[-1], dict) else None
            if isinstance(value, int):
                return value
    return None
