"""The period a report covers: a month, an ISO week, or any range of days (inclusive).

Written as ``2026-11`` (a month), ``2026-W47`` (an ISO week) or ``2026-11-03..2026-11-16``, the
forms the CLI, the build page and the schedules share.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
LONGEST_DAYS = 366


class BadPeriod(ValueError):
    """The text is not a month, a week or a range of days a report can cover."""


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date  # inclusive
    kind: str = "custom"  # "month", "week" or "custom": only changes how it is named

    @classmethod
    def month(cls, year: int, month: int) -> ReportPeriod:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def iso_week(cls, year: int, week: int) -> ReportPeriod:
        monday = date.fromisocalendar(year, week, 1)
        return cls(monday, monday + timedelta(days=6), "week")

    @classmethod
    def of(cls, start: date, end: date) -> ReportPeriod:
        """The period between two stored days, named as a month or a week when it is one."""
        if start.day == 1 and cls.month(start.year, start.month).end == end:
            return cls.month(start.year, start.month)
        if start.weekday() == 0 and (end - start).days == 6:
            return cls(start, end, "week")
        return cls(start, end, "custom")

    @classmethod
    def month_before(cls, day: date) -> ReportPeriod:
        last_of_previous = day.replace(day=1) - timedelta(days=1)
        return cls.month(last_of_previous.year, last_of_previous.month)

    @classmethod
    def week_before(cls, day: date) -> ReportPeriod:
        year, week, _weekday = (day - timedelta(days=7)).isocalendar()
        return cls.iso_week(year, week)

    @property
    def code(self) -> str:
        """The period as typed on the command line (``2026-11``, ``2026-W47``, ``a..b``)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "week":
            year, week, _weekday = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def label(self) -> str:
        """The period in words, in the active language."""
        if self.kind == "month":
            return date_format(self.start, "F Y").capitalize()
        span = f"{date_format(self.start, 'j M Y')} – {date_format(self.end, 'j M Y')}"
        if self.kind == "week":
            week = self.start.isocalendar()[1]
            return _("Week %(week)s (%(span)s)") % {"week": week, "span": span}
        return span


def parse_period(text: str) -> ReportPeriod:
    """``2026-11``, ``2026-W47`` or ``2026-11-03..2026-11-16``; BadPeriod otherwise."""
    text = text.strip()
    try:
        if found := MONTH.match(text):
            return ReportPeriod.month(int(found[1]), int(found[2]))
        if found := WEEK.match(text):
            return ReportPeriod.iso_week(int(found[1]), int(found[2]))
        if found := RANGE.match(text):
            return days(date.fromisoformat(found[1]), date.fromisoformat(found[2]))
    except ValueError as error:
        raise BadPeriod(_("This period does not exist: %(text)s") % {"text": text}) from error
    raise BadPeriod(
        _("Write the period as 2026-11 (a month), 2026-W47 (a week) or 2026-11-03..2026-11-16.")
    )


def days(start: date, end: date) -> ReportPeriod:
    if end < start:
        raise BadPeriod(_("The period ends before it starts."))
    if (end - start).days >= LONGEST_DAYS:
        raise BadPeriod(_("A report covers at most a year."))
    return ReportPeriod(start, end, "custom")
