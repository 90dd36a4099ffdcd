"""After downtime: overdue posts go out (and say they were late) or fail past the limit; a claim
whose worker died is taken up again safely."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.publishing.dispatcher import claim, publish_target
from chorus.publishing.models import PostTarget, State
from chorus.publishing.sweeper import dispatch_due, lease

from .conftest import scheduled


def _dispatch(now=None) -> int:
    return dispatch_due(lambda pk, eta: publish_target(pk), now)


def test_overdue_post_is_published_and_marked_late(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Late", timezone.now() - timedelta(hours=2))
    PostTarget.objects.filter(pk=target.pk).update(enqueued_at=None)  # queue lost in downtime

    assert _dispatch() == 1

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.attempt_log.get().late_by_seconds >= 7000


def test_post_older_than_the_limit_fails(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Too late", timezone.now() - timedelta(hours=25))

    assert _dispatch() == 0

    target.refresh_from_db()
    assert target.state == State.FAILED
    assert "24 hours" in target.last_error
    assert standin.store.stats()["statuses"] == 0


def test_claim_of_a_dead_worker_is_retried_with_the_same_key(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Worker died")
    assert claim(target)
    # The dead worker's request reached the network before it died.
    standin.store.create("1", "Worker died", str(target.idempotency_key))

    _dispatch(timezone.now() + lease() + timedelta(seconds=1))
    PostTarget.objects.filter(pk=target.pk).update(due_at=timezone.now())
    publish_target(target.pk)

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1


def test_future_posts_are_left_alone(alice, channel_a, standin) -> None:
    scheduled(alice, channel_a, "Tomorrow", timezone.now() + timedelta(days=1))

    assert _dispatch() == 0
    assert standin.store.stats()["statuses"] == 0
