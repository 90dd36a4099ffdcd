"""Charts drawn as SVG for the preview page and the PDF (WeasyPrint renders SVG natively).

No CDN and no script: plain SVG with presentation attributes and classes (the page's strict
Content-Security-Policy allows no inline style). Labels are escaped: a channel's name is text
someone else chose.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from chorus.analytics.reports.content import Chart

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
COLOURS = ("#4f46e5", "#10b981", "#ef4444", "#f59e0b", "#0ea5e9")
LABELS_SHOWN = 10  # category labels under the axis at most; the table has every one


def draw(chart: Chart) -> SafeString:
    values = [v for s in chart.series for v in s.values if v is not None]
    top = max(values + [0.0]) or 1.0
    parts = [axis(top, chart)]
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        if chart.kind == "line":
            parts.append(line(series.values, top, colour))
        else:
            parts.append(bars(series.values, top, colour, number, len(chart.series)))
    parts.append(legend(chart))
    title = escape(chart.title)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
        f'<title>{title}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 -- numbers we computed, and text escaped above


def x_of(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + inner * (index + 0.5) / max(count, 1)


def y_of(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def axis(top: float, chart: Chart) -> str:
    base = HEIGHT - BOTTOM
    marks = [
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#d1d5db"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="10" '
        f'fill="#6b7280">{top:,.0f}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="10" fill="#6b7280">0</text>',
    ]
    count = len(chart.categories)
    step = max(1, -(-count // LABELS_SHOWN))
    for index in range(0, count, step):
        marks.append(
            f'<text x="{x_of(index, count):.1f}" y="{base + 14}" text-anchor="middle" '
            f'font-size="10" fill="#6b7280">{escape(chart.categories[index])}</text>'
        )
    return "".join(marks)


def line(values: tuple[float | None, ...], top: float, colour: str) -> str:
    """A line through the known points; a missing day breaks the line rather than dropping to 0."""
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        runs[-1].append(f"{x_of(index, len(values)):.1f},{y_of(value, top):.1f}")
    return "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
        for run in runs
        if run
    )


def bars(values: tuple[float | None, ...], top: float, colour: str, number: int, of: int) -> str:
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    width = max(slot * 0.7 / of, 1.0)
    drawn = []
    for index, value in enumerate(values):
        if not value:
            continue
        x = x_of(index, len(values)) - slot * 0.35 + number * width
        y = y_of(value, top)
        drawn.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{colour}"/>'
        )
    return "".join(drawn)


def legend(chart: Chart) -> str:
    if len(chart.series) < 2:
        return ""
    items = []
    for number, series in enumerate(chart.series):
        x = LEFT + number * 140
        colour = COLOURS[number % len(COLOURS)]
        items.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="10" fill="#374151">'
            f"{escape(series.name)}</text>"
        )
    return "".join(items)
