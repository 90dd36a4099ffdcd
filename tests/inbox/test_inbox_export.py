"""The CSV export: the current filter, Excel-friendly, and safe from formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from chorus.inbox.models import Direction, Status
from chorus.inbox.views.listing import safe_cell
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


def test_times_are_in_the_workspaces_time_zone(alice_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    workspace_a.timezone = "America/New_York"
    workspace_a.save(update_fields=["timezone"])
    winter = datetime(2031, 1, 15, 17, 30, tzinfo=UTC)  # 12:30 in New York (UTC-5)
    factories.conversation(factories.channel(workspace_a), "Hello", at=winter)

    for query in ("", "?rows=messages"):
        _header, row = read(alice_client.get(f"/inbox/export.csv{query}"))
        assert row[0] == "2031-01-15T12:30:00-05:00", query


def test_one_row_per_message_on_request(alice, alice_client, workspace_a, workspace_c) -> None:  # type: ignore[no-untyped-def]
    channel = factories.channel(workspace_a)
    older = timezone.now() - timedelta(hours=3)
    talk = factories.conversation(channel, "Où est ma commande ?", at=older)
    factories.message(
        talk, "=Elle part demain", direction=Direction.OUTGOING, by=None, sent_by=alice,
        at=older + timedelta(minutes=5),
    )  # fmt: skip
    factories.message(talk, "Merci !", at=older + timedelta(minutes=9), deleted=True)
    factories.conversation(channel, "Autre sujet")  # newer: listed first
    factories.conversation(factories.channel(workspace_c), "not ours")

    header, *rows = read(alice_client.get("/inbox/export.csv?rows=messages"))

    assert header[4] == "Direction" and header[10] == "Message"
    assert [(r[4], r[10]) for r in rows] == [
        ("Received", "Autre sujet"),
        ("Received", "Où est ma commande ?"),
        ("Sent", "'=Elle part demain"),
        ("Received", "Deleted on the network."),
    ]
    assert rows[2][2] == str(alice) and rows[2][3] == ""
    assert len({r[11] for r in rows[1:]}) == 1  # one conversation's link
