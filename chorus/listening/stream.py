"""The stream of mentions: one page at a time, newest first, and what tells an open page that
new mentions arrived.

Pages follow a cursor (published time and id of the last row), not an offset: mentions arriving
while someone reads never shift the next page nor show a row twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Prefetch, Q, QuerySet

from chorus.listening.models import Mention, MentionMatch
from chorus.workspaces.models import Workspace

PAGE_SIZE = 25


def with_row_details(found: QuerySet[Mention]) -> QuerySet[Mention]:
    """What a row shows, in a fixed number of queries whatever the page's length."""
    matches = MentionMatch.objects.select_related("query").order_by("query__name")
    return found.select_related("source", "author", "assignee", "conversation").prefetch_related(
        "labels", Prefetch("matches", queryset=matches)
    )


def encode_cursor(mention: Mention) -> str:
    return f"{int(mention.published_at.timestamp() * 1_000_000)}.{mention.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    micros, _dot, pk = cursor.partition(".")
    if not (micros.isdigit() and pk.isdigit() and len(micros) < 19 and len(pk) < 19):
        return None
    try:
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (OverflowError, ValueError, OSError):
        return None


def page(found: QuerySet[Mention], cursor: str = "") -> tuple[list[Mention], str]:
    """One page after ``cursor`` and the cursor of the next page ("" at the end)."""
    after = decode_cursor(cursor) if cursor else None
    if after:
        at, pk = after
        found = found.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    rows = list(with_row_details(found)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (encode_cursor(rows[-1]) if more and rows else "")


def change_stamp(workspace: Workspace) -> str:
    """Changes when a mention is stored in the workspace (the newest id: ids only grow), for
    an open stream to poll; one index read."""
    newest = (
        Mention.objects.filter(workspace=workspace)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return str(newest or 0)
