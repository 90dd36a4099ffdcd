"""Each kind of network error leads to the right state (invariant 5), never to a duplicate."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from chorus.channels.models import ChannelStatus
from chorus.publishing.dispatcher import MAX_ATTEMPTS, publish_target
from chorus.publishing.models import Outcome, PostTarget, State

from .conftest import scheduled


def _run_again(target: PostTarget) -> str:
    """Make the retry due now, as the clock would, and run the task again."""
    PostTarget.objects.filter(pk=target.pk).update(due_at=timezone.now())
    target.channel.__class__.objects.filter(pk=target.channel_id).update(rate_limit_reset_at=None)
    return publish_target(target.pk)


def test_server_error_is_retried_later_then_published_once(alice, channel_a, standin) -> None:
    standin.faults.forced = ["500"]
    target = scheduled(alice, channel_a, "Retry me")

    assert publish_target(target.pk).startswith("later:")
    target.refresh_from_db()
    assert target.state == State.SCHEDULED
    assert target.due_at > timezone.now()
    assert "HTTP 500" in target.last_error

    assert _run_again(target) == Outcome.PUBLISHED
    assert standin.store.stats()["statuses"] == 1


def test_transient_errors_fail_after_max_attempts(alice, channel_a, standin) -> None:
    standin.faults.forced = ["500"] * MAX_ATTEMPTS
    target = scheduled(alice, channel_a, "Never")
    for _ in range(MAX_ATTEMPTS):
        _run_again(target)

    target.refresh_from_db()
    assert target.state == State.FAILED
    assert str(MAX_ATTEMPTS) in target.last_error
    channel_a.refresh_from_db()
    assert channel_a.status == ChannelStatus.ACTIVE  # a flaky server is not a dead account


def test_rate_limit_makes_the_whole_channel_wait(alice, channel_a, standin) -> None:
    standin.faults.forced = ["429"]
    standin.faults.retry_after_s = 120
    target = scheduled(alice, channel_a, "Slow down")
    other = scheduled(alice, channel_a, "Me too")

    assert publish_target(target.pk).startswith("later:")
    channel_a.refresh_from_db()
    assert channel_a.rate_limit_reset_at > timezone.now()
    assert channel_a.status == ChannelStatus.ACTIVE
    assert publish_target(other.pk).startswith("later:")
    other.refresh_from_db()
    assert other.state == State.SCHEDULED
    assert standin.store.stats()["statuses"] == 0


def test_refused_token_asks_for_reconnection_once(alice, channel_a, standin) -> None:
    standin.store.revoked.add("tok-1")
    first = scheduled(alice, channel_a, "Token gone")
    second = scheduled(alice, channel_a, "Token still gone")

    assert publish_target(first.pk) == Outcome.FAILED
    assert publish_target(second.pk) == Outcome.FAILED

    first.refresh_from_db()
    assert "Reconnect" in first.last_error
    channel_a.refresh_from_db()
    assert channel_a.status == ChannelStatus.NEEDS_RECONNECT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]


def test_refusal_fails_with_the_networks_words(alice, channel_a, standin) -> None:
    standin.faults.forced = ["422"]
    target = scheduled(alice, channel_a, "Too long, says the server")

    assert publish_target(target.pk) == Outcome.FAILED
    target.refresh_from_db()
    assert "Text is too long" in target.last_error
    assert target.attempt_log.get().message == target.last_error


def test_lost_answer_with_idempotency_key_is_retried_without_duplicate(
    alice, channel_a, standin, settings
) -> None:
    settings.CHORUS_PUBLISH_TIMEOUT_SECONDS = 0.5
    standin.faults.forced = ["late"]
    standin.faults.late_answer_s = 1.0
    target = scheduled(alice, channel_a, "Did it go?")

    assert publish_target(target.pk).startswith("later:")  # Transient: the key makes it safe
    assert standin.store.stats()["statuses"] == 1  # it was made despite the timeout
    assert _run_again(target) == Outcome.PUBLISHED

    stats = standin.store.stats()
    assert stats["statuses"] == 1
    assert stats["duplicate_keys"] == 0
