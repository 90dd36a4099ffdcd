"""A worker killed while holding targets: the quick check hands the still-scheduled ones over
again once they are REHAND_AFTER past due, and takes expired claims back through the safe path
(same idempotency key), so they go out seconds late, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from chorus.publishing import sweeper
from chorus.publishing.dispatcher import claim, publish_target
from chorus.publishing.models import PostTarget, State

from .conftest import scheduled


class Queue:
    """Stands for the workers' queue: records what was handed over, runs nothing."""

    def __init__(self) -> None:
        self.handed: list[int] = []

    def __call__(self, target_ids: list[int], first_due: datetime) -> None:
        self.handed.extend(target_ids)


def _held_by_a_dead_worker(alice, channel, text: str, due: datetime) -> PostTarget:
    """Scheduled, handed to the queue at its time, never claimed: its worker was killed."""
    target = scheduled(alice, channel, text, timezone.now() + timedelta(days=1))
    PostTarget.objects.filter(pk=target.pk).update(
        due_at=due, scheduled_at=due, enqueued_at=due - timedelta(seconds=2)
    )
    target.refresh_from_db()
    return target


def test_a_lost_target_is_handed_again_once_past_the_margin(alice, channel_a) -> None:
    due = timezone.now()
    target = _held_by_a_dead_worker(alice, channel_a, "Lost with its worker", due)
    queue = Queue()

    assert sweeper.rehand_lost(queue, due + sweeper.REHAND_AFTER - timedelta(seconds=1)) == 0
    assert sweeper.rehand_lost(queue, due + sweeper.REHAND_AFTER + timedelta(seconds=1)) == 1

    assert queue.handed == [target.pk]
    target.refresh_from_db()
    assert target.state == State.SCHEDULED  # handing over changes nothing but the queue's copy


def test_a_target_handed_again_waits_another_margin(alice, channel_a) -> None:
    due = timezone.now()
    _held_by_a_dead_worker(alice, channel_a, "Still lost", due)
    first = due + sweeper.REHAND_AFTER + timedelta(seconds=1)
    queue = Queue()

    sweeper.rehand_lost(queue, first)

    assert sweeper.rehand_lost(queue, first + timedelta(seconds=10)) == 0
    assert sweeper.rehand_lost(queue, first + sweeper.REHAND_AFTER + timedelta(seconds=1)) == 1


def test_a_target_handed_ahead_of_its_time_is_not_handed_twice(alice, channel_a) -> None:
    due = timezone.now() + timedelta(seconds=60)
    target = _held_by_a_dead_worker(alice, channel_a, "Waiting in the queue", due)
    PostTarget.objects.filter(pk=target.pk).update(enqueued_at=due - timedelta(seconds=60))
    queue = Queue()

    assert sweeper.rehand_lost(queue, due - timedelta(seconds=5)) == 0
    assert queue.handed == []


def test_a_second_hand_over_publishes_once(alice, channel_a, standin) -> None:
    due = timezone.now() - timedelta(seconds=30)
    target = _held_by_a_dead_worker(alice, channel_a, "Handed twice", due)

    sweeper.rehand_lost(lambda ids, first_due: [publish_target(pk) for pk in ids])
    assert publish_target(target.pk) == "skipped"  # the queue's first copy, late

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1


def test_an_expired_claim_is_retried_with_the_same_key_in_the_same_check(
    alice, channel_a, standin
) -> None:
    target = _held_by_a_dead_worker(alice, channel_a, "Claimed then killed", timezone.now())
    assert claim(target)
    # The killed worker's request reached the network before it died.
    standin.store.create("1", "Claimed then killed", str(target.idempotency_key))
    expired = timezone.now() - sweeper.lease() - timedelta(seconds=1)
    PostTarget.objects.filter(pk=target.pk).update(claimed_at=expired)

    handed = sweeper.rehand_lost(lambda ids, first_due: [publish_target(pk) for pk in ids])

    assert handed == 1
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1


def test_a_claim_within_its_lease_is_left_to_its_worker(alice, channel_a) -> None:
    target = _held_by_a_dead_worker(alice, channel_a, "Still publishing", timezone.now())
    assert claim(target)
    queue = Queue()

    assert sweeper.rehand_lost(queue, timezone.now() + sweeper.lease() - timedelta(seconds=5)) == 0

    target.refresh_from_db()
    assert target.state == State.PUBLISHING
    assert queue.handed == []
