"""Bar charts drawn on the server as SVG: the geometry here, the drawing in the template.

No chart library and no script: the page works without JavaScript, under the strict
Content-Security-Policy, and every chart comes with the table of its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chorus.listening.figures import SentimentPoint

WIDTH = 600
HEIGHT = 150
TOP = 10  # room above the tallest bar
MAX_LABELS = 7  # x-axis labels; more would overlap


@dataclass(frozen=True)
class Segment:
    kind: str  # "positive" / "neutral" / "negative", or "volume"
    y: float
    height: float
    count: int


@dataclass(frozen=True)
class Bar:
    start: datetime
    x: float
    width: float
    total: int
    segments: tuple[Segment, ...]
    labelled: bool  # carries an x-axis label
    label_x: float


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    peak: int  # the tallest bar's count, written on the y axis
    width: int = WIDTH
    height: int = HEIGHT


def _stack(parts: list[tuple[str, int]], scale: float) -> tuple[Segment, ...]:
    """Segments from the bottom up (positive at the base, negative on top)."""
    segments, y = [], float(HEIGHT)
    for kind, count in parts:
        height = round(count * scale, 2)
        y = round(y - height, 2)
        segments.append(Segment(kind, y, height, count))
    return tuple(segments)


def stacked_chart(points: list[SentimentPoint], *, by_sentiment: bool) -> Chart:
    """One bar per bucket: split by sentiment, or one volume block."""
    peak = max((point.total for point in points), default=0)
    scale = (HEIGHT - TOP) / peak if peak else 0.0
    slot = WIDTH / max(len(points), 1)
    every = max(1, -(-len(points) // MAX_LABELS))  # ceiling division
    bars = []
    for n, point in enumerate(points):
        parts = (
            [("positive", point.positive), ("neutral", point.neutral), ("negative", point.negative)]
            if by_sentiment
            else [("volume", point.total)]
        )
        x = round(n * slot + slot * 0.1, 2)
        bars.append(
            Bar(
                start=point.start,
                x=x,
                width=round(slot * 0.8, 2),
                total=point.total,
                segments=_stack(parts, scale),
                labelled=n % every == 0,
                label_x=round(n * slot + slot / 2, 2),
            )
        )
    return Chart(tuple(bars), peak)
