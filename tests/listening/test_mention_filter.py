"""Reading the mentions filter from a query string: dates as whole days of the workspace's zone,
exact ISO times, defaults, and what cannot be used said and left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chorus.listening.mention_filter import DEFAULT_DAYS, read_filter
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 7, 10, 12, 0, tzinfo=UTC)


def test_dates_are_whole_days_in_the_workspace_zone(workspace_a: Workspace) -> None:
    chosen = read_filter({"since": "2026-07-01", "until": "2026-07-02"}, workspace_a, now=NOW)
    # Paris is UTC+2 in July: the 1st starts at 22:00 UTC on June 30th; "until" takes the 2nd whole.
    assert chosen.since == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert chosen.until == datetime(2026, 7, 2, 22, 0, tzinfo=UTC)
    assert not chosen.errors


def test_exact_times_as_an_alert_link_sends_them(workspace_a: Workspace) -> None:
    # In a URL the "+" of "+02:00" arrives as a space.
    chosen = read_filter(
        {"since": "2026-07-01T10:00:00 02:00", "until": "2026-07-01T10:15:00Z"},
        workspace_a,
        now=NOW,
    )
    assert chosen.since == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert chosen.until == datetime(2026, 7, 1, 10, 15, tzinfo=UTC)


def test_the_last_two_weeks_by_default(workspace_a: Workspace) -> None:
    chosen = read_filter({}, workspace_a, now=NOW)
    assert (chosen.since, chosen.until) == (NOW - timedelta(days=DEFAULT_DAYS), NOW)


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"since": "9999-12-31"}, "is not a date"),
        ({"until": "0001-01-01T00:00:00+14:00"}, "is not a date"),
        ({"since": "2026-13-45"}, "is not a date"),
        ({"since": "2026-07-05", "until": "2026-07-01"}, "must come before its end"),
        ({"since": "2020-01-01"}, "at most one year"),
        ({"sentiment": "angry"}, "Unknown sentiment"),
        ({"language": "français"}, "code of 2 or 3 letters"),
        ({"query": "12abc"}, "Unknown query"),
        ({"source": "-1"}, "Unknown source"),
    ],
)
def test_what_cannot_be_used_is_said(workspace_a: Workspace, params: dict, said: str) -> None:
    chosen = read_filter(params, workspace_a, now=NOW)
    assert any(said in error for error in chosen.errors)
    assert chosen.since < chosen.until and chosen.until - chosen.since <= timedelta(days=366)


def test_search_is_trimmed_and_bounded(workspace_a: Workspace) -> None:
    chosen = read_filter({"q": "  latte \x00 art " + "x" * 500}, workspace_a, now=NOW)
    assert chosen.search.startswith("latte art x") and len(chosen.search) == 200
