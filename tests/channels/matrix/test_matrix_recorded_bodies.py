"""The inbox parser on bodies recorded by others (matrix-nio's fixtures), not written by us."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from matrix_room import fixture_json

from chorus.channels.networks.matrix import inbox
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from chorus.core import http as chorus_http

SYNC_ROOM = "!SVkFJHzfwvuaIEawgC:localhost"


def nobody_is_us(event_id: str) -> bool:
    return False


def recorded_homeserver(requests: list[httpx.Request]) -> MatrixConnection:
    """A connection answered from the recordings: /sync.json, /messages with nothing more."""

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.endswith("/sync"):
            return httpx.Response(200, json=fixture_json("sync.json"))
        return httpx.Response(200, json={"chunk": [], "start": "t1"})

    http = chorus_http.client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(answer))
    credentials = {"access_token": "abc123", "user_id": "@alice:localhost"}
    connection = Matrix.connect(
        credentials, {"base_url": "http://127.0.0.1:9", "room": SYNC_ROOM}, http=http
    )
    assert isinstance(connection, MatrixConnection)
    return connection


def test_recorded_sync_becomes_one_comment() -> None:
    requests: list[httpx.Request] = []
    page = recorded_homeserver(requests).fetch_inbox()

    [item] = page.items
    assert item.remote_id == "$152037280074GZeOm:localhost"
    assert item.text == "baba"  # the plain body, never the HTML
    assert item.kind == "comment" and item.conversation_id == item.remote_id  # top-level
    assert item.author.handle == "@example:localhost"
    assert item.author.display_name == "example"  # from the room's member state
    assert item.created_at == datetime.fromtimestamp(1520372800.469, tz=UTC)
    assert page.cursor == "s526_47314_0_7_1_1_1_11444_1"
    assert requests[0].headers["Authorization"] == "Bearer abc123"
    assert requests[0].url.params["timeout"] == "0"  # polling, never a long-held request


def test_recorded_limited_sync_fills_the_gap_back_to_the_cursor() -> None:
    requests: list[httpx.Request] = []
    recorded_homeserver(requests).fetch_inbox("s500_0")
    gap = requests[1]
    assert gap.url.path.endswith("/messages")
    assert gap.url.params["from"] == "t392-516_47314_0_7_1_1_1_11444_1"  # the timeline's prev_batch
    assert gap.url.params["to"] == "s500_0"


def test_recorded_room_messages_leave_out_our_own_and_state() -> None:
    chunk = fixture_json("room_messages.json")["chunk"]
    items = inbox.inbox_items(
        reversed(chunk),
        room_id="!Xq3620DUiqCaoxq:example.com",
        own_user_id="@alice:example.com",
        is_ours=nobody_is_us,
    )
    assert [(item.author.handle, item.text) for item in items] == [
        ("@bob:example.com", "the world is big")
    ]


def test_recorded_events_only_people_messages_count() -> None:
    names = [
        "message_text",
        "message_emote",
        "message_notice",
        "redacted",
        "reaction",
        "megolm",
        "member",
        "topic",
        "sticker",
        "unknown",
    ]
    events = [fixture_json(f"events/{name}.json") for name in names]
    settled = inbox.settle_page(events)
    # text and emote share an event id in the recordings: one message, the later one.
    assert [(e["event_id"], e["content"]["msgtype"]) for e in settled] == [
        ("$152037280074GZeOm:localhost", "m.emote")
    ]


def test_a_recorded_redaction_removes_the_message_it_names() -> None:
    redaction = fixture_json("events/redaction.json")
    target = {**fixture_json("events/message_text.json"), "event_id": redaction["redacts"]}
    assert inbox.settle_page([target, redaction]) == []
