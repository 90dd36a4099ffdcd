"""The Threads inbox over loopback: replies in our threads and posts that mention us; hiding.

No public recording of Threads replies exists: the bodies follow Meta's documented shapes
(developers.facebook.com/docs/threads/retrieve-and-manage-replies, .../threads-mentions).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from chorus.channels.networks.threads.inbox import item_from_reply
from tests.channels.threads.conftest import USER, V
from tests.channels.threads.conftest import graph_error as error_body
from tests.loopback import Reply


def reply(rid: str, text: str, at: str, parent: str = "1801", **more) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "id": rid,
        "text": text,
        "username": "ana.bakes",
        "permalink": f"https://www.threads.net/@ana.bakes/post/{rid}",
        "timestamp": f"2026-12-07T{at}+0000",
        "media_type": "TEXT_POST",
        "root_post": {"id": "1801"},
        "replied_to": {"id": parent},
        "is_reply": True,
        "is_reply_owned_by_me": False,
        "hide_status": "NOT_HUSHED",
        **more,
    }


CONVERSATION = {
    "data": [
        reply("r1", "Love this <b>café</b>", "10:05:00"),
        reply("r2", "Me too", "10:06:00", parent="r1"),
        reply("r3", "Thanks!", "10:07:00", parent="r1", is_reply_owned_by_me=True),
    ],
    "paging": {"cursors": {"before": "a", "after": "b"}},
}
MENTIONS = {
    "data": [
        {
            "id": "m1",
            "text": "Best coffee at @chorus.cafe",
            "username": "leo",
            "permalink": "https://www.threads.net/@leo/post/m1",
            "timestamp": "2026-12-07T09:00:00+0000",
            "is_reply": False,
        }
    ]
}


def _serve(meta) -> None:  # type: ignore[no-untyped-def]
    meta.on("GET", f"{V}/me/threads", Reply(200, {"data": [{"id": "1801"}]}))
    meta.on("GET", f"{V}/1801/conversation", Reply(200, CONVERSATION))
    meta.on("GET", f"{V}/{USER}/mentions", Reply(200, MENTIONS))


def test_replies_and_mentions_become_inbox_items(meta, connection) -> None:
    _serve(meta)

    page = connection.fetch_inbox()

    by_id = {item.remote_id: item for item in page.items}
    assert list(by_id) == ["m1", "r1", "r2"]  # oldest first; our own answer left out
    assert (by_id["r1"].kind, by_id["r1"].conversation_id, by_id["r1"].in_reply_to) == (
        "comment",
        "1801",
        "",
    )
    assert (by_id["r2"].kind, by_id["r2"].in_reply_to) == ("reply", "r1")
    assert by_id["r1"].text == "Love this <b>café</b>"  # kept as text; pages escape it
    assert by_id["r1"].author.handle == "ana.bakes"
    assert (by_id["m1"].kind, by_id["m1"].conversation_id) == ("mention", "m1")
    assert meta.requests(f"{V}/1801/conversation")[0].query["fields"].startswith("id,text")


def test_the_cursor_keeps_only_what_is_new(meta, connection) -> None:
    _serve(meta)
    first = connection.fetch_inbox()

    again = connection.fetch_inbox(first.cursor)

    assert json.loads(first.cursor)["since"].startswith("2026-12-07T10:06:00")
    assert again.items == [] and again.cursor == first.cursor


def test_without_the_mentions_permission_replies_still_come(meta, connection) -> None:
    _serve(meta)
    meta.on(
        "GET",
        f"{V}/{USER}/mentions",
        Reply(400, error_body(10, "Application does not have permission for this action")),
    )

    page = connection.fetch_inbox()

    assert [item.remote_id for item in page.items] == ["r1", "r2"]


def test_an_unreadable_reply_is_skipped() -> None:
    assert item_from_reply({"id": "x", "timestamp": "yesterday"}) is None
    assert item_from_reply({"text": "no id", "timestamp": "2026-12-07T10:00:00+0000"}) is None


def test_hide_and_unhide_a_reply(meta, connection) -> None:
    meta.on("POST", f"{V}/r1/manage_reply", Reply(200, {"success": True}))

    connection.hide("r1")
    connection.unhide("r1")

    sent = [parse_qs(h.body.decode())["hide"] for h in meta.requests(f"{V}/r1/manage_reply")]
    assert sent == [["true"], ["false"]]
