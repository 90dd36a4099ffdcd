"""Deleting a published thread takes its parts down too, the last first, then the post itself."""

from __future__ import annotations

from typing import Any

from chorus.publishing import deleting

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
