"""Comments, replies and tags are read by polling and named as the webhooks name them."""

from __future__ import annotations

from datetime import UTC, datetime

from chorus.channels.networks.instagram import inbox
from tests.channels.instagram.conftest import IG_USER, at
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

MEDIA = "17846368219941692"  # the post the recorded comments are on


def serve_inbox(graph) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(f"{IG_USER}/media"), Reply(200, {"data": [
        {"id": MEDIA, "permalink": "https://www.instagram.com/p/B9/", "comments_count": 4},
        {"id": "17895731045244887", "comments_count": 0},
    ]}))  # fmt: skip
    first = recorded("instagram/apidata/medias/comments_p1.json")
    # The first comment carries its replies (``replies{…}`` expands the recorded edge).
    first["data"][0]["replies"] = recorded("instagram/apidata/comments/replies.json")
    first["data"][0]["username"] = "lixiangguodu123"
    graph.on(
        "GET",
        at(f"{MEDIA}/comments"),
        Reply(200, first),
        Reply(200, recorded("instagram/apidata/medias/comments_p2.json")),
    )
    graph.on("GET", at(f"{IG_USER}/tags"), Reply(200, recorded("instagram/apidata/users/tagged_medias.json")))  # fmt: skip


def test_comments_and_replies_on_recent_posts_come_in(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_inbox(graph)

    page = instagram.fetch_inbox()

    comments = [item for item in page.items if item.kind in ("comment", "reply")]
    assert [(i.remote_id, i.kind, i.in_reply_to) for i in comments] == [
        ("17858154961981086", "comment", ""),
        ("17847314687296283", "reply", "17858154961981086"),
        ("17874875428706419", "comment", ""),
        ("17892250648466172", "comment", ""),
        ("17914413430382429", "comment", ""),
    ]
    assert {item.conversation_id for item in comments} == {MEDIA}
    first = comments[0]
    assert first.text == "Beautiful!"
    assert first.author.handle == "lixiangguodu123"
    assert first.created_at == datetime(2020, 6, 1, 10, 56, 52, tzinfo=UTC)
    # The second page was asked for on Chorus's own base, after the recorded cursor.
    pages = graph.requests(at(f"{MEDIA}/comments"))
    assert [p.query.get("after") for p in pages] == [None, "after"]
    assert "replies{" in pages[0].query["fields"]
    # A post with no comments costs no request.
    assert graph.requests(at("17895731045244887/comments")) == []


def test_posts_that_tag_the_account_are_mentions(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_inbox(graph)

    mentions = [item for item in instagram.fetch_inbox().items if item.kind == "mention"]

    assert mentions[0].remote_id == mentions[0].conversation_id == "17892354025952911"
    assert mentions[0].text == "publish test"
    assert mentions[0].url == "https://www.instagram.com/p/CMeo7rcJvTi/"
    assert mentions[0].media[0].kind == "image"


def test_the_cursor_leaves_out_what_the_inbox_already_has(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_inbox(graph)
    first = instagram.fetch_inbox()
    assert first.cursor == "2021-03-16T12:02:14+00:00"  # the newest item seen

    serve_inbox(graph)
    again = instagram.fetch_inbox(first.cursor)

    assert [item.remote_id for item in again.items] == ["17892354025952911"]


def test_a_comment_that_mentions_the_account_as_a_webhook_names_it(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET", at(IG_USER), Reply(200, recorded("instagram/apidata/users/mentioned_comment.json"))
    )

    item = instagram.mentioned_comment("17967008497439572", media_id="17889114512354744")

    assert (item.remote_id, item.kind, item.conversation_id) == (
        "17967008497439572",
        "mention",
        "17889114512354744",
    )
    assert item.text == "@ikroskun good"
    assert item.author.handle == "ikroskun"
    assert "mentioned_comment.comment_id(17967008497439572)" in graph.received[0].query["fields"]


def test_a_caption_that_mentions_the_account_as_a_webhook_names_it() -> None:
    item = inbox.item_from_mentioned_media(recorded("instagram/apidata/users/mentioned_media.json"))

    assert (item.remote_id, item.kind, item.conversation_id) == (
        "17889114512354744",
        "mention",
        "17889114512354744",
    )
    assert item.text == "@ikroskun hey"
    assert item.media[0].kind == "image"


def test_a_comment_without_its_fields_is_still_stored() -> None:
    """A delivery or page may lack ``username`` and ``timestamp``: the item keeps its ids."""
    item = inbox.item_from_comment({"id": "1", "text": "hi"}, "m1")

    assert (item.remote_id, item.conversation_id, item.author.handle) == ("1", "m1", "unknown")
