"""A part whose answer was lost is never sent again blind: where the network takes no key it
becomes unconfirmed and is looked for on the account; a part whose worker died is recovered like
a target; a retry the queue lost is picked up by the sweeper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.publishing import dispatcher, tasks, threads
from chorus.publishing.models import Outcome, PostPart, State
from chorus.publishing.sweeper import dispatch_due

from .conftest import scheduled
from .thread_support import publish_with_parts, with_options


@pytest.fixture
def no_key(monkeypatch):  # type: ignore[no-untyped-def]
    """As on a network without idempotency keys (the stand-in is a Mastodon, which has them)."""
    monkeypatch.setattr(threads, "_keyed", lambda target: False)


def test_a_lost_answer_makes_the_part_unconfirmed_then_found(
    alice, channel_a, standin, no_key
) -> None:
    target = with_options(scheduled(alice, channel_a, "Lost 1"), thread=["Lost 2", "Lost 3"])
    standin.faults.forced = ["", "garbled"]  # part 2 is made, its answer unreadable

    publish_with_parts(target.pk)

    assert list(target.parts.values_list("state", flat=True)) == [
        State.UNCONFIRMED,
        State.SCHEDULED,
    ]
    assert threads.continue_thread(target) == "waiting"  # part 3 waits: never a hole

    threads.resume_due(timezone.now())

    texts = [s.text for s in standin.store.statuses]
    assert texts == ["Lost 1", "Lost 2", "Lost 3"]  # part 2 found, not sent again
    two, three = target.parts.all()
    assert (two.state, three.state) == (State.PUBLISHED, State.PUBLISHED)
    assert two.remote_id == standin.store.statuses[1].id
    assert standin.store.statuses[2].reply_to == two.remote_id
    assert target.attempt_log.filter(outcome=Outcome.RECONCILED).count() == 1


def test_an_unconfirmed_part_not_found_fails_after_the_grace(
    alice, channel_a, standin, no_key
) -> None:
    target = with_options(scheduled(alice, channel_a, "Gone 1"), thread=["Gone 2", "Gone 3"])
    dispatcher.publish_target(target.pk)  # part 1 only; part 2's request never reached it
    PostPart.objects.filter(target=target, position=2).update(state=State.UNCONFIRMED)
    part = target.parts.get(position=2)

    assert threads.reconcile_part(part, timezone.now()) == "waiting"
    later = timezone.now() + threads.RECONCILE_GRACE + timedelta(seconds=1)
    assert threads.reconcile_part(part, later) == "failed"

    assert list(target.parts.values_list("state", flat=True)) == [State.FAILED, State.FAILED]
    target.refresh_from_db()
    assert "Part 2 of 3" in target.last_error


def test_a_part_whose_worker_died_is_sent_again_with_its_key(alice, channel_a, standin) -> None:
    target = with_options(scheduled(alice, channel_a, "Died 1"), thread=["Died 2"])
    standin.faults.forced = ["", "500"]
    publish_with_parts(target.pk)
    long_ago = timezone.now() - timedelta(minutes=10)
    target.parts.update(state=State.PUBLISHING, claimed_at=long_ago)

    assert threads.recover_stale_parts(timezone.now()) == 1
    assert threads.continue_thread(target) == "done"

    assert [s.text for s in standin.store.statuses] == ["Died 1", "Died 2"]


def test_a_part_whose_worker_died_without_a_key_is_checked(
    alice, channel_a, standin, no_key
) -> None:
    target = with_options(scheduled(alice, channel_a, "Unkeyed 1"), thread=["Unkeyed 2"])
    standin.faults.forced = ["", "500"]
    publish_with_parts(target.pk)
    target.parts.update(state=State.PUBLISHING, claimed_at=timezone.now() - timedelta(minutes=10))

    assert threads.recover_stale_parts(timezone.now()) == 1

    assert target.parts.get().state == State.UNCONFIRMED
    assert [s.text for s in standin.store.statuses] == ["Unkeyed 1"]


def test_the_sweeper_continues_a_thread_whose_retry_the_queue_lost(
    alice, channel_a, standin
) -> None:
    target = with_options(scheduled(alice, channel_a, "Swept 1"), thread=["Swept 2"])
    standin.faults.forced = ["", "500"]
    publish_with_parts(target.pk)
    target.parts.update(due_at=timezone.now() - timedelta(minutes=5))

    dispatch_due(enqueue=lambda pk, eta: None)

    assert [s.text for s in standin.store.statuses] == ["Swept 1", "Swept 2"]
    assert target.parts.get().state == State.PUBLISHED


def test_a_thread_whose_first_part_was_found_goes_on(alice, channel_a, standin) -> None:
    target = with_options(scheduled(alice, channel_a, "Found 1"), thread=["Found 2"])
    standin.faults.forced = ["garbled"]  # part 1 is made, its answer unreadable
    assert publish_with_parts(target.pk) == Outcome.UNCONFIRMED

    tasks.reconcile_target_task.call_local(target.pk)

    one, two = standin.store.statuses
    assert (one.text, two.text, two.reply_to) == ("Found 1", "Found 2", one.id)
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.parts.get().remote_id == two.id


def test_a_thread_waiting_on_an_unconfirmed_part_is_not_resumed(alice, channel_a, standin) -> None:
    target = with_options(scheduled(alice, channel_a, "Wait 1"), thread=["Wait 2", "Wait 3"])
    dispatcher.publish_target(target.pk)  # part 1 only
    now = timezone.now()
    target.parts.update(due_at=now - timedelta(minutes=5))  # both parts look lost by the queue
    assert list(threads.targets_to_resume(now)) == [target]

    PostPart.objects.filter(target=target, position=2).update(state=State.UNCONFIRMED)

    assert list(threads.targets_to_resume(now)) == []
