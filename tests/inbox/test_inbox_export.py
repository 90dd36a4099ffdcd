"""The CSV export: the current filter, Excel-friendly, and safe from formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from chorus.inbox.models import Status
from chorus.inbox.views_list import safe_cell
from tests.inbox import factories


def read(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_a_spreadsheet_would_run_are_defused(start: str) -> None:
    assert safe_cell(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'
    assert safe_cell("Bonjour =)") == "Bonjour =)"


def test_export_follows_the_filter_and_defuses_formulas(alice_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = factories.channel(workspace_a)
    evil = factories.author(workspace_a, handle="@evil", display_name="=cmd|' /C calc'!A0")
    factories.conversation(channel, '=HYPERLINK("http://evil","clic")', by=evil)
    factories.conversation(channel, "Résolu, merci", status=Status.RESOLVED)

    response = alice_client.get("/inbox/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read(response)
    assert header[0] == "Date" and len(rows) == 1
    (row,) = rows
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert row[3] == "'@evil"
    assert row[9] == '\'=HYPERLINK("http://evil","clic")'

    resolved = read(alice_client.get("/inbox/export.csv?status=resolved"))
    assert [r[9] for r in resolved[1:]] == ["Résolu, merci"]


def test_export_of_another_workspace_is_not_reachable(charlie_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    factories.conversation(factories.channel(workspace_a), "secret of A")
    rows = read(charlie_client.get("/inbox/export.csv"))
    assert rows[1:] == []
