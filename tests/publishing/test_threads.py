"""A thread goes out part after part, each answering the previous one, and a first comment
answers part 1; a failed part is retried later without ever posting an earlier part again."""

from __future__ import annotations

import uuid

from chorus.publishing import threads
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, PostTarget, State

from .conftest import scheduled


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
    assert target.options["thread_done"] == [two.id, three.id, comment.id]
    assert "thread_pending" not in target.options


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
    assert target.options["thread_pending"] is True
    assert len(target.options["thread_done"]) == 1
    retry = target.attempt_log.get(outcome=Outcome.RETRY)
    assert "Part 3 of 3" in retry.message
    assert "HTTP 500" in retry.message

    assert threads.continue_thread(target) == "done"

    texts = [s.text for s in standin.store.statuses]
    assert texts == ["Thread 1", "Thread 2", "Thread 3"]
    one, two, three = standin.store.statuses
    assert three.reply_to == two.id
    target.refresh_from_db()
    assert target.options["thread_done"] == [two.id, three.id]
    assert "thread_pending" not in target.options


def test_refused_part_stops_the_thread_with_a_message(alice, channel_a, standin) -> None:
    target = _with_options(scheduled(alice, channel_a, "Refused 1"), thread=["Refused 2"])
    standin.faults.forced = ["", "422"]

    assert publish_target(target.pk) == Outcome.PUBLISHED

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert "Part 2 of 2" in target.last_error
    assert "Text is too long" in target.last_error
    assert target.attempt_log.filter(outcome=Outcome.FAILED).count() == 1
    assert threads.has_more_parts(target)  # not done, but no longer pending: a person decides
    assert "thread_pending" not in target.options
    assert [s.text for s in standin.store.statuses] == ["Refused 1"]


def test_a_thread_held_by_a_live_worker_is_not_taken(alice, channel_a, standin) -> None:
    target = _with_options(scheduled(alice, channel_a, "Held 1"), thread=["Held 2"])
    standin.faults.forced = ["", "500"]
    publish_target(target.pk)
    target.refresh_from_db()
    rival = PostTarget.objects.get(pk=target.pk)

    assert threads.take(target) is True
    assert threads.continue_thread(rival) == "taken"
    assert [s.text for s in standin.store.statuses] == ["Held 1"]
