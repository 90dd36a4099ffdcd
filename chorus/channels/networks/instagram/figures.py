"""An Instagram post's and account's figures, with Meta's 2025+ names.

One metric per request: a metric Meta retired (``impressions`` in 2025) makes a whole batch
fail, so each is asked alone and one refusal loses only that figure. A figure Meta does not
give (too few viewers, a metric the kind of post has not) is left out, shown as not available,
never as 0.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import PostMetrics
from chorus.channels.errors import Permanent
from chorus.channels.networks.meta.graph import Graph

POST_INSIGHTS = ("views", "reach", "saved", "shares", "total_interactions")
ACCOUNT_INSIGHTS = ("reach", "views", "accounts_engaged", "total_interactions")


class Figures:
    """Mixed into the connection, which gives ``graph`` and ``ig_user_id``."""

    graph: Graph

    def ig_user_id(self) -> str:
        raise NotImplementedError  # the connection's

    def metrics(self, remote_id: str) -> PostMetrics:
        media = self.graph.get(remote_id, fields="id,like_count,comments_count")
        found = {
            name: value
            for name in POST_INSIGHTS
            if (value := self._insight(remote_id, name, period="lifetime")) is not None
        }
        return PostMetrics(
            likes=_count(media.get("like_count")),
            replies=_count(media.get("comments_count")),
            shares=found.pop("shares", None),
            views=found.pop("views", None),
            extra=found,  # reach, saved, total_interactions: each only when Meta gave it
        )

    def audience(self) -> dict[str, int]:
        """The account's figures for the last day, each asked alone."""
        return {
            name: value
            for name in ACCOUNT_INSIGHTS
            if (
                value := self._insight(
                    self.ig_user_id(), name, period="day", metric_type="total_value"
                )
            )
            is not None
        }

    def _insight(self, object_id: str, metric: str, **params: Any) -> int | None:
        try:
            answer = self.graph.get(f"{object_id}/insights", metric=metric, **params)
        except Permanent:  # retired, not for this kind of post, or not enough viewers yet
            return None
        return insight_value(answer, metric)


def insight_value(answer: dict[str, Any], metric: str) -> int | None:
    """The value of ``metric`` in an insights answer: ``total_value.value`` (2023+ shape) or
    the latest of ``values``; None when it is not there."""
    for entry in answer.get("data") or []:
        if not isinstance(entry, dict) or entry.get("name") != metric:
            continue
        total = entry.get("total_value")
        if isinstance(total, dict) and (value := _count(total.get("value"))) is not None:
            return value
        values = [v for v in entry.get("values") or [] if isinstance(v, dict)]
        if values:
            return _count(values[-1].get("value"))
    return None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
