"""Mentions and their matches written straight to the tables, for spike and alert tests.

Spike detection reads ``MentionMatch`` rows only; storing them here (rather than through ingest)
lets a test lay down weeks of history in one statement and then store the batch that matters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from chorus.listening import spikes
from chorus.listening.models import Alert, ListeningQuery, Mention, MentionMatch
from chorus.listening.stored import StoredBatch
from chorus.people.models import Author
from chorus.workspaces.models import Workspace

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday, 00:00 UTC
_ids = itertools.count(1)


def query(workspace: Workspace, name: str = "Acme", **fields: object) -> ListeningQuery:
    return ListeningQuery.objects.create(
        workspace=workspace, name=name, kind="brand", expression=name.lower(), **fields
    )


def author(workspace: Workspace, handle: str, followers: int = 0) -> Author:
    return Author.objects.create(
        workspace=workspace,
        network="mastodon",
        remote_id=handle,
        handle=handle,
        display_name=handle.title(),
        url=f"https://social.example/@{handle}",
        followers=followers,
    )


def mentions(
    q: ListeningQuery,
    times: Iterable[datetime],
    *,
    text: str = "acme shoes look nice",
    negative: bool = False,
    by: Author | None = None,
    reach: int | None = None,
) -> list[Mention]:
    """One mention matched by ``q`` at each time, written in two statements."""
    made = Mention.objects.bulk_create(
        Mention(
            workspace_id=q.workspace_id,
            network="mastodon",
            remote_id=f"post-{next(_ids)}",
            text=text,
            author=by,
            reach=reach,
            published_at=at,
            sentiment="negative" if negative else "neutral",
        )
        for at in times
    )
    MentionMatch.objects.bulk_create(
        MentionMatch(
            workspace_id=q.workspace_id,
            query=q,
            mention=m,
            published_at=m.published_at,
            negative=negative,
        )
        for m in made
    )
    return made


def every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    times, at = [], start
    while at < end:
        times.append(at)
        at += step
    return times


def burst(end: datetime, count: int, minutes: int = 10) -> list[datetime]:
    """``count`` times spread evenly over the ``minutes`` before ``end`` (the last one at end)."""
    step = timedelta(minutes=minutes) / count
    return [end - step * i for i in range(count)]


def store(q: ListeningQuery, made: list[Mention]) -> list[Alert]:
    """What ingest does once a batch is committed: hand it to spike detection."""
    batch = StoredBatch(
        workspace_id=q.workspace_id,
        source_id=None,
        mention_ids=[m.pk for m in made],
        matched_query_ids=[q.pk],
        stored_at=timezone.now(),
    )
    return spikes.check_after_batch(batch)


def spike_alert(workspace: Workspace, name: str = "Acme") -> Alert:
    """A real alert, raised by spike detection on a steady week and a burst of complaints."""
    q = query(workspace, name)
    start = MONDAY
    mentions(q, every(start, start + timedelta(days=7), timedelta(minutes=7, seconds=30)))
    end = start + timedelta(days=7, hours=2)
    fan = author(workspace, "angryfan", followers=5000)
    made = mentions(
        q, burst(end, 30), text="acme refund <script>alert(1)</script>", by=fan, reach=5000
    )
    (alert,) = store(q, made)
    return alert
