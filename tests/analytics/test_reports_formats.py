"""Each format of a report built from known figures: the PDF read back with pdftotext and drawn
as PNG pages with pdftoppm, the slides reopened with python-pptx (native charts with the right
values), the CSV files unzipped (one per section, BOM, formulas defused)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from chorus.analytics.models import Report
from chorus.analytics.reports.building import build_report
from chorus.analytics.reports.periods import parse_period
from chorus.analytics.reports.sections import SECTION_KEYS
from chorus.workspaces.models import Workspace
from tests.analytics.report_rows import HOSTILE_TEXT, known_figures

PAGES = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "report-pages"


@pytest.fixture
def english_report(workspace_a: Workspace, settings, tmp_path) -> Report:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    workspace_a.language = "en"
    workspace_a.save()
    known_figures(workspace_a)
    return build_report(workspace_a, parse_period("2026-11"), SECTION_KEYS)


def file_of(report: Report, fmt: str) -> bytes:
    return report.files.get(format=fmt).file.read()


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is missing: install poppler-utils (make browser-deps does it)")
    return found


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        [poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def test_the_pdf_says_the_figures_on_a4_pages(english_report: Report, tmp_path: Path) -> None:
    data = file_of(english_report, "pdf")
    text = pdf_text(data, tmp_path)

    assert data.startswith(b"%PDF")
    assert "Brand A" in text and "Analytics report" in text and "November 2026" in text
    assert "160" in text  # engagements in November
    assert "+100.0 %" in text  # against 80 in October
    assert "4,000" in text  # impressions
    assert "3.50 %" in text  # 140 engagements ÷ 4,000 impressions
    assert "not available" in text  # reach: no network gave it, never 0
    assert "Engagements ÷ impressions" in text  # every rate with its formula
    assert "autumn" in text and "Town hall" in text  # the top posts (in narrow cells)
    assert "Listening is not set up" in text  # a section without data says so
    assert "<script>" in text  # hostile text is printed as text, never run


def test_the_pdf_pages_render_as_images(english_report: Report, tmp_path: Path) -> None:
    """Drawn as PNG pages (looked at by the author: var/screenshots/report-pages/)."""
    source = tmp_path / "report.pdf"
    source.write_bytes(file_of(english_report, "pdf"))
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        [poppler("pdftoppm"), "-r", "60", "-png", str(source), str(PAGES / "page")], check=True
    )
    pages = sorted(PAGES.glob("page-*.png"))
    assert len(pages) >= 1 + len(SECTION_KEYS) - 1  # a cover, then sections from new pages
    info = subprocess.run(
        [poppler("pdfinfo"), str(source)], capture_output=True, check=True
    ).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info or "(A4)" in info


def test_the_pdf_fetches_nothing_outside_static_files(workspace_a: Workspace) -> None:
    from chorus.analytics.reports.pdf import BASE_URL, StaticFilesOnly

    fetcher = StaticFilesOnly()
    assert fetcher.fetch(BASE_URL + "static/css/report.css").read().startswith(b"/*")
    for address in (
        "http://127.0.0.1:8000/secret",
        "file:///etc/passwd",
        BASE_URL + "static/../settings.py",
        BASE_URL + "media/reports/x.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(address)


def test_the_slides_hold_native_charts_with_the_figures(english_report: Report) -> None:
    deck = Presentation(io.BytesIO(file_of(english_report, "pptx")))
    slides = list(deck.slides)

    assert len(slides) == 1 + len(SECTION_KEYS)  # a title slide, then one per section
    assert slides[0].shapes.title.text == "Analytics report"
    titles = [s.shapes.title.text for s in slides[1:]]
    assert titles[:3] == ["Overview", "Audience growth", "Publishing"]
    publishing = slides[3]
    charts = [shape.chart for shape in publishing.shapes if shape.has_chart]
    assert len(charts) == 1  # a native, editable chart: not a picture
    values = list(charts[0].plots[0].series[0].values)
    assert len(values) == 30 and sum(values) == 3  # posts per day of November
    assert values[2] == 1  # 3 November
    overview_text = " ".join(
        cell.text for shape in slides[1].shapes if shape.has_table
        for row in shape.table.rows for cell in row.cells
    )  # fmt: skip
    assert "160" in overview_text and "not available" in overview_text


def test_the_audience_chart_leaves_days_without_a_count_empty(english_report: Report) -> None:
    deck = Presentation(io.BytesIO(file_of(english_report, "pptx")))
    audience = list(deck.slides)[2]
    chart = next(shape.chart for shape in audience.shapes if shape.has_chart)
    values = list(chart.plots[0].series[0].values)
    assert values[14] == 1060 and values[29] == 1120
    assert values[0] is None  # no count on 1 November: an empty point, not 0


def test_the_csv_zip_has_one_file_per_section(english_report: Report) -> None:
    archive = zipfile.ZipFile(io.BytesIO(file_of(english_report, "csv")))
    names = archive.namelist()

    assert names == [f"{n:02d}-{key}.csv" for n, key in enumerate(SECTION_KEYS, start=1)]
    overview = archive.read("01-overview.csv")
    assert overview.startswith("\ufeff".encode())  # Excel reads the accents right
    rows = list(csv.reader(io.StringIO(overview.decode("utf-8-sig"))))
    by_label = {row[0]: row for row in rows if row}
    assert by_label["Engagements"][1:5] == ["160", "", "80", "100"]
    assert by_label["Reach"][1] == "not available"
    assert by_label["Engagement rate per impression"][1:3] == ["3.5", "%"]


def test_the_csv_defuses_formulas_but_keeps_negative_numbers(english_report: Report) -> None:
    archive = zipfile.ZipFile(io.BytesIO(file_of(english_report, "csv")))
    text = archive.read("04-top_posts.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    posts = [row[2] for row in rows if len(row) > 2]
    assert "'" + HOSTILE_TEXT in posts  # written as text, never run as =HYPERLINK(…)
    assert HOSTILE_TEXT not in posts
    overview = archive.read("01-overview.csv").decode("utf-8-sig")
    rate = next(r for r in csv.reader(io.StringIO(overview)) if r and r[0].endswith("impression"))
    assert rate[4] == "-0.5"  # a fall in points: a number, not defused into text


def test_a_french_workspace_gets_its_report_in_french(
    workspace_a: Workspace, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    known_figures(workspace_a)  # workspace A's language is French
    report = build_report(workspace_a, parse_period("2026-11"), ["overview"], ["pdf"])
    text = pdf_text(file_of(report, "pdf"), tmp_path)
    assert "Rapport d’analyse" in text or "Rapport d'analyse" in text
    assert "Novembre 2026" in text
    assert "3,50 %" in text and "non disponible" in text
