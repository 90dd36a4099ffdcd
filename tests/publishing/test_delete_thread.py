"""Deleting a published thread takes its parts down too, the last first, then the post itself;
not while a part is in flight, and a part of a deleted post is never sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from chorus.publishing import deleting, dispatcher, threads
from chorus.publishing.models import PostTarget, State
from chorus.publishing.services import PublishingRuleBroken

from .conftest import scheduled
from .thread_support import publish_with_parts, with_options


def test_deleting_a_thread_deletes_its_parts_last_first(
    alice, channel_a, standin, monkeypatch
) -> None:
    target = with_options(
        scheduled(alice, channel_a, "Del 1"), thread=["Del 2", "Del 3"], first_comment="Del C"
    )
    publish_with_parts(target.pk)
    deleted: list[str] = []

    class Network:
        def delete(self, remote_id: str) -> None:
            deleted.append(remote_id)

    def on_network(channel: Any, act: Any) -> None:
        act(Network())

    monkeypatch.setattr(deleting, "_on_network", on_network)

    deleting.delete_post(target.post, alice)

    one, two, three, comment = standin.store.statuses
    assert deleted == [comment.id, three.id, two.id, one.id]


def test_a_part_of_a_deleted_post_is_never_sent(alice, channel_a, standin) -> None:
    target = with_options(scheduled(alice, channel_a, "Gone 1"), thread=["Gone 2"])
    standin.faults.forced = ["", "500"]  # part 2 waits for a retry…
    publish_with_parts(target.pk)
    PostTarget.objects.filter(pk=target.pk).update(state=State.DELETED)  # …and the post goes
    target.parts.update(due_at=timezone.now())
    part = target.parts.get()

    assert dispatcher.claim(part) is False
    assert threads.continue_thread(target) == "taken"
    assert [s.text for s in standin.store.statuses] == ["Gone 1"]


def test_a_thread_with_a_part_in_flight_is_not_deleted_yet(
    alice, channel_a, standin, monkeypatch
) -> None:
    target = with_options(scheduled(alice, channel_a, "Busy 1"), thread=["Busy 2"])
    standin.faults.forced = ["", "500"]
    publish_with_parts(target.pk)
    target.parts.update(state=State.PUBLISHING)
    asked: list[Any] = []
    monkeypatch.setattr(deleting, "_on_network", lambda channel, act: asked.append(act))

    with pytest.raises(PublishingRuleBroken, match="being published"):
        deleting.delete_post(target.post, alice)

    assert asked == []  # nothing was taken down
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
