"""Answers hang where Instagram wants them, and moderation follows the token's permissions."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from tests.channels.instagram.conftest import at
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

COMMENT = "17858154961981086"
MEDIA = "17846368219941692"
NOT_A_FIELD = Reply(400, {"error": {"code": 100, "message": "(#100) Tried accessing nonexisting field (media_type) on node type (IGComment)"}})  # fmt: skip


def test_a_reply_to_a_comment_goes_under_it(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(COMMENT), NOT_A_FIELD)
    graph.on(
        "POST",
        at(f"{COMMENT}/replies"),
        Reply(200, recorded("facebook/apidata/comments/create_resp.json")),
    )

    published = instagram.publish(OutgoingPost("Thank you!", reply_to=COMMENT))

    (sent,) = graph.requests(at(f"{COMMENT}/replies"))
    assert parse_qs(sent.body.decode())["message"] == ["Thank you!"]
    assert published.remote_id == recorded("facebook/apidata/comments/create_resp.json")["id"]


def test_the_first_comment_goes_under_the_post(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(MEDIA), Reply(200, {"id": MEDIA, "media_type": "IMAGE"}))
    graph.on("POST", at(f"{MEDIA}/comments"), Reply(200, {"id": "17900000000000001"}))

    published = instagram.publish(OutgoingPost("#cats #nap", reply_to=MEDIA))

    assert published.remote_id == "17900000000000001"
    assert graph.requests(at(f"{MEDIA}/replies")) == []


def test_hide_unhide_and_delete_a_comment(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("POST", at(COMMENT), Reply(200, {"success": True}))
    graph.on("DELETE", at(COMMENT), Reply(200, b"true"))

    instagram.hide(COMMENT)
    instagram.unhide(COMMENT)
    instagram.redact(COMMENT)

    hide, unhide = graph.requests(at(COMMENT))[:2]
    assert parse_qs(hide.body.decode())["hide"] == ["true"]
    assert parse_qs(unhide.body.decode())["hide"] == ["false"]
    assert [r.method for r in graph.requests(at(COMMENT))] == ["POST", "POST", "DELETE"]


def test_a_refused_delete_says_metas_words(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "DELETE",
        at(MEDIA),
        Reply(400, {"error": {"code": 200, "message": "This media cannot be deleted"}}),
    )

    with pytest.raises(Permanent) as refused:
        instagram.delete(MEDIA)

    assert "This media cannot be deleted" in refused.value.message


def test_without_the_comments_permission_no_moderation_is_offered(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at("me/permissions"), Reply(200, {"data": [
        {"permission": "instagram_basic", "status": "granted"},
        {"permission": "instagram_manage_comments", "status": "declined"},
    ]}))  # fmt: skip

    assert instagram.refused_verbs() == {"hide", "unhide", "redact"}
    assert graph.requests(at("me/permissions"))[0].query["access_token"] == "user-token"


def test_with_the_comments_permission_everything_is_offered(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at("me/permissions"), Reply(200, {"data": [{"permission": "instagram_manage_comments", "status": "granted"}]}))  # fmt: skip

    assert instagram.refused_verbs() == frozenset()
