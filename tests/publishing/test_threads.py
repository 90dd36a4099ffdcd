"""A thread goes out part after part, each answering the previous one, and a first comment
answers part 1; a failed part is retried later without ever posting an earlier part again.
Each part is a row (PostPart) claimed and moved like a target."""

from __future__ import annotations

import uuid

from django.utils import timezone

from chorus.publishing import dispatcher, tasks, threads
from chorus.publishing.models import Outcome, PostPart, PostTarget, State

from .conftest import scheduled


def publish_target(target_id: int) -> str:
    """As the queue's task does: the target, then its thread's parts."""
    return dispatcher.publish_target(target_id, then=tasks.continue_thread)


def parts_of(target: PostTarget) -> list[tuple[int, str, str]]:
    return list(target.parts.values_list("position", "state", "remote_id"))


def _with_options(target: PostTarget, **options: object) -> PostTarget:
    PostTarget.objects.filter(pk=target.pk).update(options=options)
    target.refresh_from_db()
    return target


def test_thread_parts_answer_each_other_and_the_comment_answers_part_one(
    alice, channel_a, standin
) -> None:
    target = _with_options(
        scheduled(alice, channel_a, "Part 1: the news"),
        thread=["Part 2: the details", "Part 3: the link"],
        first_comment="Questions welcome below",
    )

    assert publish_target(target.pk) == Outcome.PUBLISHED

    one, two, three, comment = standin.store.statuses
    assert [s.text for s in (one, two, three, comment)] == [
        "Part 1: the news",
        "Part 2: the details",
        "Part 3: the link",
        "Questions welcome below",
    ]
    assert (one.reply_to, two.reply_to, three.reply_to) == ("", one.id, two.id)
    assert comment.reply_to == one.id
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.remote_id == one.id
    assert target.remote_url.endswith(f"/{one.id}")
    assert parts_of(target) == [
        (2, State.PUBLISHED, two.id),
        (3, State.PUBLISHED, three.id),
        (4, State.PUBLISHED, comment.id),
    ]
    assert target.parts.get(position=4).remote_url.endswith(f"/{comment.id}")


def test_each_part_has_its_own_key_derived_from_the_targets(alice, channel_a, standin) -> None:
    target = _with_options(scheduled(alice, channel_a, "Keyed 1"), thread=["Keyed 2"])
    publish_target(target.pk)

    one, two = standin.store.statuses
    assert one.key == str(target.idempotency_key)
    assert two.key == str(uuid.uuid5(target.idempotency_key, "part-2"))


def test_failed_part_is_logged_and_retried_without_posting_earlier_parts_again(
    alice, channel_a, standin
) -> None:
    target = _with_options(scheduled(alice, channel_a, "Thread 1"), thread=["Thread 2", "Thread 3"])
    standin.faults.forced = ["", "", "500"]  # part 3 meets a server error

    assert publish_target(target.pk) == Outcome.PUBLISHED

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert [state for _n, state, _id in parts_of(target)] == [State.PUBLISHED, State.SCHEDULED]
    retry = target.attempt_log.get(outcome=Outcome.RETRY)
    assert "Part 3 of 3" in retry.message
    assert "HTTP 500" in retry.message
    assert threads.continue_thread(target).startswith("later:")  # not before its retry time

    PostPart.objects.filter(target=target, position=3).update(due_at=timezone.now())
    assert threads.continue_thread(target) == "done"

    texts = [s.text for s in standin.store.statuses]
    assert texts == ["Thread 1", "Thread 2", "Thread 3"]
    one, two, three = standin.store.statuses
    assert three.reply_to == two.id
    assert parts_of(target) == [(2, State.PUBLISHED, two.id), (3, State.PUBLISHED, three.id)]


def test_refused_part_stops_the_thread_with_a_message(alice, channel_a, standin) -> None:
    target = _with_options(scheduled(alice, channel_a, "Refused 1"), thread=["Refused 2"])
    standin.faults.forced = ["", "422"]

    assert publish_target(target.pk) == Outcome.PUBLISHED

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert "Part 2 of 2" in target.last_error
    assert "Text is too long" in target.last_error
    assert target.attempt_log.filter(outcome=Outcome.FAILED).count() == 1
    assert parts_of(target) == [(2, State.FAILED, "")]  # a person decides
    assert threads.continue_thread(target) == "failed"
    assert [s.text for s in standin.store.statuses] == ["Refused 1"]


def test_a_refused_part_stops_the_parts_after_it(alice, channel_a, standin) -> None:
    target = _with_options(
        scheduled(alice, channel_a, "Stop 1"), thread=["Stop 2", "Stop 3"], first_comment="Hi"
    )
    standin.faults.forced = ["", "422"]

    publish_target(target.pk)

    states = [state for _n, state, _id in parts_of(target)]
    assert states == [State.FAILED, State.FAILED, State.FAILED]
    assert [s.text for s in standin.store.statuses] == ["Stop 1"]


def test_a_thread_held_by_a_live_worker_is_not_taken(alice, channel_a, standin) -> None:
    target = _with_options(scheduled(alice, channel_a, "Held 1"), thread=["Held 2"])
    standin.faults.forced = ["", "500"]
    publish_target(target.pk)
    PostPart.objects.filter(target=target).update(due_at=timezone.now())
    target.refresh_from_db()

    assert dispatcher.claim(target.parts.get()) is True  # a live worker holds part 2
    assert threads.continue_thread(target) == "taken"
    assert [s.text for s in standin.store.statuses] == ["Held 1"]
