"""The periods a report covers, as typed (2026-11, 2026-W47, a..b) and as named in each language."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from chorus.analytics.reports.periods import BadPeriod, ReportPeriod, parse_period


def test_a_month_a_week_and_a_range() -> None:
    assert parse_period("2026-02") == ReportPeriod(date(2026, 2, 1), date(2026, 2, 28), "month")
    week = parse_period("2026-W53")  # 2026 has 53 ISO weeks: Monday 28 Dec to Sunday 3 Jan
    assert (week.start, week.end) == (date(2026, 12, 28), date(2027, 1, 3))
    days = parse_period(" 2026-11-03..2026-11-16 ")
    assert (days.start, days.end, days.kind) == (date(2026, 11, 3), date(2026, 11, 16), "custom")
    for period in (parse_period("2026-11"), week, days):
        assert parse_period(period.code) == period


def test_stored_days_are_named_as_a_month_or_a_week_again() -> None:
    assert ReportPeriod.of(date(2026, 11, 1), date(2026, 11, 30)).kind == "month"
    assert ReportPeriod.of(date(2026, 11, 16), date(2026, 11, 22)).code == "2026-W47"
    assert ReportPeriod.of(date(2026, 11, 2), date(2026, 11, 30)).kind == "custom"


def test_the_period_before_a_run() -> None:
    assert ReportPeriod.month_before(date(2027, 1, 2)) == ReportPeriod.month(2026, 12)
    assert ReportPeriod.week_before(date(2027, 1, 4)) == ReportPeriod.iso_week(2026, 53)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-W54",
        "2026-00",
        "November",
        "2026-11-30..2026-11-01",
        "2025-01-01..2026-11-01",
        "",
    ],
)
def test_what_is_not_a_period_is_refused(text: str) -> None:
    with pytest.raises(BadPeriod):
        parse_period(text)


def test_periods_are_named_in_the_language_of_the_report() -> None:
    with translation.override("en"):
        assert ReportPeriod.month(2026, 11).label() == "November 2026"
        assert parse_period("2026-W47").label() == "Week 47 (16 Nov 2026 – 22 Nov 2026)"
    with translation.override("fr"):
        assert ReportPeriod.month(2026, 11).label() == "Novembre 2026"
        assert parse_period("2026-W47").label().startswith("Semaine 47 (16 ")
