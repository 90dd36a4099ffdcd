"""Contests through the API: read-only, the certificate once drawn, tenancy (charlie's token
sees nothing of workspace A), unknown parameters refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from chorus.api.models import ApiToken
from chorus.engagement import contests, draw
from tests.engagement.contest_support import brand_channel, contest_on, published_post, replies_to

pytestmark = pytest.mark.django_db


def _api(user, workspace) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user, workspace, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def drawn(workspace_a, alice, monkeypatch):  # type: ignore[no-untyped-def]
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("ann", "me"), ("ben", "me"))
    contest = contest_on(target)
    contests.open_contest(contest, alice)
    monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))
    contests.close_contest(contest, alice)
    return contests.draw_contest(contest, alice)


def test_a_member_reads_contests_and_the_certificate(drawn, bob, workspace_a) -> None:
    api = _api(bob, workspace_a)

    listed = api.get("/api/v1/contests").json()
    one = api.get(f"/api/v1/contests/{drawn.pk}").json()

    assert [c["id"] for c in listed] == [drawn.pk]
    assert one["commitment"] == drawn.commitment and one["status"] == "drawn"
    assert draw.verify(one["certificate"]) == []
    assert api.get("/api/v1/contests?stat=drawn").status_code == 422


def test_charlie_sees_nothing_of_workspace_a(drawn, charlie, workspace_c) -> None:
    api = _api(charlie, workspace_c)

    assert api.get("/api/v1/contests").json() == []
    assert api.get(f"/api/v1/contests/{drawn.pk}").status_code == 404
