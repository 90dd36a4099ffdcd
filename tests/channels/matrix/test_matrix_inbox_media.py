"""A picture or file sent in the room reaches the inbox item by kind and name (no address: an
``mxc://`` one opens in no browser)."""

from __future__ import annotations

from matrix_room import Person, fixture_json

from chorus.channels.base import Attachment
from chorus.channels.networks.matrix import inbox
from chorus.channels.networks.matrix.network import MatrixConnection


def test_a_picture_sent_by_a_client_arrives_with_its_name(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    cursor = alice.fetch_inbox().cursor
    bob.say(room, "orange_cat.jpg", msgtype="m.image", url="mxc://localhost/maDtasSiPFjROFMnlwxI",
            info={"mimetype": "image/jpeg", "size": 1024})  # fmt: skip
    bob.say(room, "Here is the cat", msgtype="m.file", filename="cat.pdf",
            url="mxc://localhost/askdlrioaKLAJKlkdahs")  # fmt: skip

    picture, document = alice.fetch_inbox(cursor).items

    assert picture.media == (Attachment(kind="image", alt_text="orange_cat.jpg"),)
    assert document.text == "Here is the cat"  # Matrix 1.10: with a filename, the body is a caption
    assert document.media == (Attachment(kind="file", alt_text="cat.pdf"),)


def test_the_recorded_encrypted_picture_event_gives_its_kind() -> None:
    event = fixture_json("events/room_encrypted_image.json")  # matrix-nio's m.image example

    (item,) = inbox.inbox_items([event], room_id=event["room_id"], own_user_id="@alice:localhost",
                                is_ours=lambda _id: False)  # fmt: skip

    assert item.media == (Attachment(kind="image", alt_text="orange_cat.jpg"),)
