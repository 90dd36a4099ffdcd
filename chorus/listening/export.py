"""The mentions as CSV, one row per mention, safe for spreadsheets.

Times are written in the workspace's time zone from the zone itself (the rows are produced while
the response streams, after the middleware put the default zone back). Every cell goes through
``safe_cell``: a mention's text is anyone's, and a spreadsheet runs a cell starting with = + - @
as a formula (invariant 3).
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from chorus.core.links import safe_url
from chorus.core.spreadsheet import safe_cell
from chorus.listening.models import Mention, MentionMatch

EXPORT_LIMIT = 50_000


def mention_rows(found: QuerySet[Mention], zone: ZoneInfo) -> Iterator[list[str]]:
    """A header, then one row per mention of ``found`` (newest first)."""
    yield [
        _("Published"), _("Network"), _("Source"), _("Author"), _("Handle"), _("Reach"),
        _("Language"), _("Sentiment"), _("Queries"), _("Assignee"), _("Labels"), _("Title"),
        _("Text"), _("Link"),
    ]  # fmt: skip
    matches = MentionMatch.objects.select_related("query").order_by("query__name")
    query = found.select_related("source", "author", "assignee").prefetch_related(
        "labels", Prefetch("matches", queryset=matches)
    )
    for mention in query[:EXPORT_LIMIT].iterator(chunk_size=1000):
        yield [safe_cell(cell) for cell in _cells(mention, zone)]


def _cells(mention: Mention, zone: ZoneInfo) -> list[object]:
    author = mention.author
    return [
        mention.published_at.astimezone(zone).isoformat(),
        mention.network,
        mention.source.name if mention.source else "",
        (author.display_name if author else "") or "",
        author.handle if author else "",
        "" if mention.reach is None else mention.reach,
        mention.language,
        mention.sentiment,
        ", ".join(match.query.name for match in mention.matches.all()),
        mention.assignee or "",
        ", ".join(label.name for label in mention.labels.all()),
        mention.title,
        mention.text,
        safe_url(mention.url),
    ]
