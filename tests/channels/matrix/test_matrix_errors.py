"""Every failure becomes one classified error a community manager can act on, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from matrix_room import FIXTURES, fixture_json

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent, RateLimited, Transient, Unconfirmed
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from chorus.core import http as chorus_http
from tests.servers.synapse import RunningSynapse

ROOM = "!room:localhost"
CREDENTIALS = {"access_token": "token", "user_id": "@alice:localhost"}


def served_by(answer: Callable[[httpx.Request], httpx.Response]) -> MatrixConnection:
    """A connection whose homeserver is a function: for answers a live server will not give."""
    http = chorus_http.client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(answer))
    connection = Matrix.connect(
        CREDENTIALS, {"base_url": "http://127.0.0.1:9", "room": ROOM}, http=http
    )
    assert isinstance(connection, MatrixConnection)
    return connection


def always(status: int, **body: Any) -> MatrixConnection:
    return served_by(lambda request: httpx.Response(status, **body))


def test_a_non_member_posting_is_told_to_get_invited(synapse: RunningSynapse, room: str) -> None:
    as_charlie = Matrix.connect(
        synapse.users["charlie"].credentials(), {"base_url": synapse.base_url, "room": room}
    )
    with pytest.raises(Permanent) as refused:
        as_charlie.publish(OutgoingPost(text="let me in", idempotency_key="nm-1"))
    assert refused.value.message == (
        "The account is not allowed to post in this room — invite it or raise its power level."
    )
    assert "M_FORBIDDEN" in refused.value.detail


def test_an_unknown_room_alias_is_permanent(synapse: RunningSynapse) -> None:
    connection = Matrix.connect(
        synapse.users["alice"].credentials(),
        {"base_url": synapse.base_url, "room": "#nowhere:localhost"},
    )
    with pytest.raises(Permanent):
        connection.publish(OutgoingPost(text="hello", idempotency_key="nr-1"))


def test_the_recorded_rate_limit_waits_as_long_as_asked() -> None:
    connection = always(429, json=fixture_json("limit_exceeded_error.json"))
    with pytest.raises(RateLimited) as limited:
        connection.publish(OutgoingPost(text="hello", idempotency_key="rl-1"))
    assert limited.value.retry_after == 0.5  # "retry_after_ms": 500
    assert "M_LIMIT_EXCEEDED" in limited.value.detail


def test_a_rate_limit_without_retry_after_ms_reads_the_header() -> None:
    connection = always(429, json={"errcode": "M_LIMIT_EXCEEDED"}, headers={"Retry-After": "7"})
    with pytest.raises(RateLimited) as limited:
        connection.fetch_inbox()
    assert limited.value.retry_after == 7


def recorded_gateway_error(name: str) -> MatrixConnection:
    """The recorded 502/503 answers (status line and headers, empty body)."""
    head = (FIXTURES / name).read_text().split("\n")
    status = int(head[0].split()[1])
    headers = [tuple(line.split(": ", 1)) for line in head[1:] if ": " in line]
    return always(status, headers=headers)


@pytest.mark.parametrize("name", ["http_502.txt", "http_503.txt"])
def test_a_gateway_error_on_a_keyed_send_is_safe_to_retry(name: str) -> None:
    with pytest.raises(Transient):
        recorded_gateway_error(name).publish(OutgoingPost(text="hi", idempotency_key="gw-1"))


def test_a_gateway_error_without_a_key_is_unconfirmed() -> None:
    with pytest.raises(Unconfirmed):
        recorded_gateway_error("http_502.txt").publish(OutgoingPost(text="hi"))


@pytest.mark.parametrize(
    "body", [b"<html>oops</html>", b"[1, 2]", b'{"event_id": 42}', b"{not json"]
)
def test_a_garbled_answer_is_permanent_not_a_crash(body: bytes) -> None:
    connection = always(200, content=body)
    with pytest.raises(Permanent):
        connection.publish(OutgoingPost(text="hi", idempotency_key="mj-1"))


def test_a_garbled_sync_is_permanent_not_a_crash() -> None:
    with pytest.raises(Permanent):
        always(200, content=b"\x00\xff").fetch_inbox("s1")


def test_a_wrong_shaped_sync_gives_an_empty_page() -> None:
    page = always(200, json={"next_batch": "s2", "rooms": {"join": {ROOM: {"timeline": []}}}})
    result = page.fetch_inbox("s1")
    assert result.items == [] and result.cursor == "s2"
