"""Post figures on hand-made rows: each rate, None versus 0, the previous period, the time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chorus.analytics import figures
from chorus.analytics.figures import Period
from chorus.workspaces.models import Workspace
from tests.analytics.factories import channel, day, published

NOVEMBER = Period.month(2026, 11)


def at(d: int, hour: int = 12, month: int = 11) -> datetime:
    return datetime(2026, month, d, hour, tzinfo=UTC)


def test_periods() -> None:
    assert NOVEMBER == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert NOVEMBER.previous() == Period(date(2026, 10, 2), date(2026, 10, 31))
    assert Period.week_of(date(2026, 12, 3)) == Period(date(2026, 11, 30), date(2026, 12, 6))
    assert Period.last_days(7, date(2026, 12, 7)) == Period(date(2026, 12, 1), date(2026, 12, 7))
    with pytest.raises(ValueError):
        Period(date(2026, 12, 2), date(2026, 12, 1))


def test_three_rates_each_over_the_posts_that_have_its_denominator(
    workspace_a: Workspace,
) -> None:
    shop = channel(workspace_a)
    published(shop, at(3), engagements=10, impressions=200, followers_at_publish=1000)
    published(shop, at(4), engagements=30, views=300, reach=150, followers_at_publish=1000)
    published(shop, at(5), impressions=100)  # the network gave no interactions for this one

    seen = figures.overview(workspace_a, NOVEMBER)

    assert seen.posts.value == 3
    assert seen.engagements.value == 40
    assert seen.impressions.value == 600  # views count where impressions are not given
    assert seen.reach.value == 150
    per_impression, per_reach, per_follower = (r.rate for r in seen.rates)
    assert per_impression == figures.Rate(40 / 500, 40, 500, "rate_per_impression")
    assert per_reach == figures.Rate(0.2, 30, 150, "rate_per_reach")
    assert per_follower == figures.Rate(0.02, 40, 2000, "rate_per_follower")
    assert all(r.formula_id in figures.GLOSSARY for r in seen.rates)


def test_not_available_is_none_and_a_real_zero_stays_zero(workspace_a: Workspace) -> None:
    room = channel(workspace_a, "Matrix room", "matrix")
    published(room, at(3), engagements=0, followers_at_publish=50)

    seen = figures.overview(workspace_a, NOVEMBER)

    assert seen.engagements.value == 0
    assert seen.impressions.value is None
    assert seen.reach.value is None
    assert seen.rates[0].rate is None and seen.rates[1].rate is None
    assert seen.rates[2].rate == figures.Rate(0.0, 0, 50, "rate_per_follower")
    assert seen.followers_gained.value is None  # no daily counts at all


def test_change_against_the_previous_period(workspace_a: Workspace) -> None:
    shop = channel(workspace_a)
    published(shop, at(10, month=10), engagements=20, impressions=400)
    published(shop, at(1, month=10), engagements=999)  # 1 October: before the previous period
    published(shop, at(10), engagements=30, impressions=300)
    published(shop, at(11), engagements=10, impressions=100)

    seen = figures.overview(workspace_a, NOVEMBER)

    assert seen.posts == figures.Figure(2, 1)
    assert seen.posts.change == 1.0
    assert seen.engagements.change == 1.0  # 40 against 20
    assert seen.rates[0].change == pytest.approx(5.0)  # 10 % against 5 %: +5 points
    assert seen.reach.change is None  # nothing to compare


def test_change_is_none_when_the_previous_value_is_zero(workspace_a: Workspace) -> None:
    published(channel(workspace_a), at(10), engagements=5)
    seen = figures.overview(workspace_a, NOVEMBER)
    assert seen.engagements == figures.Figure(5, 0)
    assert seen.engagements.change is None


def test_the_period_follows_the_workspace_time_zone(workspace_a: Workspace) -> None:
    shop = channel(workspace_a)  # workspace A is in Europe/Paris (UTC+1 in winter)
    published(shop, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), engagements=1)  # 1 Nov, 00:30
    published(shop, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), engagements=100)  # 1 Dec

    assert figures.overview(workspace_a, NOVEMBER).engagements.value == 1
    per_day = dict(figures.publishing(workspace_a, NOVEMBER).per_day)
    assert per_day[date(2026, 11, 1)] == 1
    assert sum(per_day.values()) == 1


def test_followers_gained_from_the_day_before_the_period(workspace_a: Workspace) -> None:
    shop, room = channel(workspace_a), channel(workspace_a, "Room", "matrix")
    day(shop, date(2026, 10, 31), 100)
    day(shop, date(2026, 11, 1), 105)
    day(shop, date(2026, 11, 30), 130)
    day(room, date(2026, 11, 2), 40)  # first count inside the period
    day(room, date(2026, 11, 20), 35)
    day(room, date(2026, 11, 21), None)  # not given that day: skipped, not 0

    assert figures.followers_gained(workspace_a, NOVEMBER) == 30 - 5
    growth = {a.name: a for a in figures.audience(workspace_a, NOVEMBER)}
    assert (growth["Room"].at_start, growth["Room"].at_end, growth["Room"].change) == (40, 35, -5)
    assert dict(growth["Room"].daily)[date(2026, 11, 21)] is None
    assert len(growth["Brand on Mastodon"].daily) == 30


def test_other_workspaces_never_count(workspace_a: Workspace, workspace_c: Workspace) -> None:
    published(channel(workspace_c, "Charlie"), at(3), engagements=500, impressions=1000)
    published(channel(workspace_a), at(3), engagements=5, impressions=100)

    seen = figures.overview(workspace_a, NOVEMBER)

    assert (seen.posts.value, seen.engagements.value) == (1, 5)
    assert [p.engagements for p in figures.top_posts(workspace_a, NOVEMBER)] == [5]
    assert [c.name for c in figures.per_channel(workspace_a, NOVEMBER)] == ["Brand on Mastodon"]


def test_top_and_bottom_posts(workspace_a: Workspace) -> None:
    shop = channel(workspace_a)
    published(shop, at(3), "good", engagements=50, impressions=1000, followers_at_publish=0)
    published(shop, at(4), "best rate", engagements=20, impressions=100)
    published(shop, at(5), "quiet", engagements=1, impressions=100)
    published(shop, at(6), "unknown")  # no figures: last both ways

    def texts(order: str, worst: bool = False) -> list[str]:
        found = figures.top_posts(workspace_a, NOVEMBER, order, limit=10, worst=worst)
        return [p.text for p in found]

    assert texts("engagements") == ["good", "best rate", "quiet", "unknown"]
    assert texts("engagements", worst=True) == ["quiet", "best rate", "good", "unknown"]
    assert texts("rate_per_impression")[:3] == ["best rate", "good", "quiet"]
    assert texts("rate_per_follower")[0] in {"good", "best rate", "quiet", "unknown"}  # 0: no error
    best = figures.top_posts(workspace_a, NOVEMBER, limit=1)[0]
    assert best.rates[0] == figures.Rate(0.05, 50, 1000, "rate_per_impression")
    assert best.rates[2] is None  # 0 followers recorded: no rate, not a division by zero
    with pytest.raises(ValueError):
        figures.top_posts(workspace_a, NOVEMBER, "1; drop table")


def test_per_channel_and_publishing(workspace_a: Workspace) -> None:
    shop, room = channel(workspace_a), channel(workspace_a, "Room", "matrix")
    published(shop, at(3), engagements=5, impressions=50)
    published(shop, at(3, 15), engagements=5, impressions=50)
    published(room, at(4), engagements=30)

    rows = figures.per_channel(workspace_a, NOVEMBER)

    assert [(r.name, r.posts, r.engagements) for r in rows] == [
        ("Room", 1, 30),
        ("Brand on Mastodon", 2, 10),
    ]
    assert rows[0].rates == (None, None, None)
    assert rows[1].rates[0] == figures.Rate(0.1, 10, 100, "rate_per_impression")
    rhythm = figures.publishing(workspace_a, NOVEMBER)
    assert rhythm.total == 3
    assert dict(rhythm.per_day)[date(2026, 11, 3)] == 2


def test_listening_figures_over_the_period(workspace_a: Workspace) -> None:
    seen = figures.listening(workspace_a, NOVEMBER)
    assert seen.mentions == 0
    assert len(seen.volume) == 30
    assert seen.net_sentiment.value is None  # nothing weighed: not a made-up 0
