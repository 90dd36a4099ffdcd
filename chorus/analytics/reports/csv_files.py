"""The report as CSV: one file per section, zipped.

UTF-8 with a byte-order mark, so Excel opens accents right; every cell goes through
``safe_cell`` (a post's text starting with "=" must not run as a formula, invariant 3). Numbers
are written plainly (dot decimals, no grouping) so a spreadsheet reads them as numbers; a figure
the data cannot give is written "not available", never 0.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from chorus.analytics.reports.content import Cell, Figure, ReportContent, Section
from chorus.analytics.reports.formatting import not_available
from chorus.core.spreadsheet import safe_cell

BOM = "\ufeff"


def plain(value: Cell | float) -> str:
    """A cell for a spreadsheet: numbers plain, text defused, missing said so."""
    if value is None:
        return not_available()
    if isinstance(value, bool):  # never a figure; spelled out rather than read as 1/0
        return safe_cell(str(value))
    if isinstance(value, int):
        return str(value)  # a number, negative or not, is never a formula
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}"
    return safe_cell(value)


def figure_row(figure: Figure) -> list[str]:
    """Label, value, unit, previous value, change in %: rates are written in percent."""
    scale = 100 if figure.kind == "percent" else 1
    unit = {"percent": "%", "hours": "h"}.get(figure.kind, "")

    def scaled(value: float | None) -> float | None:
        return None if value is None else value * scale

    change = "" if figure.change is None else plain(round(figure.change * 100, 2))
    return [
        safe_cell(figure.label),
        plain(scaled(figure.value)),
        unit,
        plain(scaled(figure.previous)),
        change,
    ]


def section_rows(section: Section) -> list[list[str]]:
    rows: list[list[str]] = [[safe_cell(section.title)]]
    if not section.is_available:
        return [*rows, [safe_cell(section.unavailable)]]
    if section.figures:
        rows.append([_("Figure"), _("Value"), _("Unit"), _("Previous period"), _("Change (%)")])
        rows += [figure_row(figure) for figure in section.figures]
    for table in section.tables:
        rows += [[], [safe_cell(table.title)], [safe_cell(c) for c in table.columns]]
        rows += [[plain(cell) for cell in row] for row in table.rows]
    rows += [[], *([safe_cell(note)] for note in section.notes)]
    return rows


def section_csv(section: Section) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out).writerows(section_rows(section))
    return out.getvalue().encode("utf-8")


def write_csv_zip(content: ReportContent) -> bytes:
    """One ``NN-<section>.csv`` per section, in the report's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, section in enumerate(content.sections, start=1):
            archive.writestr(f"{number:02d}-{section.key}.csv", section_csv(section))
    return buffer.getvalue()
