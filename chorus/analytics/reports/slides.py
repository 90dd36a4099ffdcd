"""The report as slides (python-pptx): a title slide, then one slide per section.

Charts are native PowerPoint charts (``chart_data``), so the team can restyle them and read
their numbers in PowerPoint or LibreOffice; a figure the data cannot give is left out of the
chart (an empty point) and written "not available" in the table beside it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, cast

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Inches, Length, Pt

from chorus.analytics.reports.content import Chart, ReportContent, Section, Table
from chorus.analytics.reports.formatting import show, show_cell, show_change

WIDE, HIGH = Inches(13.333), Inches(7.5)
TITLE_ONLY = 5
TABLE_ROWS = 10  # rows a slide holds legibly; the CSV and PDF carry the rest
CHART_TYPES = {"line": XL_CHART_TYPE.LINE_MARKERS, "bar": XL_CHART_TYPE.COLUMN_CLUSTERED}


def write_slides(content: ReportContent) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    title_slide(deck, content)
    for section in content.sections:
        section_slide(deck, section)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def title_slide(deck: Deck, content: ReportContent) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = content.title
    subtitle = slide.placeholders[1]
    subtitle.text = f"{content.workspace_name}\n{content.period_label}"


def section_slide(deck: Deck, section: Section) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = section.title
    if not section.is_available:
        add_text(slide, section.unavailable, Inches(0.8), Inches(2.0), Inches(11.5))
        return
    right: Length = Inches(0.6)
    if section.figures:
        rows = [
            (f.label, show(f.value, f.kind), show_change(f.change, f.kind)) for f in section.figures
        ]
        add_table(slide, rows, Inches(0.6), Inches(4.6))
        right = Inches(5.6)
    width = Length(WIDE - right - Inches(0.6))
    chart = next((c for c in section.charts if c.has_values), None)
    if chart is not None:
        add_chart(slide, chart, right, width)
    elif section.tables:
        add_data_table(slide, section.tables[0], right, width)
    for line, note in enumerate(section.notes[:2]):
        top = Length(HIGH - Inches(0.9 - 0.35 * line))
        add_text(slide, note, Inches(0.6), top, Length(WIDE - Inches(1.2)), 11)


def add_text(
    slide: Slide, text: str, left: Length, top: Length, width: Length, size: int = 18
) -> None:
    box = slide.shapes.add_textbox(left, top, width, Inches(0.4))
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    box.text_frame.paragraphs[0].font.size = Pt(size)


def add_table(slide: Slide, rows: Sequence[tuple[str, ...]], left: Length, width: Length) -> None:
    """A plain table of text rows (figures: label, value, change)."""
    columns = len(rows[0])
    shape = slide.shapes.add_table(len(rows), columns, left, Inches(1.6), width, Inches(0.4))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = text
            cell.text_frame.paragraphs[0].font.size = Pt(13)


def add_data_table(slide: Slide, table: Table, left: Length, width: Length) -> None:
    rows = [tuple(table.columns)] + [
        tuple(show_cell(cell) for cell in row) for row in table.rows[:TABLE_ROWS]
    ]
    add_table(slide, rows, left, width)


def add_chart(slide: Slide, chart: Chart, left: Length, width: Length) -> None:
    data = CategoryChartData()
    data.categories = list(chart.categories)
    number_format = "0.00%" if chart.kind_of_values == "percent" else "#,##0"
    for series in chart.series:
        data.add_series(series.name, list(series.values), number_format=number_format)
    kind = CHART_TYPES[chart.kind] if len(chart.series) == 1 else XL_CHART_TYPE.COLUMN_STACKED
    # python-pptx annotates the base chart data class and says it returns the chart, but it
    # returns the graphic frame that holds it (its own docstring says so).
    frame: Any = slide.shapes.add_chart(
        kind, left, Inches(1.5), width, Inches(5.2), cast(Any, data)
    )
    drawn = frame.chart
    drawn.has_title = True
    drawn.chart_title.text_frame.text = chart.title
    drawn.has_legend = len(chart.series) > 1
    if drawn.has_legend:
        drawn.legend.position = XL_LEGEND_POSITION.BOTTOM
        drawn.legend.include_in_layout = False
