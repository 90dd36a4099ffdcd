"""Pictures: uploaded to the homeserver, one event each, with their alt text for screen readers."""

from __future__ import annotations

import io

from matrix_room import Person
from PIL import Image

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.networks.matrix.network import PARTS_KEY, MatrixConnection


def png(width: int, height: int, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_image_arrives_with_its_alt_text_and_size(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    data = png(30, 20)
    picture = MediaFile("poster.png", "image/png", data, alt_text="A red poster for the meetup")
    published = alice.publish(OutgoingPost(text="", media=(picture,), idempotency_key="img-1"))

    content = bob.event(room, published.remote_id)["content"]
    assert content["msgtype"] == "m.image"
    assert content["body"] == "A red poster for the meetup"
    assert "filename" not in content  # else clients would show the alt text as a caption
    assert content["info"] == {"mimetype": "image/png", "size": len(data), "w": 30, "h": 20}
    assert bob.download(content["url"]) == data


def test_text_with_two_images_is_three_messages_and_deletes_as_one(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    pictures = (
        MediaFile("one.png", "image/png", png(4, 4), alt_text="first"),
        MediaFile("two.png", "image/png", png(4, 4, "blue"), alt_text="second"),
    )
    post = OutgoingPost(text="Our two posters", media=pictures, idempotency_key="img-2")
    published = alice.publish(post)
    again = alice.publish(post)  # a retry resends nothing new
    assert again.remote_id == published.remote_id

    messages = bob.messages(room)
    assert [m["content"]["body"] for m in messages] == ["first", "second", "Our two posters"]
    assert messages[-1]["content"][PARTS_KEY] == [messages[0]["event_id"], messages[1]["event_id"]]

    alice.delete(published.remote_id)
    assert all(not message["content"] for message in bob.messages(room))
