"""What a Mastodon status carries besides its text reaches the inbox item: media with their
descriptions, the poll, the quoted post, the edit time, the content warning, who it addresses.

Statuses are the recorded answers of ../shared/fixtures/mastodon (named per test). None of those
recordings quotes a post (``"quote": null`` everywhere): the quote test puts a recorded status in
the Quote entity Mastodon 4.4 documents (``state`` + ``quoted_status``), and says so.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from mastodon_recordings import load_cassette

from chorus.channels.base import Attachment, PollOption
from chorus.channels.networks.mastodon.inbox import status_to_item


def recorded(cassette: str, number: int) -> Any:
    return load_cassette(cassette)[number].json()


def test_pictures_keep_their_address_preview_and_description() -> None:
    status = recorded("test_media_post_multiple.yaml", 4)  # POST /api/v1/statuses, two images

    item = status_to_item(status)

    first = item.media[0]
    assert len(item.media) == 2
    assert first == Attachment(
        kind="image",
        url="http://localhost:3000/system/media_attachments/files/117/020/576/646/493/592/original/963111bc1b0bd6b6.jpg",
        alt_text="John Lennon doing a funny walk",
        preview_url="http://localhost:3000/system/media_attachments/files/117/020/576/646/493/592/small/963111bc1b0bd6b6.jpg",
    )


def test_a_video_is_kept_as_a_video() -> None:
    status = recorded("test_media_post[True].yaml", 2)  # a video upload, then the post

    (video,) = status_to_item(status).media

    assert (video.kind, video.alt_text) == ("video", "me when a cat")
    assert video.url.endswith("/original/eeff5cc9d35a00aa.mp4")
    assert video.preview_url.endswith(
        "/thumbnails/117/020/575/776/246/986/original/fc13dbf5f7602144.jpg"
    )


def test_a_media_only_status_still_has_its_media() -> None:
    status = copy.deepcopy(recorded("test_media_post_multiple.yaml", 4))
    status["content"] = ""  # as a picture sent with no words arrives

    item = status_to_item(status)

    assert item.text == ""
    assert [media.alt_text for media in item.media][0] == "John Lennon doing a funny walk"


def test_the_poll_keeps_its_options_counts_and_closing_time() -> None:
    status = recorded("test_polls.yaml", 0)  # admin's "nice" with a poll

    poll = status_to_item(status).poll

    assert poll is not None
    assert poll.options == (PollOption("four twenty", 0), PollOption("sixty-nine", 0))
    assert poll.closes_at == datetime(2026, 8, 1, 13, 58, 7, 237000, tzinfo=UTC)
    assert (poll.voters, poll.closed) == (0, False)


def test_an_edited_status_says_when() -> None:
    status = recorded("test_status_edit.yaml", 3)  # GET after PUT

    item = status_to_item(status)

    assert item.edited_at == datetime(2026, 8, 1, 13, 54, 0, 695000, tzinfo=UTC)
    assert status_to_item(recorded("test_status.yaml", 0)).edited_at is None


def test_the_content_warning_is_kept_apart_as_well() -> None:
    status = recorded("test_status_post[Content warning-direct].yaml", 0)

    item = status_to_item(status)

    assert item.content_warning == "Content warning"
    assert item.text.startswith("[CW: Content warning]")


def test_a_direct_message_names_who_else_it_addresses() -> None:
    conversations = recorded("test_conversations.yaml", 2)
    status = conversations[0]["last_status"]  # mastodonpy_test_2 to @admin

    assert status_to_item(status, direct=True).addressed_to == ("admin",)


def test_a_quoted_post_gives_its_address_author_and_text() -> None:
    status = copy.deepcopy(recorded("test_status_reply.yaml", 2))
    quoted = recorded("test_status_edit.yaml", 3)
    status["quote"] = {"state": "accepted", "quoted_status": quoted}

    item = status_to_item(status)

    assert item.quoted is not None
    assert item.quoted.url == quoted["url"]
    assert item.quoted.author == "mastodonpy_test_2"
    assert "KDE Advanced Text Editor" in item.quoted.text


def test_a_quote_not_yet_accepted_shows_nothing_and_breaks_nothing() -> None:
    status = copy.deepcopy(recorded("test_status_reply.yaml", 2))
    status["quote"] = {"state": "pending", "quoted_status": None}

    assert status_to_item(status).quoted is None


def test_oddly_shaped_extras_are_left_out_not_fatal() -> None:
    status = copy.deepcopy(recorded("test_media_post_multiple.yaml", 4))
    status["media_attachments"] = ["not an object", {"type": 3}]
    status["poll"] = {"options": "none"}
    status["edited_at"] = "yesterday"

    item = status_to_item(status)

    assert item.media == (Attachment(kind="file"),)
    assert (item.poll, item.edited_at) == (None, None)
