"""`chorus report`: the same report as the pages, written to a file from the command line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from chorus.analytics.models import Report
from chorus.cli import main
from chorus.workspaces.models import Workspace
from tests.analytics.report_rows import known_figures


@pytest.fixture
def figures_a(workspace_a: Workspace, settings, tmp_path: Path) -> Workspace:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    known_figures(workspace_a)
    return workspace_a


def test_a_monthly_pdf_is_written_and_archived(figures_a: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "november.pdf"
    code = main(
        [
            "report",
            "--workspace",
            "brand-a",
            "--period",
            "2026-11",
            "--format",
            "pdf",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF")
    report = Report.objects.get(workspace=figures_a)
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2026-11-01",
        "2026-11-30",
    )
    assert [f.format for f in report.files.all()] == ["pdf"]


def test_a_week_as_slides_and_chosen_sections_as_csv(figures_a: Workspace, tmp_path: Path) -> None:
    slides, files = tmp_path / "w47.pptx", tmp_path / "w47.zip"
    assert main(["report", "--workspace", "brand-a", "--period", "2026-W45", "--format", "pptx",
                 "--out", str(slides)]) == 0  # fmt: skip
    assert main(["report", "--workspace", "brand-a", "--period", "2026-W45", "--format", "csv",
                 "--out", str(files), "--sections", "top_posts,overview"]) == 0  # fmt: skip
    deck = Presentation(str(slides))
    assert len(deck.slides) == 8  # title + seven sections
    assert zipfile.ZipFile(io.BytesIO(files.read_bytes())).namelist() == [
        "01-overview.csv",
        "02-top_posts.csv",
    ]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--workspace", "nobody", "--period", "2026-11"], "No workspace with the slug 'nobody'"),
        (["--workspace", "brand-a", "--period", "November"], "Write the period as 2026-11"),
        (["--workspace", "brand-a", "--period", "2026-W60"], "This period does not exist"),
        (
            ["--workspace", "brand-a", "--period", "2026-11", "--sections", "weather"],
            "Unknown section",
        ),
    ],
)
def test_a_wrong_argument_is_said_and_nothing_is_written(
    figures_a: Workspace,
    tmp_path: Path,
    capsys,
    arguments: list[str],
    said: str,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "never.pdf"
    code = main(["report", *arguments, "--format", "pdf", "--out", str(out)])
    assert code == 2
    assert said in capsys.readouterr().err
    assert not out.exists()
    assert not Report.objects.exists()
