"""Hiding a reply on Bluesky through the root post's thread gate, against a real PDS on loopback.

The PDS stores and validates the ``app.bsky.feed.threadgate`` record (its lexicon includes
``hiddenReplies``); folding the reply away in people's feeds is the AppView's part, which cannot
run here, so these tests check the record Bluesky's AppView reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from chorus.channels.base import Capability, OutgoingPost
from chorus.channels.errors import Permanent, Transient
from chorus.channels.networks.bluesky.hiding import MAX_HIDDEN_REPLIES, THREADGATE
from chorus.channels.networks.bluesky.network import Bluesky, BlueskyConnection
from tests.channels.bluesky.conftest import (  # noqa: F401 - fixtures: a real PDS and accounts
    LEXICONS,
    Account,
    connect,
    make_account,
)
from tests.servers.pds import RunningPDS

pytestmark = pytest.mark.server

Connect = Callable[..., BlueskyConnection]


@pytest.fixture
def brand(make_account: Callable[[str], Account]) -> Account:  # noqa: F811
    return make_account("brand")


@pytest.fixture
def troll(make_account: Callable[[str], Account]) -> Account:  # noqa: F811
    return make_account("troll")


def post(connect: Connect, account: Account, text: str, reply_to: str = "") -> str:  # noqa: F811
    """Publish as ``account`` through the connector; the post's at-uri."""
    published = connect(account.credentials()).publish(OutgoingPost(text=text, reply_to=reply_to))
    return published.remote_id


def rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def gate_of(pds: RunningPDS, account: Account, root: str) -> dict[str, Any] | None:  # noqa: F811
    """The thread gate as stored on the PDS, read without Chorus; None if there is none."""
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": account.did, "collection": THREADGATE, "rkey": rkey(root)},
        timeout=30,
    )
    if answer.status_code == 400 and answer.json().get("error") == "RecordNotFound":
        return None
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def put_gate_as_the_app(pds: RunningPDS, account: Account, root: str, **fields: Any) -> None:  # noqa: F811
    """A thread gate written the way the Bluesky app writes one (reply settings, hidden replies)."""
    record = {"$type": THREADGATE, "post": root, **fields}
    with httpx.Client(base_url=pds.url, timeout=30) as http:
        session = http.post(
            "/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.password},
        ).json()
        written = http.post(
            "/xrpc/com.atproto.repo.putRecord",
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
            json={
                "repo": account.did,
                "collection": THREADGATE,
                "rkey": rkey(root),
                "record": record,
            },
        )
        written.raise_for_status()


def hidden_in(pds: RunningPDS, account: Account, root: str) -> list[str]:  # noqa: F811
    gate = gate_of(pds, account, root)
    return list(gate["value"].get("hiddenReplies", [])) if gate else []


def test_bluesky_declares_hide_and_has_both_verbs() -> None:
    assert Bluesky.can(Capability.HIDE)
    assert callable(BlueskyConnection.hide) and callable(BlueskyConnection.unhide)


def test_the_cap_is_the_lexicons() -> None:
    lexicon = json.loads((LEXICONS / "app.bsky.feed.threadgate.json").read_text())
    properties = lexicon["defs"]["main"]["record"]["properties"]
    assert MAX_HIDDEN_REPLIES == properties["hiddenReplies"]["maxLength"] == 300


