"""Sections from the inbox: community management (answers, response times, moderation) and the
sentiment of the messages received."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chorus.analytics import figures
from chorus.analytics.reports.content import Chart, Figure, Section, Series, Table
from chorus.analytics.reports.source import Source, day_label

HOUR = 3600.0


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / HOUR, 2)


def hit_percent(responses: figures.Responses) -> float | None:
    rate = responses.hit_rate
    return None if rate is None else round(rate * 100, 2)


def community_section(source: Source) -> Section:
    seen = source.community
    answers = seen.responses
    return Section(
        key="community",
        title=_("Community management"),
        figures=(
            Figure(_("Messages received"), seen.received),
            Figure(_("Conversations started"), answers.conversations),
            Figure(_("Conversations answered"), answers.answered),
            Figure(
                _("Median first response"),
                hours(answers.median_seconds),
                "hours",
                formula=figures.formula_text("response_time"),
            ),
            Figure(
                _("90th percentile first response"),
                hours(answers.p90_seconds),
                "hours",
                formula=figures.formula_text("response_time"),
            ),
            Figure(
                _("Answered within %(hours)s business hours") % {"hours": seen.target_hours},
                answers.hit_rate,
                "percent",
                formula=figures.formula_text("sla_hit_rate"),
            ),
            Figure(_("Messages hidden"), seen.moderation.hidden),
            Figure(_("Messages deleted"), seen.moderation.deleted),
            Figure(_("Authors banned"), seen.moderation.authors_banned),
        ),
        tables=(channel_table(seen), person_table(seen)),
        notes=(_("Response times count business hours only."),),
    )


def channel_table(seen: figures.Community) -> Table:
    return Table(
        _("Per channel"),
        (
            _("Channel"),
            _("Messages received"),
            _("Answered"),
            _("Median (h)"),
            _("90th percentile (h)"),
            _("Within target (%)"),
        ),  # fmt: skip
        tuple(
            (
                c.name,
                c.received,
                c.responses.answered,
                hours(c.responses.median_seconds),
                hours(c.responses.p90_seconds),
                hit_percent(c.responses),
            )
            for c in seen.per_channel
        ),
    )


def person_table(seen: figures.Community) -> Table:
    return Table(
        _("Per person"),
        (
            _("Person"),
            _("Replies sent"),
            _("Assigned and answered"),
            _("Median (h)"),
            _("Within target (%)"),
        ),  # fmt: skip
        tuple(
            (
                p.name,
                p.replies_sent,
                p.responses.answered,
                hours(p.responses.median_seconds),
                hit_percent(p.responses),
            )
            for p in seen.per_person
        ),
    )


def sentiment_section(source: Source) -> Section:
    buckets = source.community.sentiment
    total = sum(b.total for b in buckets)
    if not total:
        return Section(
            "sentiment",
            _("Sentiment"),
            unavailable=_("No message was received in this period: there is no sentiment to show."),
        )
    sums = {
        kind: sum(getattr(b, kind) for b in buckets)
        for kind in ("positive", "neutral", "negative", "unknown")
    }
    labels = {
        "positive": _("Positive"),
        "neutral": _("Neutral"),
        "negative": _("Negative"),
        "unknown": _("Not classified"),
    }
    by_week = source.community.sentiment_by == "week"
    categories = tuple(day_label(b.start) for b in buckets)
    return Section(
        key="sentiment",
        title=_("Sentiment"),
        figures=tuple(
            Figure(_("%(kind)s messages") % {"kind": labels[k]}, sums[k] / total, "percent")
            for k in ("positive", "neutral", "negative")
        ),
        charts=(
            Chart(
                "bar",
                _("Messages received by sentiment, per week")
                if by_week
                else _("Messages received by sentiment, per day"),
                categories,
                tuple(
                    Series(labels[k], tuple(float(getattr(b, k)) for b in buckets))
                    for k in ("positive", "neutral", "negative")
                ),
            ),
        ),
        tables=(
            Table(
                _("Messages received by sentiment"),
                (_("Week of") if by_week else _("Day"), *(labels[k] for k in labels)),
                tuple(
                    (day_label(b.start), b.positive, b.neutral, b.negative, b.unknown)
                    for b in buckets
                ),
            ),
        ),
        notes=(_("Shares are of all messages received in the period, classified or not."),),
    )
