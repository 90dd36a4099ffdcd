"""Migration 0004 turns the thread progress kept in a target's options (``thread_done``…) into
PostPart rows and back: a half-published thread resumes at the right part, never posting one
twice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services, threads
from chorus.publishing.models import PostTarget, State

BEFORE = [("publishing", "0004_posttarget_taken_by")]
AFTER = [("publishing", "0005_thread_parts_as_rows")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


def _published_now(author: User, channel: Channel, text: str, **options: object) -> PostTarget:
    """Scheduled for now: outside a test transaction the queue (inline) publishes it at once."""
    post = services.create_post(channel.workspace, author, text, [channel])
    PostTarget.objects.filter(post=post).update(options=options)
    (target,) = services.schedule_post(post, timezone.now())
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    return target


@pytest.mark.django_db(transaction=True)
def test_half_published_thread_becomes_rows_and_resumes_at_the_right_part(
    alice, channel_a, standin
) -> None:
    standin.faults.forced = ["", "", "500"]  # parts 1 and 2 go out, part 3 waits for a retry
    target = _published_now(
        alice, channel_a, "Old 1", thread=["Old 2", "Old 3"], first_comment="Old C"
    )
    one, two = standin.store.statuses
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE)
        options = PostTarget.objects.values_list("options", flat=True).get(pk=target.pk)
        assert options["thread_done"] == [two.id]  # as the old code kept it
        assert options["thread_pending"] is True and options["thread_attempts"] == 1

        _migrate(AFTER)
        # Only the column this migration touched: later migrations add columns the table
        # does not have yet at this point (the crisis's despite_pause, say).
        target.refresh_from_db(fields=["options"])
        assert not {"thread_done", "thread_pending", "thread_attempts"} & set(target.options)
        rows = list(target.parts.values_list("position", "state", "remote_id", "attempts"))
        assert rows == [
            (2, State.PUBLISHED, two.id, 0),
            (3, State.SCHEDULED, "", 1),
            (4, State.SCHEDULED, "", 0),
        ]
    finally:
        _migrate(latest)

    target.parts.update(due_at=timezone.now())  # its retry time has come
    assert threads.continue_thread(target) == "done"

    texts = [s.text for s in standin.store.statuses]
    assert texts == ["Old 1", "Old 2", "Old 3", "Old C"]
    three, comment = standin.store.statuses[2:]
    assert (three.reply_to, comment.reply_to) == (two.id, one.id)


@pytest.mark.django_db(transaction=True)
def test_a_stopped_thread_keeps_its_missing_parts_failed(alice, channel_a, standin) -> None:
    standin.faults.forced = ["", "422"]  # refused: the old code stopped, a person decides
    target = _published_now(alice, channel_a, "Stopped 1", thread=["Stopped 2"])
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE)
        options = PostTarget.objects.values_list("options", flat=True).get(pk=target.pk)
        assert options["thread_done"] == [] and "thread_pending" not in options
        _migrate(AFTER)
        assert list(target.parts.values_list("state", flat=True)) == [State.FAILED]
    finally:
        _migrate(latest)
    assert [s.text for s in standin.store.statuses] == ["Stopped 1"]
