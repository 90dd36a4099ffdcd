"""Listening figures over a workspace and a period: what the mentions page shows beside the
stream, and what reports reuse.

Every figure is counted by the database (grouped aggregates), never by looping over mentions in
Python; only the top terms read texts, and at most ``TERMS_SAMPLE`` of the newest. Mentions the
classifier took for spam are left out of every figure (they still show in the stream, marked).
Each function takes the workspace and a :class:`~chorus.listening.mention_filter.MentionFilter`
(the period and the optional filters) and returns typed, frozen rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDay, TruncHour

from chorus.listening.mention_filter import MentionFilter
from chorus.listening.models import Mention, MentionMatch, QueryKind
from chorus.listening.terms import terms_of
from chorus.workspaces.models import Workspace

Step = Literal["day", "hour"]
TERMS_SAMPLE = 5000  # the newest texts read for top terms: enough for the words that matter
BRAND_KINDS = (QueryKind.BRAND, QueryKind.PRODUCT)
VOICE_KINDS = (QueryKind.BRAND, QueryKind.PRODUCT, QueryKind.COMPETITOR)


@dataclass(frozen=True)
class VolumePoint:
    start: datetime  # the bucket's start, in the workspace's time zone
    count: int


@dataclass(frozen=True)
class SentimentPoint:
    start: datetime
    positive: int
    neutral: int
    negative: int

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


@dataclass(frozen=True)
class NetSentiment:
    """net = (positive − negative) / (positive + negative), from −1 (all negative) to +1.

    ``value`` is None when no mention was positive or negative: there is nothing to weigh, and a
    0 would claim a balance nobody measured. Neutral mentions are counted but not weighed.
    """

    positive: int
    neutral: int
    negative: int
    value: float | None


@dataclass(frozen=True)
class VoiceShare:
    """share = this query's mentions / the mentions of all brand, product and competitor
    queries (a mention two of them matched counts for each)."""

    query_id: int
    name: str
    kind: str
    mentions: int
    share: float | None  # None when none of those queries has a mention in the period

    @property
    def is_ours(self) -> bool:
        return self.kind in BRAND_KINDS


@dataclass(frozen=True)
class TopAuthor:
    """An author by mentions in the period; reach is the largest audience a source gave for
    them (the mention's own figure, else the author's followers), None when none said."""

    author_id: int
    name: str
    handle: str
    network: str
    url: str
    mentions: int
    reach: int | None


@dataclass(frozen=True)
class TopTerm:
    term: str
    mentions: int  # mentions using the term (once per mention, however often it is repeated)


def _counted(workspace: Workspace, chosen: MentionFilter) -> QuerySet[Mention]:
    return chosen.mentions(workspace).filter(is_spam=False).order_by()


def choose_step(chosen: MentionFilter) -> Step:
    """Hours for a period of up to two days, days beyond."""
    return "hour" if chosen.days <= 2 else "day"


def volume_over_time(
    workspace: Workspace, chosen: MentionFilter, step: Step = "day"
) -> list[VolumePoint]:
    """Mentions per day (or hour) of the workspace's time zone; empty buckets are 0."""
    return [
        VolumePoint(point.start, point.total)
        for point in sentiment_over_time(workspace, chosen, step)
    ]


def sentiment_over_time(
    workspace: Workspace, chosen: MentionFilter, step: Step = "day"
) -> list[SentimentPoint]:
    """Positive, neutral and negative mentions per bucket (an unclassified one counts as
    neutral); buckets with nothing are there, at 0."""
    zone = ZoneInfo(workspace.timezone)
    trunc = TruncHour if step == "hour" else TruncDay
    rows = (
        _counted(workspace, chosen)
        .annotate(bucket=trunc("published_at", tzinfo=zone))
        .values("bucket")
        .annotate(
            positive=Count("pk", filter=Q(sentiment="positive")),
            negative=Count("pk", filter=Q(sentiment="negative")),
            total=Count("pk"),
        )
    )
    found = {
        _bucket_key(row["bucket"], zone, step): (row["positive"], row["negative"], row["total"])
        for row in rows
    }
    points = []
    for start in buckets(chosen, zone, step):
        positive, negative, total = found.get(_bucket_key(start, zone, step), (0, 0, 0))
        points.append(SentimentPoint(start, positive, total - positive - negative, negative))
    return points


