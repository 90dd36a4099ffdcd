"""A contest drawn on a drand round: the round is fetched from a relay (a real recorded quicknet
round served on loopback), its signature checked, and until it is out the draw waits and the
background task tries again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chorus.engagement import contests, drand, draw
from chorus.engagement.drand import QUICKNET
from chorus.engagement.models import Contest, EventKind
from tests.engagement.contest_support import brand_channel, contest_on, published_post, replies_to
from tests.engagement.draw_helpers import recorded_rounds
from tests.loopback import Reply, serving

ROUND = 1000
SIGNATURE = {r["round"]: r["signature"] for r in recorded_rounds()}[ROUND]
PATH = f"/{QUICKNET.hash}/public/{ROUND}"
# Closing just before round 1000 was emitted (August 2023) commits to round 1000.
CLOSES_AT = drand.round_time(QUICKNET, ROUND) - timedelta(seconds=1)


@pytest.fixture
def relay(settings: Any) -> Any:
    with serving() as loopback:
        settings.CHORUS_DRAND_URLS = [loopback.root]
        yield loopback


@pytest.fixture
def closed_contest(workspace_a, alice, monkeypatch) -> Contest:  # type: ignore[no-untyped-def]
    target = published_post(brand_channel(workspace_a))
    replies_to(
        target, ("ann", "me"), ("ben", "me"), ("cat", "me"), at=CLOSES_AT - timedelta(hours=1)
    )
    contest = contest_on(
        target,
        randomness_source="drand",
        opens_at=CLOSES_AT - timedelta(days=1),
        closes_at=CLOSES_AT,
    )
    monkeypatch.setattr(contests, "now", lambda: CLOSES_AT - timedelta(hours=2))
    contests.open_contest(contest, alice)
    monkeypatch.setattr(contests, "now", lambda: CLOSES_AT + timedelta(minutes=1))
    contests.close_contest(contest, alice)
    return contest


def test_the_contest_committed_to_the_recorded_round(closed_contest) -> None:
    assert closed_contest.spec["randomness"] == {
        "source": "drand",
        "chain_hash": QUICKNET.hash,
        "round": ROUND,
    }


def test_the_draw_uses_the_verified_round_and_its_certificate_verifies(
    closed_contest, alice, relay
) -> None:
    relay.on("GET", PATH, Reply(200, {"round": ROUND, "signature": SIGNATURE}))

    contests.draw_contest(closed_contest, alice)

    certificate = contests.certificate_of(Contest.objects.get(pk=closed_contest.pk))
    assert certificate is not None
    assert certificate["proof"] == {"round": ROUND, "signature": SIGNATURE}
    assert certificate["seed"] == drand.seed_of(drand.Beacon(ROUND, SIGNATURE)).hex()
    assert draw.verify(certificate, beacon_check=drand.check_proof) == []


def test_a_forged_round_is_never_drawn_on(closed_contest, alice, relay) -> None:
    forged = SIGNATURE[:-2] + ("00" if SIGNATURE[-2:] != "00" else "01")
    relay.on("GET", PATH, Reply(200, {"round": ROUND, "signature": forged}))

    with pytest.raises(contests.ContestRuleBroken, match="does not verify"):
        contests.draw_contest(closed_contest, alice)
    assert Contest.objects.get(pk=closed_contest.pk).status == "closed"


def test_until_the_round_is_out_the_draw_waits_then_the_task_draws(closed_contest, relay) -> None:
    relay.on("GET", PATH, Reply(404, {"error": "too early"}))

    assert contests.draw_waiting_contests() == 0
    waiting = Contest.objects.get(pk=closed_contest.pk)
    assert waiting.status == "closed" and waiting.draw_error
    assert waiting.events.filter(kind=EventKind.DRAW_WAITING).count() == 1

    relay.on("GET", PATH, Reply(200, {"round": ROUND, "signature": SIGNATURE}))
    assert contests.draw_waiting_contests() == 1
    drawn = Contest.objects.get(pk=closed_contest.pk)
    assert drawn.status == "drawn" and drawn.draw_error == ""
    assert contests.problems_of(drawn) == []
