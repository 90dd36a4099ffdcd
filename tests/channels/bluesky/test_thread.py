"""Threads and replies on a real PDS: every reply names its root and its parent by uri + cid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import BlueskyConnection
from tests.servers.pds import RunningPDS

from .conftest import Account, read_record
from .lexicon import validate_record

pytestmark = pytest.mark.server


def refs(pds: RunningPDS, uri: str) -> tuple[str, str]:
    """(root uri, parent uri) of a stored reply."""
    value = read_record(pds, uri)["value"]
    validate_record("app.bsky.feed.post", value)
    return value["reply"]["root"]["uri"], value["reply"]["parent"]["uri"]


def test_a_three_part_thread(pds: RunningPDS, as_alice: BlueskyConnection) -> None:
    first = as_alice.publish(OutgoingPost(text="1/3 Notre été en trois posts"))
    second = as_alice.publish(OutgoingPost(text="2/3 Les glaces", reply_to=first.remote_id))
    third = as_alice.publish(OutgoingPost(text="3/3 Les cafés", reply_to=second.remote_id))

    assert "reply" not in read_record(pds, first.remote_id)["value"]
    assert refs(pds, second.remote_id) == (first.remote_id, first.remote_id)
    assert refs(pds, third.remote_id) == (first.remote_id, second.remote_id)


def test_the_reply_refs_carry_the_cids_the_pds_gave(
    pds: RunningPDS, as_alice: BlueskyConnection
) -> None:
    first = as_alice.publish(OutgoingPost(text="Question du jour"))
    answer = as_alice.reply(first.remote_id, "Réponse")

    reply = read_record(pds, answer.remote_id)["value"]["reply"]
    assert reply["parent"]["cid"] == read_record(pds, first.remote_id)["cid"]


def list_posts(pds: RunningPDS, account: Account) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": account.did, "collection": "app.bsky.feed.post"},
        timeout=30,
    )
    answer.raise_for_status()
    records: list[dict[str, Any]] = answer.json()["records"]
    return records


def test_a_reply_from_someone_else_points_at_our_thread(
    pds: RunningPDS,
    connect: Callable[..., BlueskyConnection],
    make_account: Callable[[str], Account],
) -> None:
    alice, bob = make_account("alice"), make_account("bob")
    as_alice, as_bob = connect(alice.credentials()), connect(bob.credentials())
    root = as_alice.publish(OutgoingPost(text="Vos idées pour la rentrée ?"))
    follow_up = as_alice.reply(root.remote_id, "Par exemple : des ateliers")

    as_bob.reply(follow_up.remote_id, f"@{alice.handle} des ateliers latte art !")

    replies = [r for r in list_posts(pds, bob) if "reply" in r["value"]]
    assert len(replies) == 1
    value = replies[0]["value"]
    assert value["reply"]["root"]["uri"] == root.remote_id
    assert value["reply"]["parent"]["uri"] == follow_up.remote_id
    assert value["facets"][0]["features"][0]["did"] == alice.did


def test_answering_a_deleted_post_is_a_clear_permanent_error(as_alice: BlueskyConnection) -> None:
    gone = as_alice.publish(OutgoingPost(text="Bientôt supprimé"))
    as_alice.delete(gone.remote_id)

    with pytest.raises(Permanent, match="no longer on Bluesky"):
        as_alice.reply(gone.remote_id, "Trop tard")