def test_hiding_a_reply_writes_a_thread_gate_that_still_lets_anyone_reply(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Nouvelle carte ce midi")
    reply = post(connect, troll, "Nul", reply_to=root)

    connect(brand.credentials()).hide(reply)

    gate = gate_of(pds, brand, root)
    assert gate is not None
    value = gate["value"]
    assert value["hiddenReplies"] == [reply] and value["post"] == root
    assert value["$type"] == THREADGATE and value["createdAt"]
    assert "allow" not in value  # an empty list would close the thread to every reply
    lexicon = json.loads((LEXICONS / "app.bsky.feed.threadgate.json").read_text())
    record = lexicon["defs"]["main"]["record"]
    assert set(value) - {"$type"} <= set(record["properties"])
    assert set(record["required"]) <= set(value)


def test_hiding_keeps_the_reply_rules_and_the_creation_time(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Réservé aux abonnés")
    earlier = post(connect, troll, "Premier", reply_to=root)
    reply = post(connect, troll, "Deuxième", reply_to=root)
    rules = [
        {"$type": f"{THREADGATE}#followingRule"},
        {"$type": f"{THREADGATE}#mentionRule"},
    ]
    put_gate_as_the_app(
        pds, brand, root, allow=rules, createdAt="2024-05-01T10:00:00.000Z", hiddenReplies=[earlier]
    )

    connect(brand.credentials()).hide(reply)

    value = gate_of(pds, brand, root)["value"]  # type: ignore[index]
    assert value["allow"] == rules
    assert value["createdAt"] == "2024-05-01T10:00:00.000Z"
    assert value["hiddenReplies"] == [earlier, reply]


def test_unhide_shows_that_reply_again_and_only_that_one(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Horaires d'été")
    first = post(connect, troll, "Un", reply_to=root)
    second = post(connect, troll, "Deux", reply_to=root)
    as_brand = connect(brand.credentials())
    as_brand.hide(first)
    as_brand.hide(second)

    as_brand.unhide(first)

    assert hidden_in(pds, brand, root) == [second]


def test_hiding_or_showing_twice_changes_nothing_more(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Deux fois")
    reply = post(connect, troll, "Spam", reply_to=root)
    as_brand = connect(brand.credentials())

    as_brand.unhide(reply)  # never hidden, no gate: nothing is written
    assert gate_of(pds, brand, root) is None
    as_brand.hide(reply)
    version = gate_of(pds, brand, root)["cid"]  # type: ignore[index]
    as_brand.hide(reply)
    assert gate_of(pds, brand, root)["cid"] == version  # type: ignore[index]
    assert hidden_in(pds, brand, root) == [reply]
    as_brand.unhide(reply)
    as_brand.unhide(reply)
    assert hidden_in(pds, brand, root) == []


def test_a_reply_deeper_in_our_thread_is_hidden_in_the_roots_gate(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    make_account: Callable[[str], Account],  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Question du jour")
    fan = make_account("fan")
    answer = post(connect, fan, "Le mardi", reply_to=root)
    deep = post(connect, troll, "Réponse à la réponse", reply_to=answer)

    connect(brand.credentials()).hide(deep)

    assert hidden_in(pds, brand, root) == [deep]


def test_a_reply_in_someone_elses_thread_is_refused_and_nothing_written(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    their_root = post(connect, troll, "Mon fil à moi")
    reply = post(connect, brand, "On répond", reply_to=their_root)

    with pytest.raises(Permanent, match="only the account that started a thread"):
        connect(brand.credentials()).hide(reply)

    assert gate_of(pds, brand, their_root) is None
    assert gate_of(pds, troll, their_root) is None


def test_a_post_that_answers_nothing_is_refused(
    connect: Connect,  # noqa: F811
    troll: Account,
    brand: Account,
) -> None:
    mention = post(connect, troll, "Hé @brand, regardez")

    with pytest.raises(Permanent, match="only hide replies"):
        connect(brand.credentials()).hide(mention)


def test_a_deleted_reply_cannot_be_hidden_and_showing_it_is_a_no_op(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Fermé lundi")
    reply = post(connect, troll, "Dommage", reply_to=root)
    connect(troll.credentials()).delete(reply)
    as_brand = connect(brand.credentials())

    with pytest.raises(Permanent, match="no longer on Bluesky"):
        as_brand.hide(reply)
    as_brand.unhide(reply)

    assert gate_of(pds, brand, root) is None


def test_a_full_gate_is_refused_with_the_limit_and_left_as_it_was(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Concours")
    reply = post(connect, troll, "Encore un", reply_to=root)
    full = [f"at://{troll.did}/app.bsky.feed.post/3kfull{n:06d}" for n in range(300)]
    put_gate_as_the_app(pds, brand, root, createdAt="2024-05-01T10:00:00.000Z", hiddenReplies=full)
    before = gate_of(pds, brand, root)

    with pytest.raises(Permanent, match="at most 300 replies"):
        connect(brand.credentials()).hide(reply)

    assert gate_of(pds, brand, root) == before


def puts_with(connection: BlueskyConnection, before_each: Callable[[], None]) -> list[str]:
    """Run ``before_each`` just before each thread-gate write of ``connection``: another writer
    slipping in between our read and our write. Returns the writes' bodies, in order."""
    sent: list[str] = []

    def hook(request: httpx.Request) -> None:
        if request.url.path.endswith("/com.atproto.repo.putRecord"):
            sent.append(request.content.decode())
            before_each()

    connection.http.event_hooks["request"].append(hook)
    return sent


@pytest.mark.parametrize("gate_exists", [False, True], ids=["new gate", "existing gate"])
def test_two_hides_at_once_both_stay_hidden(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
    gate_exists: bool,
) -> None:
    root = post(connect, brand, "Soldes")
    mine, theirs = (post(connect, troll, text, reply_to=root) for text in ("A", "B"))
    if gate_exists:
        put_gate_as_the_app(pds, brand, root, createdAt="2024-05-01T10:00:00.000Z")
    worker, other_worker = connect(brand.credentials()), connect(brand.credentials())
    slipped_in: list[str] = []

    def other_hide_first() -> None:
        if not slipped_in:
            slipped_in.append(theirs)
            other_worker.hide(theirs)

    writes = puts_with(worker, other_hide_first)

    worker.hide(mine)

    assert sorted(hidden_in(pds, brand, root)) == sorted([mine, theirs])
    assert len(writes) == 2  # refused once (InvalidSwap), read again, written again


def test_losing_every_race_is_a_transient_error_and_loses_nobody_elses_change(
    pds: RunningPDS,  # noqa: F811
    connect: Connect,  # noqa: F811
    brand: Account,
    troll: Account,
) -> None:
    root = post(connect, brand, "Très demandé")
    mine = post(connect, troll, "Moi", reply_to=root)
    others = [post(connect, troll, f"Autre {n}", reply_to=root) for n in range(3)]
    worker, other_worker = connect(brand.credentials()), connect(brand.credentials())
    waiting = list(others)

    writes = puts_with(worker, lambda: other_worker.hide(waiting.pop(0)))

    with pytest.raises(Transient, match="at the same moment"):
        worker.hide(mine)

    assert len(writes) == 3
    assert sorted(hidden_in(pds, brand, root)) == sorted(others)
