"""The network's rate-limit headers are kept on the channel, and a spent budget makes the
dispatcher wait for the reset instead of being refused with a 429."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from django.utils import timezone

from chorus.channels import services as channels
from chorus.channels.base import OutgoingPost, RateLimitState
from chorus.channels.models import Channel
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, PostTarget, State

from .conftest import scheduled


def test_mastodon_connection_exposes_the_last_answers_budget(channel_a, standin) -> None:
    standin.budget.limit, standin.budget.remaining = 300, 42
    connection = channels.connection_for(channel_a)
    try:
        connection.publish(OutgoingPost(text="Counting"))
    finally:
        connection.close()

    budget = connection.last_rate_limit
    assert budget is not None
    assert budget.remaining == 41
    assert budget.reset_at is not None
    assert budget.reset_at > datetime.now(UTC) + timedelta(seconds=30)


def test_retry_after_alone_means_no_request_left_until_then() -> None:
    response = httpx.Response(429, headers={"Retry-After": "30"})

    budget = RateLimitState.from_response(response)

    assert budget is not None
    assert budget.remaining == 0
    assert budget.reset_at is not None
    assert 20 < (budget.reset_at - datetime.now(UTC)).total_seconds() <= 30


def test_an_answer_without_rate_limit_headers_says_nothing() -> None:
    assert RateLimitState.from_response(httpx.Response(200)) is None


def test_remaining_is_saved_on_the_channel(alice, channel_a, standin) -> None:
    standin.budget.limit, standin.budget.remaining = 300, 3

    assert publish_target(scheduled(alice, channel_a, "Two left after me").pk) == "published"

    channel_a.refresh_from_db()
    assert channel_a.rate_limit_remaining == 2
    assert channel_a.rate_limit_reset_at is None  # budget left: nothing to wait for


def test_spent_budget_waits_for_the_reset_instead_of_a_429(alice, channel_a, standin) -> None:
    standin.budget.limit, standin.budget.remaining = 300, 1
    standin.budget.reset_in_s = 120
    first = scheduled(alice, channel_a, "The last one allowed")
    second = scheduled(alice, channel_a, "Must wait")

    assert publish_target(first.pk) == Outcome.PUBLISHED
    channel_a.refresh_from_db()
    assert channel_a.rate_limit_remaining == 0
    assert channel_a.rate_limit_reset_at > timezone.now() + timedelta(seconds=60)

    assert publish_target(second.pk).startswith("later:")
    second.refresh_from_db()
    assert second.state == State.SCHEDULED
    assert standin.budget.refused == 0  # Chorus did not even ask
    assert len(standin.store.statuses) == 1

    # The reset time comes: the budget is full again and the post goes out.
    standin.budget.remaining = 300
    Channel.objects.filter(pk=channel_a.pk).update(rate_limit_reset_at=timezone.now())
    assert publish_target(second.pk) == Outcome.PUBLISHED
    assert standin.budget.refused == 0
    assert [s.text for s in standin.store.statuses] == ["The last one allowed", "Must wait"]


def test_a_429_with_retry_after_reschedules_at_the_networks_time(alice, channel_a, standin) -> None:
    standin.faults.forced = ["429"]
    standin.faults.retry_after_s = 90
    target = scheduled(alice, channel_a, "Refused for now")

    assert publish_target(target.pk).startswith("later:")

    target.refresh_from_db()
    assert target.state == State.SCHEDULED
    assert target.due_at > timezone.now() + timedelta(seconds=80)
    assert PostTarget.objects.get(pk=target.pk).attempt_log.get().outcome == Outcome.RATE_LIMITED
