"""A calendar cell carries the classes of what its day is (outside the month, today, past)."""

from __future__ import annotations

from datetime import date

from chorus.publishing.planning import Day
from chorus.publishing.views.calendar import _day_classes


def test_each_flag_of_a_day_gives_its_class() -> None:
    day = date(2026, 12, 7)
    assert _day_classes(Day(day, in_range=True, is_today=False, is_past=False)) == ""
    assert _day_classes(Day(day, in_range=True, is_today=True, is_past=False)) == " today"
    assert _day_classes(Day(day, in_range=False, is_today=False, is_past=True)) == (" outside past")
