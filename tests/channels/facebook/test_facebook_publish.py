"""Publishing on a Page over loopback: text and link, one photo (streamed, with alt text),
several photos attached to one post, a video, a first comment, a Messenger answer, delete,
and a lost answer left Unconfirmed then found on the Page's feed."""

from __future__ import annotations

import io
from urllib.parse import parse_qs

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent, Unconfirmed
from chorus.channels.networks.facebook.network import Facebook
from tests.channels.facebook.conftest import PAGE_ID, V, page_body
from tests.channels.meta.recordings import recorded
from tests.loopback import Heard, Reply

PAGE = {"page_id": PAGE_ID}


@pytest.fixture
def page(graph):  # type: ignore[no-untyped-def]
    graph.on("GET", f"{V}/{PAGE_ID}", Reply(200, page_body()))
    connection = Facebook.connect({"access_token": "page-token"}, PAGE)
    yield connection
    connection.close()


def _form(heard: Heard) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(heard.body.decode()).items()}


def _picture(name: str = "a.jpg", alt: str = "") -> MediaFile:
    data = b"\xff\xd8\xff" + b"x" * 2000
    return MediaFile(name, "image/jpeg", alt_text=alt, source=lambda: io.BytesIO(data), size=2003)


def test_text_with_a_link_goes_to_the_feed(page, graph) -> None:
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(200, {"id": "123_456"}))

    made = page.publish(OutgoingPost("Hello", options={"link": "https://example.org/x"}))

    assert made.remote_id == "123_456" and made.url == "https://www.facebook.com/123_456"
    sent = _form(graph.requests(f"{V}/{PAGE_ID}/feed")[0])
    assert sent == {"message": "Hello", "link": "https://example.org/x"}


def test_one_photo_is_streamed_with_its_caption_and_alt_text(page, graph) -> None:
    graph.on("POST", f"{V}/{PAGE_ID}/photos", Reply(200, {"id": "9", "post_id": "123_9"}))

    made = page.publish(OutgoingPost("Look", media=(_picture(alt="A red bike"),)))

    assert made.remote_id == "123_9"
    heard = graph.requests(f"{V}/{PAGE_ID}/photos")[0]
    assert heard.headers["content-type"].startswith("multipart/form-data")
    assert b'name="caption"\r\n\r\nLook' in heard.body
    assert b'name="alt_text_custom"\r\n\r\nA red bike' in heard.body
    assert b'filename="a.jpg"' in heard.body and b"x" * 2000 in heard.body


def test_several_photos_are_uploaded_unpublished_then_attached(page, graph) -> None:
    graph.on("POST", f"{V}/{PAGE_ID}/photos", Reply(200, {"id": "p1"}), Reply(200, {"id": "p2"}))
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(200, {"id": "123_77"}))

    made = page.publish(OutgoingPost("Two", media=(_picture("a.jpg"), _picture("b.jpg"))))

    assert made.remote_id == "123_77"
    uploads = graph.requests(f"{V}/{PAGE_ID}/photos")
    assert len(uploads) == 2 and all(b'name="published"\r\n\r\nfalse' in u.body for u in uploads)
    feed = _form(graph.requests(f"{V}/{PAGE_ID}/feed")[0])
    assert feed["attached_media"] == '[{"media_fbid":"p1"},{"media_fbid":"p2"}]'


def test_a_video_goes_to_videos(page, graph) -> None:
    graph.on("POST", f"{V}/{PAGE_ID}/videos", Reply(200, {"id": "v1"}))
    video = MediaFile("v.mp4", "video/mp4", source=lambda: io.BytesIO(b"\0" * 500), size=500)

    assert page.publish(OutgoingPost("Watch", media=(video,))).remote_id == "v1"
    assert b'name="description"\r\n\r\nWatch' in graph.requests(f"{V}/{PAGE_ID}/videos")[0].body


def test_a_first_comment_answers_the_post(page, graph) -> None:
    post_id = "245778718206154"
    graph.on(
        "POST",
        f"{V}/{post_id}/comments",
        Reply(200, recorded("facebook/apidata/comments/create_resp.json")),
    )

    made = page.publish(OutgoingPost("More in the comments", reply_to=post_id))

    assert made.remote_id == "245778718206154_229887283291835"
    assert _form(graph.requests(f"{V}/{post_id}/comments")[0]) == {
        "message": "More in the comments"
    }


def test_a_messenger_answer_is_a_response_within_the_window(page, graph) -> None:
    graph.on(
        "POST", f"{V}/{PAGE_ID}/messages", Reply(200, {"recipient_id": "42", "message_id": "m_1"})
    )

    assert page.publish(OutgoingPost("Hi!", reply_to="dm:42")).remote_id == "m_1"
    sent = _form(graph.requests(f"{V}/{PAGE_ID}/messages")[0])
    assert sent == {
        "recipient": '{"id":"42"}',
        "message": '{"text":"Hi!"}',
        "messaging_type": "RESPONSE",
    }


def test_answering_after_24_hours_says_why_it_cannot(page, graph) -> None:
    refused = {
        "error": {
            "message": "(#10) This message is sent outside of allowed window.",
            "type": "OAuthException",
            "code": 10,
            "error_subcode": 2018278,
        }
    }
    graph.on("POST", f"{V}/{PAGE_ID}/messages", Reply(400, refused))

    with pytest.raises(Permanent, match="more than 24 hours ago"):
        page.publish(OutgoingPost("Too late", reply_to="dm:42"))


def test_a_lost_answer_is_unconfirmed_and_the_feed_finds_the_post(page, graph) -> None:
    # Meta failed while handling the POST (code 2): the post may exist.
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(500, {"error": {"code": 2, "message": "x"}}))
    graph.on(
        "GET",
        f"{V}/{PAGE_ID}/feed",
        Reply(200, recorded("facebook/apidata/posts/feed_fields_p1.json")),
    )

    with pytest.raises(Unconfirmed):
        page.publish(OutgoingPost("Happy July 4th! 🇺🇸"))
    recent = page.recent_posts()

    assert recent[0].remote_id == "4_10113477241177441" and recent[0].text == "Happy July 4th! 🇺🇸"
    assert len(recent) == 5


def test_delete_removes_the_post(page, graph) -> None:
    graph.on("DELETE", f"{V}/123_456", Reply(200, {"success": True}))

    page.delete("123_456")

    assert len(graph.requests(f"{V}/123_456")) == 1


def test_media_never_leave_as_one_body_in_memory(page, graph) -> None:
    """The file reaches httpx as a stream (a file object), read in chunks as it is sent."""
    opened: list[io.BytesIO] = []

    def source() -> io.BytesIO:
        opened.append(io.BytesIO(b"y" * 300_000))
        return opened[-1]

    graph.on("POST", f"{V}/{PAGE_ID}/photos", Reply(200, {"id": "9"}))
    page.publish(
        OutgoingPost("", media=(MediaFile("big.png", "image/png", source=source, size=300_000),))
    )

    assert len(opened) == 1 and opened[0].closed


def test_the_first_address_in_the_text_is_previewed(page, graph) -> None:
    graph.on("POST", f"{V}/{PAGE_ID}/feed", Reply(200, {"id": "123_457"}))

    page.publish(OutgoingPost("Our news: https://example.org/news/1. Read it!"))

    sent = _form(graph.requests(f"{V}/{PAGE_ID}/feed")[0])
    assert sent["link"] == "https://example.org/news/1"
