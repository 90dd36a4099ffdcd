"""Server-side SVG charts: line, bars, stacked bars, and the best-times heatmap.

No CDN and no script: the SVG is drawn here and pasted into the page (or the PDF report, which
WeasyPrint draws). Colours are presentation attributes, not inline styles, so the strict
Content-Security-Policy holds. Each chart has a <title> and <desc> and is always shown next to
the table of its numbers. Every text in the SVG is escaped: channel names come from networks.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from chorus.analytics.best_times import BestTimes

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 30
BRAND = "#4f46e5"
GRID = "#e5e7eb"
INK = "#6b7280"
HEAT = ("#eef2ff", "#c7d2fe", "#a5b4fc", "#818cf8", "#6366f1", "#4338ca")
EMPTY = "#f3f4f6"


@dataclass(frozen=True)
class Series:
    """One coloured series of a stacked chart."""

    name: str
    colour: str
    values: tuple[float | None, ...]


def _open(title: str, desc: str, width: int = WIDTH, height: int = HEIGHT) -> list[str]:
    key = uuid.uuid4().hex[:8]
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="t{key} d{key}" font-family="sans-serif" font-size="11">',
        f'<title id="t{key}">{escape(title)}</title><desc id="d{key}">{escape(desc)}</desc>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def nice_top(value: float) -> float:
    """A round number at or above ``value`` for the top of the axis (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def short(value: float) -> str:
    """1234 -> 1.2k, in the reader's number format."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{number_format(value / size, 1)}{suffix}"
    return number_format(value, 0 if float(value).is_integer() else 1)


def _grid(top: float, low: float = 0.0) -> list[str]:
    parts, inner = [], HEIGHT - TOP - BOTTOM
    for n in range(5):
        y = TOP + inner - inner * n / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(short(low + (top - low) * n / 4))}</text>"
        )
    return parts


def line_floor(values: Sequence[float]) -> float:
    """Where a line's axis starts: 0, unless every value sits high above it (followers), so a
    change of a few percent is visible; the axis labels always say where it starts."""
    if not values or min(values) <= 0.5 * max(values):
        return 0.0
    spread = max(values) - min(values) or max(values) * 0.05
    step = nice_top(spread / 2)
    return max(math.floor((min(values) - spread * 0.1) / step) * step, 0.0)


def _x_labels(labels: Sequence[str], step_x: float, centred: bool) -> list[str]:
    every = max(1, math.ceil(len(labels) / 8))
    parts = []
    for i, label in enumerate(labels):
        if i % every:
            continue
        x = LEFT + step_x * (i + (0.5 if centred else 0))
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    return parts


def _y(value: float, top: float, low: float = 0.0) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner - inner * (value - low) / (top - low)


def line_chart(title: str, desc: str, points: Sequence[tuple[str, float | None]]) -> SafeString:
    """A line over the points; a None point breaks the line (no count that day, not a zero)."""
    parts = _open(title, desc)
    known = [v for _, v in points if v is not None]
    low = line_floor(known)
    top = low + nice_top(max(known, default=0) - low)
    parts += _grid(top, low)
    step = (WIDTH - LEFT - RIGHT) / max(len(points) - 1, 1)
    runs: list[list[str]] = [[]]
    for i, (_, value) in enumerate(points):
        if value is None:
            runs.append([])
            continue
        runs[-1].append(f"{LEFT + step * i:.1f},{_y(value, top, low):.1f}")
    for run in runs:
        if len(run) == 1:
            x, y = run[0].split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{BRAND}"/>')
        elif run:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{BRAND}" '
                'stroke-width="2" stroke-linejoin="round"/>'
            )
    parts += _x_labels([label for label, _ in points], step, centred=False)
    return _close(parts)


def bar_chart(title: str, desc: str, bars: Sequence[tuple[str, float | None]]) -> SafeString:
    """Vertical bars; a bar with no figure is left empty (not drawn as 0)."""
    series = Series(title, BRAND, tuple(v for _, v in bars))
    return stacked_bars(title, desc, [label for label, _ in bars], [series])


def stacked_bars(
    title: str, desc: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    parts = _open(title, desc)
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = nice_top(max(totals, default=0))
    if all(float(t).is_integer() for t in totals) and top < 20:
        top = float(math.ceil(top / 4) * 4)  # counts: whole numbers on the four grid lines
    parts += _grid(top)
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = max(step * 0.7, 1)
    for i in range(len(labels)):
        base = 0.0
        for s in series:
            value = s.values[i]
            if not value:
                continue
            x, y = LEFT + step * i + (step - width) / 2, _y(base + value, top)
            height = _y(base, top) - y
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'fill="{s.colour}"><title>{escape(labels[i])} · {escape(s.name)}: '
                f"{escape(short(value))}</title></rect>"
            )
            base += value
    parts += _x_labels(labels, step, centred=True)
    return _close(parts)


def heatmap(title: str, desc: str, found: BestTimes, day_names: Sequence[str]) -> SafeString:
    """Seven rows (Monday first) of 24 hours; darker is more engagement, grey is too few posts."""
    cell, left, top_pad = 24, 44, 18
    parts = _open(title, desc, left + 24 * cell + 4, top_pad + 7 * cell + 4)
    best = found.best or 0
    for hour in range(0, 24, 3):
        x = left + hour * cell + cell / 2
        parts.append(f'<text x="{x}" y="12" text-anchor="middle" fill="{INK}">{hour:02d}</text>')
    for day in range(7):
        y = top_pad + day * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" fill="{INK}">'
            f"{escape(day_names[day])}</text>"
        )
        for hour in range(24):
            slot = found.slot(day, hour)
            parts.append(
                _heat_cell(
                    left + hour * cell,
                    y,
                    cell,
                    slot.median,
                    best,
                    slot.posts,
                    f"{day_names[day]} {hour:02d}:00",
                )
            )
    return _close(parts)


def _heat_cell(
    x: int, y: int, cell: int, median: float | None, best: float, posts: int, label: str
) -> str:
    if median is None:
        colour, figure = EMPTY, "–"
    else:
        level = min(int(median / best * (len(HEAT) - 1) + 0.5), len(HEAT) - 1) if best else 0
        colour, figure = HEAT[level], short(median)
    return (
        f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="3" '
        f'fill="{colour}"><title>{escape(label)}: {escape(figure)} ({posts})</title></rect>'
    )
