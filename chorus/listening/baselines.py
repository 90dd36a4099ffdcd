"""What a query's window usually holds at this hour of the week: the baseline of spike alerts.

A window is 15 minutes. Its baseline is the median, over comparable periods, of the mentions in
the same clock hour (14:00–15:00 for a window ending at 14:50), divided by four (the hour smooths
chance, the median ignores one odd period):

- the same hour of the week over the previous 4 weeks, once the query has 3 full weeks of
  history (weekends and nights differ from weekday mornings);
- else the same hour of the day over the previous days it has heard (up to 7);
- else, for a query younger than a day (still learning its rhythm), the higher of its average
  rate since its first mention and its busiest hour so far, so a morning is not news to a query
  that was created at night.

Baselines change only when the hour changes, so each is computed once per query per hour and
kept in memory: a batch costs one count of the current window, not a scan of history.
"""

from __future__ import annotations

import statistics
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncHour

from chorus.listening.models import ListeningQuery, MentionMatch

WINDOW = timedelta(minutes=15)
SPAN = timedelta(hours=1)  # each comparable period contributes the hour around the same moment
WEEK, DAY = timedelta(days=7), timedelta(days=1)
WEEKS, MIN_WEEKS, DAYS = 4, 3, 7
_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Baseline:
    volume: float  # expected mentions in one window
    negative: float  # expected negative mentions in one window
    method: str  # "week" (hour of the week), "day" (hour of the day), "recent", or "none"
    periods: int  # how many comparable periods the median was taken over
    # Per-period rates, so the alert page can show what the median was taken of.
    volume_samples: tuple[float, ...] = field(default=())
    negative_samples: tuple[float, ...] = field(default=())


_cache: OrderedDict[tuple[int, datetime, datetime], Baseline] = OrderedDict()


def hour_of(moment: datetime) -> datetime:
    """The start of the clock hour a moment falls in (UTC, so every time zone agrees)."""
    return moment.replace(minute=0, second=0, microsecond=0)


def baseline_for(query: ListeningQuery, moment: datetime) -> Baseline:
    """The baseline of the window ending at ``moment`` (cached per query and hour)."""
    key = (query.pk, query.created_at, hour_of(moment))
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    baseline = _compute(query, key[2])
    _cache[key] = baseline
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return baseline


def forget() -> None:
    """Drop every cached baseline (tests that rewrite history in place)."""
    _cache.clear()


def _spans(hour: datetime, period: timedelta, count: int) -> list[tuple[datetime, datetime]]:
    """The same clock hour, one, two… periods (days or weeks) back."""
    return [(hour - k * period, hour - k * period + SPAN) for k in range(1, count + 1)]


def _compute(query: ListeningQuery, hour: datetime) -> Baseline:
    first = MentionMatch.objects.filter(query=query, published_at__lt=hour).aggregate(
        first=Min("published_at")
    )["first"]
    if first is None:
        return Baseline(0.0, 0.0, "none", 0)
    weekly = [span for span in _spans(hour, WEEK, WEEKS) if span[0] >= first]
    if len(weekly) >= MIN_WEEKS:
        return _median_of(query, weekly, "week")
    daily = [span for span in _spans(hour, DAY, DAYS) if span[0] >= first]
    if daily:
        return _median_of(query, daily, "day")
    return _recent_rate(query, first, hour)


def _median_of(
    query: ListeningQuery, spans: list[tuple[datetime, datetime]], method: str
) -> Baseline:
    """One query counts every period at once (the ``match_window`` index serves each range)."""
    ranges = [Q(published_at__gte=start, published_at__lt=end) for start, end in spans]
    anywhere = ranges[0]
    for each in ranges[1:]:
        anywhere |= each
    counts = {f"v{i}": Count("pk", filter=r) for i, r in enumerate(ranges)}
    counts |= {f"n{i}": Count("pk", filter=r & Q(negative=True)) for i, r in enumerate(ranges)}
    found = MentionMatch.objects.filter(anywhere, query=query).aggregate(**counts)
    per_window = SPAN / WINDOW
    volume = tuple(found[f"v{i}"] / per_window for i in range(len(spans)))
    negative = tuple(found[f"n{i}"] / per_window for i in range(len(spans)))
    return Baseline(
        statistics.median(volume), statistics.median(negative), method, len(spans), volume, negative
    )


def _recent_rate(query: ListeningQuery, first: datetime, hour: datetime) -> Baseline:
    hours = (
        MentionMatch.objects.filter(query=query, published_at__gte=first, published_at__lt=hour)
        .annotate(hour=TruncHour("published_at"))
        .values("hour")
        .annotate(volume=Count("pk"), negative=Count("pk", filter=Q(negative=True)))
    )
    volumes = [(row["volume"], row["negative"]) for row in hours]
    windows = max(1.0, (hour - first) / WINDOW)
    per_window = SPAN / WINDOW

    def rate(i: int) -> float:
        total = sum(v[i] for v in volumes)
        return max(total / windows, max((v[i] for v in volumes), default=0) / per_window)

    return Baseline(rate(0), rate(1), "recent", 1)
