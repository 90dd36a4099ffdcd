"""The report as HTML: one template set for the page preview and for the PDF.

``analytics/report/_body.html`` is the report itself (cover, then one block per section); the
preview page includes it inside the app, ``analytics/report/document.html`` wraps it as a
stand-alone A4 document for WeasyPrint. Everything is worded in the active language: callers
render under ``translation.override(report language)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from chorus.analytics.reports.content import Cell, Figure, ReportContent, Section, Table
from chorus.analytics.reports.drawing import draw, legend
from chorus.analytics.reports.formatting import show, show_cell, show_change


@dataclass(frozen=True)
class FigureView:
    label: str
    value: str
    change: str
    trend: str  # "up", "down" or "": a class, never the only sign (the text says + or −)
    previous: str
    formula: str
    missing: bool


@dataclass(frozen=True)
class TableView:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, bool], ...], ...]  # (text, is a number)
    has_missing: bool  # some cell is "n/a": the table says what that means


@dataclass(frozen=True)
class ChartView:
    title: str
    svg: SafeString
    legend: list[tuple[str, str]]  # (series, colour) when there are several


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    unavailable: str
    figures: tuple[FigureView, ...]
    charts: tuple[ChartView, ...]
    tables: tuple[TableView, ...]
    notes: tuple[str, ...]


def figure_view(figure: Figure) -> FigureView:
    change = figure.change
    return FigureView(
        label=figure.label,
        value=show(figure.value, figure.kind),
        change=show_change(change, figure.kind),
        trend="" if not change else ("up" if change > 0 else "down"),
        previous="" if figure.previous is None else show(figure.previous, figure.kind),
        formula=figure.formula,
        missing=figure.value is None,
    )


def cell_view(cell: Cell) -> tuple[str, bool]:
    # "n/a" stands where a number would: aligned like one.
    return show_cell(cell), cell is None or isinstance(cell, int | float)


def table_view(table: Table) -> TableView:
    rows = tuple(tuple(cell_view(cell) for cell in row) for row in table.rows)
    missing = any(cell is None for row in table.rows for cell in row)
    return TableView(table.title, table.columns, rows, missing)


def section_view(section: Section) -> SectionView:
    return SectionView(
        key=section.key,
        title=section.title,
        unavailable=section.unavailable,
        figures=tuple(figure_view(f) for f in section.figures),
        charts=tuple(
            ChartView(c.title, draw(c), legend(c)) for c in section.charts if c.has_values
        ),
        tables=tuple(table_view(t) for t in section.tables),
        notes=section.notes,
    )


def report_context(content: ReportContent) -> dict[str, Any]:
    return {"report": content, "sections": [section_view(s) for s in content.sections]}


def render_document(content: ReportContent) -> str:
    """The stand-alone HTML document WeasyPrint lays out (A4, cover, page numbers)."""
    return render_to_string("analytics/report/document.html", report_context(content))
