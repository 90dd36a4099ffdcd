"""Charts drawn as SVG for the preview page and the PDF (WeasyPrint renders SVG natively).

No CDN and no script: plain SVG with presentation attributes (the page's strict
Content-Security-Policy allows no inline style). Labels are escaped: a channel's name is text
someone else chose. Bars start at 0; a line starts a little under its lowest point so a change
of followers shows, and the axis says where it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from chorus.analytics.reports.content import Chart, Series

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 44
COLOURS = ("#4f46e5", "#10b981", "#ef4444", "#f59e0b", "#0ea5e9")
LABELS_SHOWN = 10  # category labels under the axis at most; the table has every figure
MUTED = 'font-size="10" fill="#6b7280"'


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    count: int

    def x(self, index: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (index + 0.5) / max(self.count, 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


def scale_of(chart: Chart) -> Scale:
    values = [v for s in chart.series for v in s.values if v is not None] or [0.0]
    high, low = max(values), min(values)
    if chart.kind == "bar" or high == low:
        low = min(0.0, low)
    else:
        low = max(0.0, low - (high - low) * 0.15)
    return Scale(low, high if high > low else low + 1, len(chart.categories))


def draw(chart: Chart) -> SafeString:
    scale = scale_of(chart)
    parts = [axis(scale, chart)]
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        if chart.kind == "line":
            parts.append(line(series, scale, colour))
        else:
            parts.append(bars(series, scale, colour, number, len(chart.series)))
    parts.append(legend(chart))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
        f"<title>{escape(chart.title)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- numbers we computed, and every text escaped above


def axis(scale: Scale, chart: Chart) -> str:
    base = HEIGHT - BOTTOM
    marks = [
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#d1d5db"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="#f3f4f6"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" {MUTED}>{tick(scale.high)}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" {MUTED}>{tick(scale.low)}</text>',
    ]
    step = max(1, -(-scale.count // LABELS_SHOWN))
    for index in range(0, scale.count, step):
        marks.append(
            f'<text x="{scale.x(index):.1f}" y="{base + 14}" text-anchor="middle" {MUTED}>'
            f"{escape(chart.categories[index])}</text>"
        )
    return "".join(marks)


def tick(value: float) -> str:
    return number_format(round(value), use_l10n=True, force_grouping=True)


def line(series: Series, scale: Scale, colour: str) -> str:
    """A line through the known points, a dot on each; a missing day breaks the line (never 0)."""
    runs: list[list[str]] = [[]]
    dots = []
    for index, value in enumerate(series.values):
        if value is None:
            runs.append([])
            continue
        x, y = scale.x(index), scale.y(value)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
    lines = [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
        for run in runs
        if len(run) > 1
    ]
    return "".join(lines + dots)


def bars(series: Series, scale: Scale, colour: str, number: int, of: int) -> str:
    slot = (WIDTH - LEFT - RIGHT) / max(scale.count, 1)
    width = max(slot * 0.7 / of, 1.0)
    base = scale.y(scale.low)
    drawn = []
    for index, value in enumerate(series.values):
        if not value:
            continue
        x = scale.x(index) - slot * 0.35 + number * width
        y = scale.y(value)
        drawn.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{base - y:.1f}" '
            f'fill="{colour}"/>'
        )
    return "".join(drawn)


def legend(chart: Chart) -> str:
    if len(chart.series) < 2:
        return ""
    items = []
    for number, series in enumerate(chart.series):
        x = LEFT + number * 150
        items.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" '
            f'fill="{COLOURS[number % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="10" fill="#374151">'
            f"{escape(series.name)}</text>"
        )
    return "".join(items)
