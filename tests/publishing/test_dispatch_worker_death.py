"""A worker killed while holding targets: the live workers notice its silence after a few missed
beats and hand back what it held at once, not after the lease: its claims through the safe path
(same idempotency key, or unconfirmed and reconciled), the targets it had taken from the queue
handed over again. Posts go out once, seconds late."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from chorus.channels.models import Channel
from chorus.core import heartbeats as worker_beats
from chorus.core.models import WorkerHeartbeat
from chorus.publishing import dispatcher, sweeper
from chorus.publishing.dispatcher import claim, publish_target
from chorus.publishing.models import PostTarget, State

from .conftest import scheduled

KILLED = "worker-host:4242:dead01"


class Queue:
    """Stands for the workers' queue: records what was handed over, runs nothing."""

    def __init__(self) -> None:
        self.handed: list[int] = []

    def __call__(self, target_ids: list[int], first_due: datetime) -> None:
        self.handed.extend(target_ids)


def _last_beat(worker: str, seconds_ago: float, *, continuous: bool = True) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker,
        defaults={
            "seen_at": timezone.now() - timedelta(seconds=seconds_ago),
            "beats_every": worker_beats.BEAT_SECONDS if continuous else None,
        },
    )


def _held_by(worker: str, target: PostTarget, *, claimed: bool) -> PostTarget:
    """``worker`` took the target from the queue (and claimed it, if ``claimed``)."""
    now = timezone.now()
    PostTarget.objects.filter(pk=target.pk).update(due_at=now, scheduled_at=now, enqueued_at=now)
    target.refresh_from_db()
    if claimed:
        assert claim(target)
    PostTarget.objects.filter(pk=target.pk).update(taken_by=worker)
    target.refresh_from_db()
    return target


def _due_now(alice, channel: Channel, text: str) -> PostTarget:
    return scheduled(alice, channel, text, timezone.now() + timedelta(days=1))


def test_a_claim_of_a_silent_worker_goes_out_again_once_with_the_same_key(
    alice, channel_a, standin
) -> None:
    target = _held_by(KILLED, _due_now(alice, channel_a, "Claimed then killed"), claimed=True)
    # The killed worker's request reached the network before it died.
    standin.store.create("1", "Claimed then killed", str(target.idempotency_key))
    _last_beat(KILLED, seconds_ago=3)

    handed = sweeper.hand_back_from_silent_workers(
        timezone.now(), lambda ids, first_due: [publish_target(pk) for pk in ids]
    )

    assert handed == 1
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1
    assert not WorkerHeartbeat.objects.filter(worker=KILLED).exists()


def test_a_claim_without_an_idempotency_key_is_reconciled_never_resent(alice, workspace_a) -> None:
    sky = Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="Sky", remote_id="s"
    )
    target = _held_by(KILLED, _due_now(alice, sky, "No key on Bluesky"), claimed=True)
    _last_beat(KILLED, seconds_ago=3)
    queue = Queue()

    assert sweeper.hand_back_from_silent_workers(timezone.now(), queue) == 1

    target.refresh_from_db()
    assert target.state == State.UNCONFIRMED
    assert queue.handed == []


def test_what_a_silent_worker_had_taken_from_the_queue_is_handed_over_again(
    alice, channel_a
) -> None:
    target = _held_by(KILLED, _due_now(alice, channel_a, "Waiting in its batch"), claimed=False)
    _last_beat(KILLED, seconds_ago=3)
    queue = Queue()

    assert sweeper.hand_back_from_silent_workers(timezone.now(), queue) == 1

    assert queue.handed == [target.pk]
    target.refresh_from_db()
    assert target.state == State.SCHEDULED


def test_a_worker_that_beats_keeps_what_it_holds(alice, channel_a) -> None:
    claimed = _held_by(KILLED, _due_now(alice, channel_a, "In flight"), claimed=True)
    _last_beat(KILLED, seconds_ago=0.5)
    queue = Queue()

    assert sweeper.hand_back_from_silent_workers(timezone.now(), queue) == 0

    claimed.refresh_from_db()
    assert claimed.state == State.PUBLISHING
    assert queue.handed == []


def test_a_worker_that_never_promised_to_beat_is_left_to_the_lease(alice, channel_a) -> None:
    claimed = _held_by(KILLED, _due_now(alice, channel_a, "Old worker"), claimed=True)
    _last_beat(KILLED, seconds_ago=50, continuous=False)

    assert sweeper.hand_back_from_silent_workers(timezone.now(), Queue()) == 0
    claimed.refresh_from_db()
    assert claimed.state == State.PUBLISHING


def test_claims_and_batches_note_the_worker_that_holds_them(alice, channel_a, standin) -> None:
    first = _due_now(alice, channel_a, "First")
    PostTarget.objects.filter(pk=first.pk).update(due_at=timezone.now())
    dispatcher.take(dispatcher.load([first.pk]))
    first.refresh_from_db()
    assert first.taken_by == worker_beats.worker_name()

    assert claim(first)
    first.refresh_from_db()
    assert first.taken_by == worker_beats.worker_name()


def test_a_worker_name_is_new_for_each_process_start() -> None:
    name = worker_beats.worker_name()
    assert name == worker_beats.worker_name()
    host, pid, _random = name.rsplit(":", 2)
    assert pid.isdigit() and host
