"""What a report says, independent of the format it is written in.

Each section builder turns the dashboard's figures into a ``Section``; the HTML (and so the
PDF), the CSV files and the slides are all written from these, so the four formats never
disagree. A value of ``None`` is a figure the data cannot give: every format writes "not
available", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | None
FigureKind = Literal["count", "percent", "hours"]


@dataclass(frozen=True)
class Figure:
    """One headline figure, with the previous period's value when there is one."""

    label: str
    value: float | None
    kind: FigureKind = "count"
    previous: float | None = None
    change: float | None = None  # relative change, 0.12 = +12 %; None when it cannot be computed
    formula: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart as data: drawn as SVG for the page and the PDF, as a native chart in the slides."""

    kind: Literal["line", "bar"]
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind_of_values: FigureKind = "count"

    @property
    def has_values(self) -> bool:
        """Worth drawing: a chart of nothing but zeros says less than its table."""
        return any(v for s in self.series for v in s.values)


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    # Why the section has nothing to show (no channel gives it, the module is not set up…).
    unavailable: str = ""

    @property
    def is_available(self) -> bool:
        return not self.unavailable


@dataclass(frozen=True)
class ReportContent:
    """Everything one report says: the same object feeds every format."""

    workspace_name: str
    title: str
    period_label: str
    language: str
    generated_at_label: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
