"""The filtered mentions as CSV: the same filter as the page, formula injection defused,
times in the workspace's zone, tenancy."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from chorus.workspaces.models import Workspace
from tests.listening.mention_factories import make_author, make_mention, make_query

pytestmark = pytest.mark.django_db
EXPORT = "/listening/mentions/export.csv"


def _rows(client: Client, **params: object) -> list[list[str]]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_export_follows_the_filter_and_writes_the_details(
    alice_client: Client, workspace_a: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière")
    fan = make_author(workspace_a, "lou@piaille.fr", followers=321)
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)
    make_mention(
        workspace_a, "Great coffee", at, sentiment="positive", queries=(brand,), author=fan,
        url="https://piaille.fr/@lou/1", language="en", network="mastodon",
    )  # fmt: skip
    make_mention(workspace_a, "Cold coffee", at, sentiment="negative")
    rows = _rows(alice_client, sentiment="positive")
    header, *data = rows
    assert header[0] == "Published" and "Queries" in header
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["Text"] == "Great coffee" and row["Queries"] == "Lumière"
    assert row["Handle"] == "lou@piaille.fr" and row["Link"] == "https://piaille.fr/@lou/1"
    assert row["Published"] == at.astimezone(ZoneInfo("Europe/Paris")).isoformat()


def test_formula_injection_is_defused(alice_client: Client, workspace_a: Workspace) -> None:
    evil = make_author(workspace_a, "=cmd|' /C calc'!A0")
    make_mention(
        workspace_a, '=HYPERLINK("http://evil.example","click")', timezone.now() - timedelta(1),
        title="+SUM(1,2)", author=evil, url="javascript:alert(1)",
    )  # fmt: skip
    header, row = _rows(alice_client)
    cells = dict(zip(header, row, strict=True))
    assert cells["Text"].startswith("'=HYPERLINK")
    assert cells["Title"] == "'+SUM(1,2)"
    assert cells["Handle"].startswith("'=cmd")
    assert cells["Link"] == ""


def test_bob_exports_charlie_gets_only_his_own(
    bob_client: Client, charlie_client: Client, workspace_a: Workspace, workspace_c: Workspace
) -> None:
    brand = make_query(workspace_a, "Lumière")
    make_mention(workspace_a, "A only", timezone.now() - timedelta(hours=1), queries=(brand,))
    assert len(_rows(bob_client)) == 2
    assert _rows(charlie_client) == [_rows(charlie_client)[0]]
    assert len(_rows(charlie_client, query=brand.pk)) == 1


def test_signed_out_cannot_export(client: Client) -> None:
    assert client.get(EXPORT).status_code == 302
