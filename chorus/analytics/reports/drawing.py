"""A report's charts as SVG, drawn by the dashboard's own chart code (``analytics.charts``), so
the preview, the PDF and the dashboard look alike. WeasyPrint renders SVG natively."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chorus.analytics import charts
from chorus.analytics.reports.content import Chart

# One colour per series of a stacked chart (positive, neutral, negative…); the legend says which.
SERIES_COLOURS = ("#10b981", "#9ca3af", "#ef4444", "#4f46e5", "#f59e0b")


def colour_of(number: int) -> str:
    return SERIES_COLOURS[number % len(SERIES_COLOURS)]


def draw(chart: Chart) -> SafeString:
    desc = _("The table in this section gives every figure of this chart.")
    if chart.kind == "line":
        points = list(zip(chart.categories, chart.series[0].values, strict=True))
        return charts.line_chart(chart.title, desc, points)
    if len(chart.series) == 1:
        bars = list(zip(chart.categories, chart.series[0].values, strict=True))
        return charts.bar_chart(chart.title, desc, bars)
    stacked = [
        charts.Series(series.name, colour_of(number), series.values)
        for number, series in enumerate(chart.series)
    ]
    return charts.stacked_bars(chart.title, desc, list(chart.categories), stacked)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """(series name, colour) for a chart of several series; none for one."""
    if len(chart.series) < 2:
        return []
    return [(series.name, colour_of(n)) for n, series in enumerate(chart.series)]
