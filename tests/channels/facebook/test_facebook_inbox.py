"""The Page's inbox by polling, from recorded bodies over loopback: comments and replies on its
recent posts (two pages of ``filter=stream``), Messenger conversations and their messages, and
the identifiers the Meta webhooks must agree with."""

from __future__ import annotations

import json

import pytest

from chorus.channels.networks.facebook import inbox
from chorus.channels.networks.facebook.network import Facebook
from chorus.channels.networks.meta.login import SCOPES
from tests.channels.facebook.conftest import V
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

DEVELOPERS = "19292868552"  # the Page of the recorded feed and comments
MYLIFE = "2121008874780932"  # the Page of the recorded Messenger conversations
EMPTY = {"data": []}


def _page(graph, page_id: str, name: str, scopes: list[str]):  # type: ignore[no-untyped-def]
    graph.on("GET", f"{V}/{page_id}", Reply(200, {"id": page_id, "name": name}))
    graph.on("GET", f"{V}/{page_id}/tagged", Reply(200, EMPTY))
    graph.on("GET", f"{V}/{page_id}/feed", Reply(200, EMPTY))
    settings = {"page_id": page_id, "granted_scopes": scopes}
    return Facebook.connect({"access_token": "page-token"}, settings)


@pytest.fixture
def developers(graph):  # type: ignore[no-untyped-def]
    feed = recorded("facebook/apidata/posts/feeds_default_fields_p1.json")
    connection = _page(graph, DEVELOPERS, "Facebook for Developers", [])
    graph.on("GET", f"{V}/{DEVELOPERS}/feed", Reply(200, feed))
    for post in feed["data"]:
        graph.on("GET", f"{V}/{post['id']}/comments", Reply(200, EMPTY))
    first = feed["data"][0]["id"]
    graph.on(
        "GET",
        f"{V}/{first}/comments",
        Reply(200, recorded("facebook/apidata/comments/comments_p1.json")),
        Reply(200, recorded("facebook/apidata/comments/comments_p2.json")),
    )
    yield connection, first
    connection.close()


def test_comments_and_replies_of_recent_posts_arrive_oldest_first(developers, graph) -> None:
    connection, first = developers

    page = connection.fetch_inbox()

    assert len(page.items) == 15  # both recorded pages of the post's comments
    assert page.items == sorted(page.items, key=lambda item: item.created_at)
    asked = graph.requests(f"{V}/{first}/comments")
    assert [r.query.get("after") for r in asked] == [None, "after"]
    assert asked[0].query["filter"] == "stream"
    reply = next(i for i in page.items if i.remote_id.endswith("_10158413660043553"))
    assert reply.kind == "reply" and reply.conversation_id == first
    assert reply.in_reply_to == "10158407654328553_10158412899928553"
    assert reply.text.startswith("Hi, please follow this link")
    top = next(i for i in page.items if i.remote_id == "10158407654328553_10158407835073553")
    assert top.kind == "comment" and top.in_reply_to == ""


def test_the_next_poll_keeps_only_what_is_newer(developers) -> None:
    connection, _first = developers
    cursor = connection.fetch_inbox().cursor

    again = connection.fetch_inbox(cursor)

    assert json.loads(cursor)["since"].startswith("2021-08-1")
    assert again.items == []


def test_messenger_messages_arrive_with_the_person_as_conversation(graph) -> None:
    connection = _page(graph, MYLIFE, "MyLife", list(SCOPES))
    graph.on(
        "GET",
        f"{V}/{MYLIFE}/conversations",
        Reply(200, recorded("facebook/apidata/conversations/cvses_info.json")),
    )
    for conversation in ("t_587956915396498", "t_233782918546745"):
        graph.on(
            "GET",
            f"{V}/{conversation}/messages",
            Reply(200, recorded("facebook/apidata/messages/messages_info.json")),
        )

    items = connection.fetch_inbox().items

    assert items and all(item.kind == "direct" for item in items)
    first = items[0]
    assert first.conversation_id == "dm:2711636948859886" and first.remote_id.startswith("m_")
    assert first.author.display_name == "Kun Liu"
    assert first.media and first.media[0].kind == "image"
    assert graph.requests(f"{V}/{MYLIFE}/conversations")[0].query["platform"] == "messenger"


def test_without_pages_messaging_messenger_is_not_read(graph) -> None:
    connection = _page(graph, MYLIFE, "MyLife", ["pages_read_engagement"])

    connection.fetch_inbox()

    assert graph.requests(f"{V}/{MYLIFE}/conversations") == []


def test_a_recorded_comment_with_its_author_and_the_page_own_comments_left_out() -> None:
    comment = recorded("facebook/models/comment.json")
    item = inbox.item_from_comment(comment, "2954961744718970")

    assert item is not None and item.remote_id == "2954961744718970_2966313500250461"
    assert item.author.remote_id == "2711636948859886" and item.author.handle == "Kun Liu"
    assert item.media[0].kind == "image"


def test_a_message_from_the_page_itself_is_not_an_incoming_message() -> None:
    mine = {"id": "m_x", "from": {"id": MYLIFE, "name": "MyLife"}, "message": "hello"}

    assert inbox.item_from_message(mine, MYLIFE) is None


def test_a_comment_hidden_on_facebook_is_stored_hidden(page_channel) -> None:
    from chorus.inbox.ingest import ingest
    from chorus.inbox.models import Message

    shown = recorded("facebook/models/comment.json")
    hidden = {**shown, "id": "2954961744718970_1", "is_hidden": True, "message": "Buy followers"}
    items = [inbox.item_from_comment(c, "2954961744718970") for c in (shown, hidden)]

    ingest(page_channel, [item for item in items if item is not None])

    stored = {m.remote_id: m.hidden for m in Message.objects.filter(channel=page_channel)}
    assert stored == {"2954961744718970_2966313500250461": False, "2954961744718970_1": True}
