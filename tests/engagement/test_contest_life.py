"""A contest's life: open publishes a commitment, the spec is then fixed, closing freezes the
entries, the draw happens once and a changed stored draw is caught."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chorus.core import crypto
from chorus.engagement import contests, draw
from chorus.engagement.models import Contest, ContestEvent, EventKind
from tests.engagement.contest_support import brand_channel, contest_on, published_post, replies_to


@pytest.fixture
def after_closing(monkeypatch):  # type: ignore[no-untyped-def]
    """Move the contest's clock past its closing time."""

    def move(contest: Contest) -> None:
        monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))

    return move


@pytest.fixture
def contest(workspace_a):  # type: ignore[no-untyped-def]
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("ann", "Me please!"), ("ben", "I'd love a mug"), ("cat", "Count me in"))
    return contest_on(target)


def test_opening_publishes_a_commitment_to_the_spec_and_keeps_the_secret_encrypted(
    contest, alice
) -> None:
    contests.open_contest(contest, alice)

    contest.refresh_from_db()
    assert contest.status == "open"
    assert contest.spec["contest"] == str(contest.public_id)
    assert contest.spec["rules_sha256"] == draw.sha256_hex(b"The rules.")
    assert contest.commitment == draw.commitment(contest.spec)
    seed = bytes.fromhex(crypto.decrypt_json(contest.encrypted_secret)["seed"])
    assert contest.spec["randomness"] == {"source": "secret", "sha256": draw.sha256_hex(seed)}
    assert seed.hex() not in contest.encrypted_secret
    assert ContestEvent.objects.filter(contest=contest, kind=EventKind.OPENED, by=alice).exists()


def test_a_drand_contest_commits_to_a_round_after_its_closing_time(contest, alice) -> None:
    from chorus.engagement import drand

    contest.randomness_source = "drand"
    contest.save()
    contests.open_contest(contest, alice)

    randomness = contest.spec["randomness"]
    assert randomness["source"] == "drand"
    assert drand.round_time(drand.DEFAULT_CHAIN, randomness["round"]) > contest.closes_at


def test_the_spec_cannot_change_once_open(contest, alice) -> None:
    contests.open_contest(contest, alice)
    contest.winners = 5

    with pytest.raises(contests.ContestRuleBroken):
        contests.save_draft(contest, [], alice, "http://testserver/c")
    with pytest.raises(contests.ContestRuleBroken):
        contests.open_contest(Contest.objects.get(pk=contest.pk), alice)  # no second commitment
    assert Contest.objects.get(pk=contest.pk).winners == 1


def test_closing_is_refused_before_the_closing_time(contest, alice) -> None:
    contests.open_contest(contest, alice)

    with pytest.raises(contests.ContestRuleBroken, match="until"):
        contests.close_contest(contest, alice)
    assert Contest.objects.get(pk=contest.pk).status == "open"


def test_closing_freezes_one_id_per_person_and_late_answers_change_nothing(
    contest, alice, after_closing
) -> None:
    contests.open_contest(contest, alice)
    after_closing(contest)
    contests.close_contest(contest, alice)

    contest.refresh_from_db()
    assert contest.entries == ["mastodon:ann", "mastodon:ben", "mastodon:cat"]
    assert contest.entries_sha256 == draw.sha256_hex(b"mastodon:ann\nmastodon:ben\nmastodon:cat")
    replies_to(contest.posts.get(), ("dan", "Too late?"))
    with pytest.raises(contests.ContestRuleBroken, match="frozen"):
        contests.exclude_entry(contest, "mastodon:ann", "spam", alice)
    assert Contest.objects.get(pk=contest.pk).entries == contest.entries


def test_the_draw_happens_once_and_checks_out(contest, alice, after_closing) -> None:
    contests.open_contest(contest, alice)
    after_closing(contest)
    contests.close_contest(contest, alice)

    contests.draw_contest(contest, alice)

    contest.refresh_from_db()
    certificate = contests.certificate_of(contest)
    assert certificate is not None and draw.verify(certificate) == []
    assert set(certificate) == draw.CERTIFICATE_KEYS
    assert len(contest.picks) == 2 and certificate["proof"] is None
    assert contest.picks == draw.picks(
        bytes.fromhex(contest.seed), contest.entries, contest.entries_sha256, 2
    )
    with pytest.raises(contests.ContestRuleBroken, match="never redone"):
        contests.draw_contest(Contest.objects.get(pk=contest.pk), alice)
    assert Contest.objects.get(pk=contest.pk).picks == contest.picks


def test_a_changed_stored_draw_is_detected(contest, alice, after_closing) -> None:
    contests.open_contest(contest, alice)
    after_closing(contest)
    contests.close_contest(contest, alice)
    contests.draw_contest(contest, alice)
    others = [e for e in contest.entries if e not in contest.picks]

    Contest.objects.filter(pk=contest.pk).update(picks=[others[0], *contest.picks[1:]])

    problems = contests.problems_of(Contest.objects.get(pk=contest.pk))
    assert any("picks" in p for p in problems)


def test_two_draws_racing_store_one(contest, alice, after_closing) -> None:
    contests.open_contest(contest, alice)
    after_closing(contest)
    contests.close_contest(contest, alice)
    stale = Contest.objects.get(pk=contest.pk)  # loaded by a second person before the first draw

    contests.draw_contest(contest, alice)
    with pytest.raises(contests.ContestRuleBroken):
        contests.draw_contest(stale, alice)
    assert ContestEvent.objects.filter(contest=contest, kind=EventKind.DRAWN).count() == 1


def test_a_substitution_takes_the_next_alternate_and_stays_valid(
    contest, alice, after_closing
) -> None:
    contest.alternates = 2
    contest.save()
    contests.open_contest(contest, alice)
    after_closing(contest)
    contests.close_contest(contest, alice)
    contests.draw_contest(contest, alice)
    winner, first, second = contest.picks

    contests.substitute(contest, winner, "No answer within 7 days", alice)
    contests.substitute(contest, first, "Works for the organiser", alice)

    assert contests.current_winners(contest) == [second]
    certificate = contests.certificate_of(Contest.objects.get(pk=contest.pk))
    assert certificate is not None and draw.verify(certificate) == []
    assert [s["replaced_by"] for s in certificate["substitutions"]] == [first, second]
    assert certificate["picks"] == [winner, first, second]  # picks never change
    with pytest.raises(contests.ContestRuleBroken, match="alternate"):
        contests.substitute(contest, second, "again", alice)


def test_too_few_entries_to_draw_is_said_at_closing(workspace_a, alice, after_closing) -> None:
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("ann", "Me!"))
    contest = contest_on(target, winners=1, alternates=1)
    contests.open_contest(contest, alice)
    after_closing(contest)

    with pytest.raises(contests.ContestRuleBroken, match="1 entries"):
        contests.close_contest(contest, alice)
