"""The SVG charts: accessible, escaped, no inline style, gaps for missing days."""

from __future__ import annotations

from chorus.analytics import charts
from chorus.analytics.best_times import BestTimes, Slot


def test_line_chart_is_accessible_escaped_and_breaks_on_missing_days() -> None:
    svg = charts.line_chart(
        "Followers <script>", "desc & more", [("1", 10), ("2", None), ("3", 12), ("4", 14)]
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert "style=" not in svg
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 1  # day 2 is a gap, not 0


def test_line_axis_starts_near_the_values_when_they_sit_high() -> None:
    assert charts.line_floor([4800, 5100]) > 0
    assert charts.line_floor([0, 5]) == 0
    svg = charts.line_chart("F", "d", [("a", 4800), ("b", 5100)])
    assert ">0</text>" not in svg


def test_bars_skip_what_is_not_available() -> None:
    svg = charts.bar_chart("Posts", "d", [("Mon", 3), ("Tue", None), ("Wed", 0), ("Thu", 1)])
    assert svg.count("<rect") == 2
    stacked = charts.stacked_bars(
        "S",
        "d",
        ["a", "b"],
        [charts.Series("x <b>", "#000", (1, 2)), charts.Series("y", "#fff", (3, None))],
    )
    assert stacked.count("<rect") == 3 and "x &lt;b&gt;" in stacked


def test_heatmap_has_a_cell_per_hour_of_the_week() -> None:
    slots = tuple(
        Slot(d, h, 4 if h == 19 else 0, 10.0 if h == 19 else None)
        for d in range(7)
        for h in range(24)
    )
    found = BestTimes(16, 28, slots, False, "few")
    svg = charts.heatmap("Best", "d", found, ["M", "T", "W", "T", "F", "S", "S"])
    assert svg.count("<rect") == 168
    assert svg.count(charts.HEAT[-1]) == 7  # the best hour, every day
