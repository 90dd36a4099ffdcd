"""Due targets reach the queue in timed batches: each window of time split in interleaved
stripes, every target published once, in its own order, with the claim still per target."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.publishing import tasks
from chorus.publishing.dispatcher import publish_batch
from chorus.publishing.models import PostTarget, State
from chorus.publishing.sweeper import dispatch_due, plan_batches

from .conftest import scheduled


def test_a_window_is_split_in_interleaved_stripes(settings) -> None:
    settings.CHORUS_PUBLISH_BATCH_SIZE = 3
    settings.CHORUS_PUBLISH_WINDOW_SECONDS = 1.0
    start = timezone.now() + timedelta(seconds=30)
    due = [(pk, start + timedelta(seconds=0.1 * pk)) for pk in range(1, 8)]  # 7 in 0.7 s

    planned = plan_batches(due, timezone.now())

    assert [ids for _first, ids in planned] == [[1, 4, 7], [2, 5], [3, 6]]
    assert [first for first, _ids in planned] == [due[0][1], due[1][1], due[2][1]]


def test_a_new_window_starts_a_new_batch(settings) -> None:
    settings.CHORUS_PUBLISH_BATCH_SIZE = 10
    settings.CHORUS_PUBLISH_WINDOW_SECONDS = 1.0
    start = timezone.now() + timedelta(seconds=30)
    due = [(1, start), (2, start + timedelta(seconds=0.5)), (3, start + timedelta(seconds=1.5))]

    planned = plan_batches(due, timezone.now())

    assert [ids for _first, ids in planned] == [[1, 2], [3]]


def test_overdue_targets_count_from_now(settings) -> None:
    now = timezone.now()
    due = [(1, now - timedelta(hours=1)), (2, now - timedelta(minutes=1))]

    ((first, ids),) = plan_batches(due, now)

    assert first == now
    assert ids == [1, 2]


def test_dispatch_in_batches_publishes_every_due_target_once(
    alice, channel_a, standin, settings
) -> None:
    settings.CHORUS_PUBLISH_BATCH_SIZE = 2
    targets = [scheduled(alice, channel_a, f"Batch post {i}") for i in range(5)]
    PostTarget.objects.update(enqueued_at=None)  # not handed to the queue yet

    handed = dispatch_due(enqueue_batch=tasks.enqueue_batch)

    assert handed == 5
    assert set(PostTarget.objects.values_list("state", flat=True)) == {State.PUBLISHED}
    assert sorted(s.text for s in standin.store.statuses) == [t.text for t in targets]


def test_a_batch_publishes_in_due_order_and_skips_what_is_not_scheduled(
    alice, channel_a, standin
) -> None:
    now = timezone.now()
    later = scheduled(alice, channel_a, "Second", now - timedelta(seconds=1))
    sooner = scheduled(alice, channel_a, "First", now - timedelta(seconds=2))
    PostTarget.objects.filter(pk=later.pk).update(state=State.DRAFT)

    outcomes = publish_batch([later.pk, sooner.pk], wait=False)

    assert outcomes == [(sooner.pk, "published"), (later.pk, "skipped")]
    assert [s.text for s in standin.store.statuses] == ["First"]


def test_a_target_due_beyond_the_batch_goes_back_to_the_queue(alice, channel_a) -> None:
    target = scheduled(alice, channel_a, "Tomorrow", timezone.now() + timedelta(days=1))

    ((pk, outcome),) = publish_batch([target.pk], wait=True)  # must not sleep a day

    assert pk == target.pk
    assert outcome.startswith("later:")
    target.refresh_from_db()
    assert target.state == State.SCHEDULED
