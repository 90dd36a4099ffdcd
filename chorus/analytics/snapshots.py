"""A post's figures as they were read over time (its snapshots), for the post's own page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chorus.analytics.models import POST_FIGURES, PostMetrics, PostSnapshot
from chorus.analytics.network_figures import engagements, figures_of_network

MAX_SNAPSHOTS = 200  # a decaying schedule reads a post a handful of times; this is a ceiling


@dataclass(frozen=True)
class Reading:
    taken_at: datetime
    age_hours: int
    values: tuple[int | None, ...]  # in the order of ``History.columns``
    engagements: int | None


@dataclass(frozen=True)
class History:
    columns: tuple[str, ...]  # the figures this post's network gives
    readings: tuple[Reading, ...]  # oldest first


def history_of(row: PostMetrics) -> History:
    """Every reading of the post (same workspace as ``row``, so never another's)."""
    snapshots = list(
        PostSnapshot.objects.filter(
            workspace_id=row.workspace_id, target_id=row.target_id
        ).order_by("taken_at")[:MAX_SNAPSHOTS]
    )
    read = [{name: getattr(snap, name) for name in POST_FIGURES} for snap in snapshots]
    given = figures_of_network(row.network).post_figures
    columns = tuple(
        name
        for name in POST_FIGURES
        if name in given or any(values[name] is not None for values in read)
    )
    readings = tuple(
        Reading(
            snap.taken_at,
            snap.age_hours,
            tuple(values[name] for name in columns),
            engagements(row.network, values),
        )
        for snap, values in zip(snapshots, read, strict=True)
    )
    return History(columns, readings)
