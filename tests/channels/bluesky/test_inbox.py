"""Replies, mentions and quotes from app.bsky.notification.listNotifications (AppView).

The local PDS cannot serve notifications, so the bodies are built from recorded Bluesky records
and profiles (../shared/fixtures/bluesky/test_data) and checked against the lexicon first.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from chorus.channels.errors import Permanent

from .conftest import APPVIEW, appview_connection, recorded
from .lexicon import validate

OUR_POST = recorded("thread_view_post_with_embed_media.json")["thread"]["post"]
STRANGER = recorded("get_follows.json")["follows"][0]  # why.bsky.team, a profileView
NOTIFICATIONS = f"{APPVIEW}/xrpc/app.bsky.notification.listNotifications"


def notification(reason: str, record: dict[str, Any], indexed_at: str, **extra: Any) -> dict:
    item = {
        "uri": extra.pop("uri", recorded("post_record.json")["uri"]),
        "cid": recorded("post_record.json")["cid"],
        "author": STRANGER,
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": indexed_at,
        **extra,
    }
    validate("app.bsky.notification.listNotifications#notification", item)
    return item


def reply_to_our_post(indexed_at: str, uri: str = "") -> dict:
    record = copy.deepcopy(recorded("post_record.json")["value"])
    ref = {"uri": OUR_POST["uri"], "cid": OUR_POST["cid"]}
    record["reply"] = {"root": ref, "parent": ref}
    extra = {"uri": uri} if uri else {}
    return notification("reply", record, indexed_at, reasonSubject=OUR_POST["uri"], **extra)


def mention(indexed_at: str) -> dict:
    record = recorded("extended_post_record.json")  # extra fields, a createdAt without zone
    return notification("mention", record["value"], indexed_at, uri=record["uri"])


def like(indexed_at: str) -> dict:
    return notification("like", recorded("like_record.json")["value"], indexed_at)


def page(*items: dict, cursor: str = "") -> httpx.Response:
    body: dict[str, Any] = {"notifications": list(items)}
    if cursor:
        body["cursor"] = cursor
    return httpx.Response(200, json=body)


def test_replies_and_mentions_become_inbox_items(appview: respx.MockRouter) -> None:
    appview.get(NOTIFICATIONS).mock(
        return_value=page(
            reply_to_our_post("2024-02-22T20:00:00.000Z"),
            mention("2024-02-22T19:00:00.000Z"),
            like("2024-02-22T18:00:00.000Z"),
        )
    )

    inbox = appview_connection().fetch_inbox()

    reply, mentioned = inbox.items
    assert (reply.kind, mentioned.kind) == ("reply", "mention")
    assert reply.text == "new text114"
    assert reply.in_reply_to == OUR_POST["uri"]
    assert reply.conversation_id == OUR_POST["uri"]
    assert reply.author.handle == "why.bsky.team"
    assert reply.author.display_name == "Why"
    assert reply.url == "https://bsky.app/profile/why.bsky.team/post/3k2yihcrp6f2c"
    assert mentioned.text == "regress test"
    assert mentioned.conversation_id == mentioned.remote_id  # not in a thread: its own
    assert mentioned.created_at == datetime(2023, 7, 21, 1, 33, 51, 481951, tzinfo=UTC)
    assert inbox.cursor == "2024-02-22T20:00:00.000Z"


def test_only_replies_mentions_and_quotes_are_asked_for(appview: respx.MockRouter) -> None:
    route = appview.get(NOTIFICATIONS).mock(return_value=page())

    appview_connection().fetch_inbox()

    asked = route.calls.last.request.url.params
    assert sorted(asked.get_list("reasons")) == ["mention", "quote", "reply"]


def test_the_next_poll_only_hands_over_what_is_new(appview: respx.MockRouter) -> None:
    seen = "2024-02-22T20:00:00.000Z"
    newer = reply_to_our_post("2024-02-22T21:00:00.000Z", uri=OUR_POST["uri"] + "x")
    appview.get(NOTIFICATIONS).mock(
        return_value=page(newer, reply_to_our_post(seen), cursor="older-page")
    )

    inbox = appview_connection().fetch_inbox(seen)

    assert [item.remote_id for item in inbox.items] == [newer["uri"]]
    assert inbox.cursor == "2024-02-22T21:00:00.000Z"


def test_a_poll_reads_older_pages_until_it_reaches_what_it_saw(appview: respx.MockRouter) -> None:
    first = page(
        reply_to_our_post("2024-02-23T10:00:00.000Z", uri="at://a/app.bsky.feed.post/1"),
        cursor="page-2",
    )
    second = page(
        reply_to_our_post("2024-02-23T09:00:00.000Z", uri="at://a/app.bsky.feed.post/2"),
        reply_to_our_post("2024-02-22T20:00:00.000Z"),
    )
    route = appview.get(NOTIFICATIONS).mock(side_effect=[first, second])

    inbox = appview_connection().fetch_inbox("2024-02-22T20:00:00.000Z")

    assert len(inbox.items) == 2
    assert route.calls[1].request.url.params["cursor"] == "page-2"


def test_a_nothing_new_poll_keeps_its_cursor(appview: respx.MockRouter) -> None:
    appview.get(NOTIFICATIONS).mock(return_value=page())

    assert appview_connection().fetch_inbox("2024-02-22T20:00:00.000Z").cursor == (
        "2024-02-22T20:00:00.000Z"
    )


def test_a_broken_notification_is_skipped_not_a_crash(appview: respx.MockRouter) -> None:
    broken = {"reason": "reply", "uri": 12, "record": "nope", "indexedAt": "yesterday"}
    appview.get(NOTIFICATIONS).mock(
        return_value=page(broken, mention("2024-02-22T19:00:00.000Z"), "junk")  # type: ignore[arg-type]
    )

    assert [item.kind for item in appview_connection().fetch_inbox().items] == ["mention"]


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(200, text="<html>oops</html>"), httpx.Response(200, json={"feed": []})],
)
def test_an_unreadable_answer_is_a_permanent_error(
    appview: respx.MockRouter, answer: httpx.Response
) -> None:
    appview.get(NOTIFICATIONS).mock(return_value=answer)

    with pytest.raises(Permanent, match="could not read"):
        appview_connection().fetch_inbox()
