"""Figures written for people, in the active language: "not available" is never a 0."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chorus.analytics.reports.content import Cell, FigureKind


def not_available() -> str:
    return _("not available")


def show(value: float | None, kind: FigureKind = "count") -> str:
    """A figure as a person reads it: 1 234, 3,4 %, 2,5 h (separators of the language)."""
    if value is None:
        return not_available()
    if kind == "percent":
        return f"{number_format(value * 100, decimal_pos=2, use_l10n=True)} %"
    if kind == "hours":
        return f"{number_format(value, decimal_pos=1, use_l10n=True)} h"
    if float(value).is_integer():
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def show_change(change: float | None, kind: FigureKind = "count") -> str:
    """+12 % against the previous period; for a rate, the difference in points."""
    if change is None:
        return ""
    if kind == "percent":
        points = number_format(change * 100, decimal_pos=2, use_l10n=True)
        return _("%(sign)s%(points)s pts") % {"sign": "+" if change >= 0 else "", "points": points}
    percent = number_format(change * 100, decimal_pos=1, use_l10n=True)
    return f"{'+' if change >= 0 else ''}{percent} %"


def not_available_short() -> str:
    """In a table cell, where "not available" would not fit; the table's note explains it."""
    return _("n/a")


def show_cell(value: Cell) -> str:
    if value is None:
        return not_available_short()
    if isinstance(value, int | float):
        return show(value)
    return value
