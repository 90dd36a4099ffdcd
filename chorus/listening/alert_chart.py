"""The counts of a query's windows around an alert, as a table and as a small server-drawn SVG
bar chart (no script: the page's Content-Security-Policy allows none inline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from chorus.listening.baselines import WINDOW
from chorus.listening.models import Alert, MentionMatch
from chorus.listening.models.alerts import AlertKind

BEFORE, AFTER = 32, 8  # windows shown before the alert's (8 hours) and after it (2 hours)
WIDTH, HEIGHT, GAP = 640, 160, 2


@dataclass(frozen=True)
class Bar:
    start: datetime
    end: datetime
    count: int
    is_alert: bool
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    threshold_y: float
    baseline_y: float
    width: int = WIDTH
    height: int = HEIGHT


def window_counts(alert: Alert) -> list[tuple[datetime, datetime, int]]:
    """(start, end, count) of each window, aligned on the alert's own, up to now."""
    first = alert.window_end - WINDOW * (BEFORE + 1)
    last = min(alert.window_end + WINDOW * AFTER, max(timezone.now(), alert.window_end))
    times = MentionMatch.objects.filter(
        query_id=alert.query_id, published_at__gt=first, published_at__lte=last
    )
    if alert.kind == AlertKind.NEGATIVE:
        times = times.filter(negative=True)
    counts = [0] * (BEFORE + 1 + AFTER)
    for at in times.values_list("published_at", flat=True):
        index = _index(first, at)
        if 0 <= index < len(counts):
            counts[index] += 1
    windows = [(first + WINDOW * i, first + WINDOW * (i + 1), n) for i, n in enumerate(counts)]
    return [w for w in windows if w[0] < last]


def _index(first: datetime, at: datetime) -> int:
    # Windows are (start, end]: a mention exactly at a window's end belongs to it.
    offset = (at - first) / WINDOW
    whole = int(offset)
    return whole - 1 if offset == whole else whole


def chart(alert: Alert, windows: list[tuple[datetime, datetime, int]]) -> Chart:
    top = max([alert.threshold, alert.baseline, *(n for _, _, n in windows)], default=1) or 1
    step = WIDTH / max(len(windows), 1)
    bars = []
    for i, (start, end, count) in enumerate(windows):
        height = HEIGHT * count / top
        bars.append(
            Bar(
                start,
                end,
                count,
                end == alert.window_end,
                round(i * step + GAP / 2, 1),
                round(HEIGHT - height, 1),
                round(step - GAP, 1),
                round(height, 1),
            )
        )
    return Chart(bars, _y(alert.threshold, top), _y(alert.baseline, top))


def _y(value: float, top: float) -> float:
    return round(HEIGHT - HEIGHT * value / top, 1)
