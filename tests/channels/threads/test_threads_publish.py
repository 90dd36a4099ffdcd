"""Publishing on Threads over loopback: text, one picture, a carousel, a reply in a thread.

No public recording of Threads publishing exists: the bodies follow Meta's documented shapes
(developers.facebook.com/docs/threads/posts: ``POST /{user}/threads`` answers ``{"id": container}``,
``GET /{container}?fields=status,error_message``, ``POST /{user}/threads_publish`` answers
``{"id": media}``, ``threads_publishing_limit`` answers ``{"data": [{"quota_usage", "config"}]}``).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent, RateLimited, Transient, Unconfirmed
from tests.channels.threads.conftest import USER, V
from tests.loopback import Heard, Loopback, Reply

LIMIT = {
    "data": [
        {
            "quota_usage": 4,
            "config": {"quota_total": 250, "quota_duration": 86400},
            "reply_quota_usage": 1,
            "reply_config": {"quota_total": 1000, "quota_duration": 86400},
        }
    ]
}
POSTED = {
    "id": "1801",
    "text": "Hello",
    "permalink": "https://www.threads.net/@chorus.cafe/post/A1",
    "timestamp": "2026-12-07T10:00:00+0000",
}


def form(heard: Heard) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(heard.body.decode()).items()}


def serve_publishing(meta: Loopback, *containers: str) -> None:
    meta.on("GET", f"{V}/{USER}/threads_publishing_limit", Reply(200, LIMIT))
    meta.on("POST", f"{V}/{USER}/threads", *[Reply(200, {"id": c}) for c in containers])
    meta.on("POST", f"{V}/{USER}/threads_publish", Reply(200, {"id": "1801"}))
    meta.on("GET", f"{V}/1801", Reply(200, POSTED))


def picture(name: str, url: str = "") -> MediaFile:
    return MediaFile(
        filename=name, mime_type="image/jpeg", data=b"jpeg", alt_text=f"alt {name}", public_url=url
    )


def test_a_text_post_is_one_container_then_published(meta, connection) -> None:
    serve_publishing(meta, "c1")

    published = connection.publish(OutgoingPost(text="Hello"))

    assert (published.remote_id, published.url) == ("1801", POSTED["permalink"])
    made = form(meta.requests(f"{V}/{USER}/threads")[0])
    assert made["media_type"] == "TEXT" and made["text"] == "Hello" and "reply_to_id" not in made
    assert form(meta.requests(f"{V}/{USER}/threads_publish")[0])["creation_id"] == "c1"
    assert meta.requests(f"{V}/{USER}/threads")[0].query["access_token"] == "TH-long-1"


def test_a_part_of_a_thread_answers_the_previous_part(meta, connection) -> None:
    serve_publishing(meta, "c2")

    connection.publish(OutgoingPost(text="Part two", reply_to="1700"))

    assert form(meta.requests(f"{V}/{USER}/threads")[0])["reply_to_id"] == "1700"


def test_one_picture_waits_for_the_container_to_finish(meta, connection) -> None:
    serve_publishing(meta, "c3")
    meta.on(
        "GET",
        f"{V}/c3",
        Reply(200, {"id": "c3", "status": "IN_PROGRESS"}),
        Reply(200, {"id": "c3", "status": "FINISHED"}),
    )

    connection.publish(
        OutgoingPost(text="Look", media=(picture("a.jpg", "https://chorus.example/m/a"),))
    )

    made = form(meta.requests(f"{V}/{USER}/threads")[0])
    assert (made["media_type"], made["image_url"], made["alt_text"]) == (
        "IMAGE",
        "https://chorus.example/m/a",
        "alt a.jpg",
    )
    assert len(meta.requests(f"{V}/c3")) == 2  # asked until FINISHED, then published
    assert len(meta.requests(f"{V}/{USER}/threads_publish")) == 1


def test_a_carousel_is_made_of_item_containers(meta, connection) -> None:
    serve_publishing(meta, "i1", "i2", "i3", "car")
    meta.on("GET", f"{V}/car", Reply(200, {"id": "car", "status": "FINISHED"}))
    media = tuple(picture(f"{n}.jpg", f"https://chorus.example/m/{n}") for n in "abc")

    connection.publish(OutgoingPost(text="Three", media=media))

    made = [form(h) for h in meta.requests(f"{V}/{USER}/threads")]
    assert [m["is_carousel_item"] for m in made[:3]] == ["true"] * 3
    assert made[3]["media_type"] == "CAROUSEL" and made[3]["children"] == "i1,i2,i3"
    assert form(meta.requests(f"{V}/{USER}/threads_publish")[0])["creation_id"] == "car"


def test_a_picture_without_a_public_address_names_chorus_base_url(meta, connection) -> None:
    serve_publishing(meta, "c4")

    with pytest.raises(Permanent, match="CHORUS_BASE_URL"):
        connection.publish(OutgoingPost(text="x", media=(picture("a.jpg"),)))

    assert not meta.requests(f"{V}/{USER}/threads")  # nothing made on Threads


def test_more_than_twenty_pictures_are_refused_before_anything_is_sent(meta, connection) -> None:
    serve_publishing(meta, "c")
    media = tuple(picture(f"{n}.jpg", f"https://chorus.example/{n}") for n in range(21))

    with pytest.raises(Permanent, match="at most 20"):
        connection.publish(OutgoingPost(text="x", media=media))
    assert not meta.requests(f"{V}/{USER}/threads")


def test_a_container_in_error_fails_with_meta_s_reason(meta, connection) -> None:
    serve_publishing(meta, "c5")
    meta.on(
        "GET",
        f"{V}/c5",
        Reply(200, {"id": "c5", "status": "ERROR", "error_message": "FAILED_DOWNLOADING_VIDEO"}),
    )

    with pytest.raises(Permanent, match="FAILED_DOWNLOADING_VIDEO"):
        connection.publish(OutgoingPost(text="x", media=(picture("a.jpg", "https://c.example/a"),)))
    assert not meta.requests(f"{V}/{USER}/threads_publish")


def test_a_container_still_in_progress_is_retried_later_not_published(meta, connection) -> None:
    serve_publishing(meta, "c6")
    meta.on("GET", f"{V}/c6", Reply(200, {"id": "c6", "status": "IN_PROGRESS"}))

    with pytest.raises(Transient):
        connection.publish(OutgoingPost(text="x", media=(picture("a.jpg", "https://c.example/a"),)))
    assert not meta.requests(f"{V}/{USER}/threads_publish")


def test_a_spent_quota_holds_the_post_with_a_reason(meta, connection) -> None:
    spent = {
        "data": [{"quota_usage": 250, "config": {"quota_total": 250, "quota_duration": 86400}}]
    }
    meta.on("GET", f"{V}/{USER}/threads_publishing_limit", Reply(200, spent))

    with pytest.raises(RateLimited, match="250 posts in 24 hours") as held:
        connection.publish(OutgoingPost(text="One too many"))

    assert held.value.retry_after == 3600
    assert not meta.requests(f"{V}/{USER}/threads")


def test_a_reply_counts_against_the_replies_quota(meta, connection) -> None:
    replies_spent = {
        "data": [
            {
                "quota_usage": 1,
                "config": {"quota_total": 250, "quota_duration": 86400},
                "reply_quota_usage": 1000,
                "reply_config": {"quota_total": 1000, "quota_duration": 86400},
            }
        ]
    }
    meta.on("GET", f"{V}/{USER}/threads_publishing_limit", Reply(200, replies_spent))

    with pytest.raises(RateLimited, match="1000 replies"):
        connection.publish(OutgoingPost(text="Thanks!", reply_to="1700"))


def test_a_malformed_quota_answer_publishes_nothing(meta, connection) -> None:
    meta.on("GET", f"{V}/{USER}/threads_publishing_limit", Reply(200, {"data": "nope"}))

    with pytest.raises(Transient):
        connection.publish(OutgoingPost(text="x"))
    assert not meta.requests(f"{V}/{USER}/threads")


def test_a_lost_answer_to_publish_is_unconfirmed(meta, connection) -> None:
    serve_publishing(meta, "c7")
    meta.on(
        "POST",
        f"{V}/{USER}/threads_publish",
        Reply(
            500,
            {
                "error": {
                    "code": 2,
                    "message": "Service temporarily unavailable",
                    "is_transient": True,
                }
            },
        ),
    )

    with pytest.raises(Unconfirmed):
        connection.publish(OutgoingPost(text="x"))


def test_a_publish_answer_without_an_id_is_unconfirmed(meta, connection) -> None:
    serve_publishing(meta, "c8")
    meta.on("POST", f"{V}/{USER}/threads_publish", Reply(200, {"ok": True}))

    with pytest.raises(Unconfirmed):
        connection.publish(OutgoingPost(text="x"))


def test_a_lost_answer_while_making_the_container_is_only_transient(meta, connection) -> None:
    serve_publishing(meta, "c9")
    meta.on("POST", f"{V}/{USER}/threads", Reply(500, "<html>oops</html>"))

    with pytest.raises(Transient) as raised:
        connection.publish(OutgoingPost(text="x"))
    assert not isinstance(raised.value, Unconfirmed)


def test_recent_posts_and_replies_are_read_back_for_reconciling(meta, connection) -> None:
    meta.on("GET", f"{V}/me/threads", Reply(200, {"data": [POSTED]}))
    meta.on(
        "GET",
        f"{V}/me/replies",
        Reply(
            200,
            {
                "data": [
                    {
                        "id": "1802",
                        "text": "Part two",
                        "permalink": "https://www.threads.net/@c/post/B",
                        "timestamp": "2026-12-07T10:01:00+0000",
                    }
                ]
            },
        ),
    )

    recent = connection.recent_posts()

    assert [(p.remote_id, p.text) for p in recent] == [("1802", "Part two"), ("1801", "Hello")]
    assert recent[0].published_at is not None and recent[0].published_at.hour == 10


def test_delete_removes_the_post(meta, connection) -> None:
    meta.on("DELETE", f"{V}/1801", Reply(200, {"success": True, "deleted_id": "1801"}))

    connection.delete("1801")

    assert len(meta.requests(f"{V}/1801")) == 1
