"""Only one worker wins a claim (invariant 1); a busy channel is not claimed at all."""

from __future__ import annotations

from chorus.publishing.dispatcher import claim
from chorus.publishing.models import PostTarget, State

from .conftest import scheduled


def test_two_claims_on_the_same_version_one_wins(alice, channel_a) -> None:
    target = scheduled(alice, channel_a, "Claimed once")
    first_view = PostTarget.objects.get(pk=target.pk)
    second_view = PostTarget.objects.get(pk=target.pk)

    results = [claim(first_view), claim(second_view)]

    assert sorted(results) == [False, True]
    target.refresh_from_db()
    assert target.state == State.PUBLISHING
    assert target.attempts == 1


def test_a_stale_version_cannot_claim(alice, channel_a) -> None:
    target = scheduled(alice, channel_a, "Rescheduled meanwhile")
    stale = PostTarget.objects.get(pk=target.pk)
    stale.version -= 1

    assert claim(stale) is False


def test_channel_in_flight_limit(alice, channel_a, settings) -> None:
    settings.CHORUS_PUBLISH_PER_CHANNEL = 1
    first = scheduled(alice, channel_a, "First")
    second = scheduled(alice, channel_a, "Second")

    assert claim(first) is True
    assert claim(second) is False
    second.refresh_from_db()
    assert second.state == State.SCHEDULED
