"""Figures turned into what a page or a report shows: each chart beside the table of its numbers.

Shared by the dashboard pages and the reports, so both draw the same chart from the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chorus.analytics import charts
from chorus.analytics.best_times import BestTimes
from chorus.analytics.figures_community import SentimentBucket

SENTIMENT_COLOURS = {"positive": "#059669", "neutral": "#9ca3af", "negative": "#dc2626"}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the table of the numbers it draws (headers, rows)."""

    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def _day(day: date) -> str:
    return date_format(day, "j M")


def followers_chart(series: Sequence[tuple[date, int | None]]) -> Chart:
    title = _("Followers, all channels")
    desc = _("Followers added up over every channel, day by day; gaps are days with no count.")
    svg = charts.line_chart(title, desc, [(_day(d), v) for d, v in series])
    return Chart(svg, (_("Day"), _("Followers")), tuple((d, v) for d, v in series))


def posts_chart(series: Sequence[tuple[date, int]]) -> Chart:
    title = _("Posts published per day")
    desc = _("How many posts went out each day of the period, on every channel.")
    svg = charts.bar_chart(title, desc, [(_day(d), v) for d, v in series])
    return Chart(svg, (_("Day"), _("Posts")), tuple(series))


def sentiment_chart(buckets: Sequence[SentimentBucket], by: str) -> Chart:
    title = _("Sentiment of messages received")
    desc = _("Messages received per %(step)s, by sentiment.") % {
        "step": _("week") if by == "week" else _("day")
    }
    labels = [_day(b.start) for b in buckets]
    series = [
        charts.Series(
            _("Positive"), SENTIMENT_COLOURS["positive"], tuple(b.positive for b in buckets)
        ),
        charts.Series(
            _("Neutral"), SENTIMENT_COLOURS["neutral"], tuple(b.neutral for b in buckets)
        ),
        charts.Series(
            _("Negative"), SENTIMENT_COLOURS["negative"], tuple(b.negative for b in buckets)
        ),
        charts.Series(_("Not classified"), "#e5e7eb", tuple(b.unknown for b in buckets)),
    ]
    headers = (_("From"), _("Positive"), _("Neutral"), _("Negative"), _("Not classified"))
    rows = tuple((b.start, b.positive, b.neutral, b.negative, b.unknown) for b in buckets)
    return Chart(charts.stacked_bars(title, desc, labels, series), headers, rows)


def day_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def best_times_chart(found: BestTimes) -> Chart:
    title = _("Median engagements by hour of the week")
    desc = _(
        "Each square is one hour of one weekday in the workspace's time zone; darker means a "
        "higher median engagement per post. Grey: too few posts to say."
    )
    names = day_names()
    rows = tuple(
        (names[s.weekday], f"{s.hour:02d}:00", s.posts, s.median) for s in found.slots if s.posts
    )
    headers = (_("Day"), _("Hour"), _("Posts"), _("Median engagements"))
    return Chart(charts.heatmap(title, desc, found, names), headers, rows)
