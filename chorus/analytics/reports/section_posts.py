"""Sections about the posts and the audience: overview, audience growth, publishing, top posts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chorus.analytics import figures
from chorus.analytics.reports.content import Cell, Chart, Figure, Section, Series, Table
from chorus.analytics.reports.source import Source, day_label
from chorus.channels.registry import UnknownNetwork, get_network

TEXT_LENGTH = 120  # a post's text in a table: enough to recognise it


def network_label(key: str) -> str:
    try:
        return get_network(key).label
    except UnknownNetwork:
        return key


def count(label: str, figure: figures.Figure, formula_id: str = "") -> Figure:
    formula = figures.formula_text(formula_id) if formula_id else ""
    return Figure(label, figure.value, "count", figure.previous, figure.change, formula)


def rate_figure(figure: figures.RateFigure) -> Figure:
    now = figure.rate.value if figure.rate else None
    before = figure.previous.value if figure.previous else None
    change = None if now is None or before is None else now - before  # in points (fraction)
    return Figure(
        figures.formula_name(figure.formula_id),
        now,
        "percent",
        before,
        change,
        figures.formula_text(figure.formula_id),
    )


def percent(rate: figures.Rate | None) -> float | None:
    return None if rate is None else round(rate.percent, 2)


def overview_section(source: Source) -> Section:
    seen = source.overview
    headline = (
        count(_("Posts published"), seen.posts),
        count(_("Engagements"), seen.engagements, "engagements"),
        count(_("Impressions or views"), seen.impressions, "impressions"),
        count(_("Reach"), seen.reach, "reach"),
        count(_("Followers gained"), seen.followers_gained, "followers_gained"),
    )
    return Section(
        key="overview",
        title=_("Overview"),
        figures=headline + tuple(rate_figure(r) for r in seen.rates),
        tables=(channels_table(source.per_channel),),
        notes=(figures.formula_text("change"),),
    )


def channels_table(rows: list[figures.ChannelFigures]) -> Table:
    columns = (
        _("Channel"), _("Network"), _("Posts"), _("Engagements"), _("Impressions or views"),
        _("Reach"), _("Rate per impression (%)"), _("Rate per reach (%)"),
        _("Rate per follower (%)"),
    )  # fmt: skip
    return Table(
        _("Per channel"),
        columns,
        tuple(
            (r.name, network_label(r.network), r.posts, r.engagements, r.impressions, r.reach)
            + tuple(percent(rate) for rate in r.rates)
            for r in rows
        ),
    )


def audience_section(source: Source) -> Section:
    channels = source.audience
    if not any(c.at_end is not None or c.at_start is not None for c in channels):
        return Section(
            "audience",
            _("Audience growth"),
            unavailable=_("No channel gave a follower count for this period."),
        )
    days = channels[0].daily if channels else ()
    totals = tuple(total_of_day(channels, n) for n in range(len(days)))
    return Section(
        key="audience",
        title=_("Audience growth"),
        figures=(
            Figure(_("Followers at the end"), sum_known(c.at_end for c in channels)),
            count(_("Followers gained"), source.overview.followers_gained, "followers_gained"),
        ),
        charts=(
            Chart(
                "line",
                _("Followers, all channels"),
                tuple(day_label(day) for day, _count in days),
                (Series(_("Followers"), totals),),
            ),
        ),
        tables=(audience_table(channels),),
    )


def sum_known(values: object) -> int | None:
    known = [v for v in values if v is not None]  # type: ignore[attr-defined]
    return sum(known) if known else None


def total_of_day(channels: list[figures.ChannelAudience], n: int) -> float | None:
    total = sum_known(c.daily[n][1] for c in channels)
    return None if total is None else float(total)


def audience_table(channels: list[figures.ChannelAudience]) -> Table:
    return Table(
        _("Per channel"),
        (_("Channel"), _("Network"), _("At the start"), _("At the end"), _("Change")),
        tuple((c.name, network_label(c.network), c.at_start, c.at_end, c.change) for c in channels),
    )


def publishing_section(source: Source) -> Section:
    done = source.publishing
    return Section(
        key="publishing",
        title=pgettext("report section", "Publishing"),
        figures=(count(_("Posts published"), source.overview.posts),),
        charts=(
            Chart(
                "bar",
                _("Posts published per day"),
                tuple(day_label(day) for day, _n in done.per_day),
                (Series(_("Posts"), tuple(float(n) for _day, n in done.per_day)),),
            ),
        ),
        tables=(
            Table(
                _("Per channel"),
                (_("Channel"), _("Posts")),
                tuple((name, posts) for _pk, name, posts in done.per_channel),
            ),
        ),
    )


def top_posts_section(source: Source) -> Section:
    best = source.top_posts()
    if not best:
        return Section(
            "top_posts", _("Top posts"), unavailable=_("No post was published in this period.")
        )
    zone = ZoneInfo(source.workspace.timezone)
    tables = [posts_table(_("Most engagements"), best, zone)]
    if source.overview.posts.value and source.overview.posts.value > len(best):
        tables.append(posts_table(_("Fewest engagements"), source.top_posts(True, 5), zone))
    return Section(
        key="top_posts",
        title=_("Top posts"),
        tables=tuple(tables),
        notes=(figures.formula_text("engagements"),),
    )


def posts_table(title: str, posts: list[figures.PostFigures], zone: ZoneInfo) -> Table:
    columns = (
        _("Published"), _("Channel"), _("Post"), _("Engagements"), _("Likes"), _("Shares"),
        _("Replies"), _("Impressions or views"), _("Rate per impression (%)"),
    )  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for post in posts:
        seen = post.counts.get("impressions")
        seen = seen if seen is not None else post.counts.get("views")
        rows.append(
            (
                date_format(post.published_at.astimezone(zone), "SHORT_DATETIME_FORMAT"),
                post.channel_name,
                shorten(post.text),
                post.engagements,
                post.counts.get("likes"),
                post.counts.get("shares"),
                post.counts.get("replies"),
                seen,
                percent(post.rates[0]),
            )
        )
    return Table(title, columns, tuple(rows))


def shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_LENGTH else flat[: TEXT_LENGTH - 1] + "…"
