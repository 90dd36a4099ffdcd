"""Deleting a post, and reading the account's recent posts to reconcile unconfirmed ones."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import BlueskyConnection
from tests.servers.pds import RunningPDS

from .conftest import Account

pytestmark = pytest.mark.server


def exists(pds: RunningPDS, uri: str) -> bool:
    repo, collection, rkey = uri.removeprefix("at://").split("/")
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": repo, "collection": collection, "rkey": rkey},
        timeout=30,
    )
    return answer.status_code == 200


def test_delete_removes_the_post(pds: RunningPDS, as_alice: BlueskyConnection) -> None:
    published = as_alice.publish(OutgoingPost(text="Erreur de date, on corrige"))

    as_alice.delete(published.remote_id)

    assert not exists(pds, published.remote_id)


def test_deleting_a_post_already_gone_succeeds(as_alice: BlueskyConnection) -> None:
    published = as_alice.publish(OutgoingPost(text="Deux fois"))
    as_alice.delete(published.remote_id)

    as_alice.delete(published.remote_id)


def test_someone_elses_post_is_not_ours_to_delete(
    connect: Callable[..., BlueskyConnection], alice: Account, bob: Account
) -> None:
    bobs_post = connect(bob.credentials()).publish(OutgoingPost(text="Le post de bob"))

    with pytest.raises(Permanent, match="own posts"):
        connect(alice.credentials()).delete(bobs_post.remote_id)


def test_a_malformed_address_is_refused(as_alice: BlueskyConnection) -> None:
    with pytest.raises(Permanent, match="not a Bluesky post"):
        as_alice.delete("https://bsky.app/profile/alice.test/post/abc")


def test_recent_posts_newest_first(
    connect: Callable[..., BlueskyConnection], make_account: Callable[[str], Account]
) -> None:
    connection = connect(make_account("charlie").credentials())
    sent = [connection.publish(OutgoingPost(text=f"Post {n}")) for n in range(3)]

    recent = connection.recent_posts(limit=2)

    assert [p.remote_id for p in recent] == [sent[2].remote_id, sent[1].remote_id]
    assert [p.text for p in recent] == ["Post 2", "Post 1"]
    assert recent[0].url == sent[2].url
