"""Images and videos are uploaded first (v2), with their alt text; videos are waited for."""

from __future__ import annotations

import pytest
from mastodon_recordings import Recording, json_body

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Transient

PHOTO = MediaFile("cat.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 not really a jpeg", "A grey cat")
VIDEO = MediaFile("cat.mp4", "video/mp4", b"\x00\x00\x00\x18ftypmp42", "me when a cat")


def test_two_images_uploaded_with_alt_text_then_attached() -> None:
    recording = Recording.of("test_media_post_multiple.yaml")
    uploaded = [a.json()["id"] for a in recording.answers if a.path == "/api/v2/media"]

    published = recording.connect().publish(
        OutgoingPost(text="LOL check this out", media=(PHOTO, PHOTO), idempotency_key="m-1")
    )

    uploads = recording.requests("POST", "/api/v2/media")
    assert len(uploads) == 2
    assert b'name="description"\r\n\r\nA grey cat' in uploads[0].content
    assert b'filename="cat.jpg"' in uploads[0].content
    assert "idempotency-key" not in uploads[0].headers
    (status,) = recording.requests("POST", "/api/v1/statuses")
    assert json_body(status)["media_ids"] == uploaded
    assert published.remote_id == "117020576664345360"


def test_video_accepted_for_processing_is_polled_until_ready() -> None:
    recording = Recording.of("test_media_post[True].yaml")
    connection = recording.connect()
    pauses: list[float] = []
    connection.sleep = pauses.append

    published = connection.publish(OutgoingPost(text="LOL check this out", media=(VIDEO,)))

    assert recording.find("DELETE", f"/api/v1/statuses/{published.remote_id}")  # still to come
    (poll,) = recording.requests("GET", "/api/v1/media/117020575776246986")
    assert poll is not None
    assert len(pauses) == 1
    assert json_body(recording.requests("POST", "/api/v1/statuses")[0])["media_ids"] == [
        "117020575776246986"
    ]


def test_video_that_never_finishes_processing_gives_up_as_transient() -> None:
    recording = Recording.of("test_media_post[True].yaml")
    # Keep answering with the real "still processing" body (Mastodon says 206 meanwhile).
    still_processing = recording.find("POST", "/api/v2/media").body
    poll = recording.find("GET", "/api/v1/media/117020575776246986")
    poll.status, poll.body, poll.repeat = 206, still_processing, True
    connection = recording.connect(media_wait_seconds=30)

    with pytest.raises(Transient, match="still processing"):
        connection.publish(OutgoingPost(text="x", media=(VIDEO,), idempotency_key="v-1"))

    polls = recording.requests("GET", "/api/v1/media/117020575776246986")
    assert 1 < len(polls) < 10
    assert recording.requests("POST", "/api/v1/statuses") == []
