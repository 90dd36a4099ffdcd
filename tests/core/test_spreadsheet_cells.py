"""Every CSV Chorus writes defuses formulas with the one guard (invariant 3)."""

from __future__ import annotations

import pytest

from chorus.core.spreadsheet import safe_cell
from chorus.inbox import export
from chorus.publishing import bulk_import


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_defused(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_plain_text_and_empty_cells_are_left_as_they_are() -> None:
    assert safe_cell("Bonjour =)") == "Bonjour =)"
    assert safe_cell(None) == ""
    assert safe_cell(42) == "42"


def test_the_inbox_export_and_the_bulk_import_share_the_guard() -> None:
    assert export.safe_cell is safe_cell
    assert bulk_import.safe_cell is safe_cell