def buckets(chosen: MentionFilter, zone: ZoneInfo, step: Step) -> list[datetime]:
    """Every bucket start of the period, in the workspace's zone (days follow its calendar,
    so a day of a DST change is still one bucket)."""
    if step == "hour":
        start = chosen.since.replace(minute=0, second=0, microsecond=0)
        count = int((chosen.until - start).total_seconds() // 3600) + 1
        moments = [start + timedelta(hours=n) for n in range(count)]
        return [m.astimezone(zone) for m in moments if m < chosen.until]
    first, last = chosen.since.astimezone(zone).date(), chosen.until.astimezone(zone).date()
    if chosen.until.astimezone(zone).time() == datetime.min.time():
        last -= timedelta(days=1)  # until is excluded: ending at midnight ends the day before
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [datetime.combine(day, datetime.min.time(), tzinfo=zone) for day in days]


def _bucket_key(moment: datetime | date, zone: ZoneInfo, step: Step) -> object:
    if not isinstance(moment, datetime):
        return moment
    local = moment.astimezone(zone)
    return local.date() if step == "day" else local.replace(minute=0, second=0, microsecond=0)


def net_sentiment(workspace: Workspace, chosen: MentionFilter) -> NetSentiment:
    """(positive − negative) / (positive + negative); None when positive + negative = 0."""
    counts = _counted(workspace, chosen).aggregate(
        positive=Count("pk", filter=Q(sentiment="positive")),
        negative=Count("pk", filter=Q(sentiment="negative")),
        total=Count("pk"),
    )
    positive, negative = counts["positive"], counts["negative"]
    weighed = positive + negative
    value = (positive - negative) / weighed if weighed else None
    return NetSentiment(positive, counts["total"] - weighed, negative, value)


def share_of_voice(workspace: Workspace, chosen: MentionFilter) -> list[VoiceShare]:
    """Each brand, product and competitor query's mentions / all of theirs, biggest first.

    Every filter applies except the query filter: a share among one query would always be 100 %.
    """
    kept = chosen.narrow(Mention.objects.filter(workspace=workspace, is_spam=False), by_query=False)
    rows = (
        MentionMatch.objects.filter(
            workspace=workspace,
            query__kind__in=VOICE_KINDS,
            mention__in=kept.order_by().values("pk"),
        )
        .values("query_id", "query__name", "query__kind")
        .annotate(mentions=Count("pk"))
        .order_by("-mentions", "query__name")
    )
    listed = list(rows)
    total = sum(row["mentions"] for row in listed)
    return [
        VoiceShare(
            row["query_id"],
            row["query__name"],
            row["query__kind"],
            row["mentions"],
            row["mentions"] / total if total else None,
        )
        for row in listed
    ]


def top_authors(workspace: Workspace, chosen: MentionFilter, limit: int = 10) -> list[TopAuthor]:
    """Authors with the most mentions in the period (ties: the larger reach first)."""
    rows = (
        _counted(workspace, chosen)
        .filter(author__isnull=False)
        .values(
            "author_id",
            "author__display_name",
            "author__handle",
            "author__network",
            "author__url",
        )
        .annotate(
            mentions=Count("pk"),
            reach=Max(Coalesce(F("reach"), F("author__followers"))),
        )
        .order_by("-mentions", F("reach").desc(nulls_last=True), "author_id")[:limit]
    )
    return [
        TopAuthor(
            row["author_id"],
            row["author__display_name"] or row["author__handle"],
            row["author__handle"],
            row["author__network"],
            row["author__url"],
            row["mentions"],
            row["reach"],
        )
        for row in rows
    ]


def top_terms(workspace: Workspace, chosen: MentionFilter, limit: int = 15) -> list[TopTerm]:
    """Words used by the most mentions (of the newest ``TERMS_SAMPLE``), without stop-words
    (English and French), links, @handles, numbers and words of fewer than three letters."""
    texts = _counted(workspace, chosen).order_by("-published_at").values_list("title", "text")
    counted: Counter[str] = Counter()
    for title, text in texts[:TERMS_SAMPLE].iterator(chunk_size=1000):
        counted.update(set(terms_of(f"{title} {text}")))
    return [TopTerm(term, n) for term, n in counted.most_common(limit)]
