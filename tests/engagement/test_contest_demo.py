"""The demo workspace shows contests alive: one open with entries arriving, one drawn whose
certificate checks out and whose rules are in French."""

from __future__ import annotations

import pytest

from chorus.engagement import contests
from chorus.engagement.contest_entries import entries_of
from chorus.engagement.models import Contest
from chorus.today.demo import create_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_contest_and_a_drawn_one(settings, tmp_path, client) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace, _password = create_demo("demo pass phrase 42")

    drawn = Contest.objects.get(workspace=workspace, status="drawn")
    opened = Contest.objects.get(workspace=workspace, status="open")
    assert contests.problems_of(drawn) == [] and len(drawn.picks) == 3
    assert "RÈGLEMENT" in drawn.rules_text
    assert opened.spec["randomness"]["source"] == "drand"
    found = entries_of(opened)
    assert len(found.counting) == 5 and found.not_counting == 2  # no keyword; a second entry
    page = client.get(f"/engagement/contests/certificate/{drawn.public_id}/")
    assert page.status_code == 200 and drawn.entries_sha256 in page.content.decode()
