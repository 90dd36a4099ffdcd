"""Pictures, files and polls of Telegram messages reach the inbox item, with no file address
(it would hold the bot's token).

The messages are the recorded private message of recordings/update_photo.json. No recording of a
document, a video or a poll was found: those objects are put into that message here from the Bot
API documentation (https://core.telegram.org/bots/api#document, #video, #poll), and marked so.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import Attachment, PollOption
from chorus.channels.networks.telegram.updates import parse_update
from tests.channels.telegram.telegram_bot import recorded


def photo_update() -> dict[str, Any]:
    return copy.deepcopy(recorded("update_photo.json"))


def without_photo(**fields: Any) -> dict[str, Any]:
    update = photo_update()
    file_id = update["message"].pop("photo")[0]["file_id"]
    for value in fields.values():
        if "file_id" in value:
            value["file_id"] = file_id
    update["message"].update(fields)
    return update


def test_a_captioned_photo_keeps_both() -> None:
    update = photo_update()
    update["message"]["caption"] = "My parcel arrived broken"

    (item,) = parse_update(update)

    assert item.text == "My parcel arrived broken"
    assert item.media == (Attachment(kind="image"),)


def test_a_document_keeps_its_file_name() -> None:
    # Bot API "Document" fields (documented, not recorded).
    document = {"file_id": "", "file_unique_id": "AgADxx", "file_name": "invoice-0042.pdf",
                "mime_type": "application/pdf", "file_size": 48213}  # fmt: skip

    (item,) = parse_update(without_photo(document=document, caption="See attached"))

    assert item.media == (Attachment(kind="file", alt_text="invoice-0042.pdf"),)


def test_a_video_is_a_video() -> None:
    # Bot API "Video" fields (documented, not recorded).
    video = {"file_id": "", "file_unique_id": "AgADyy", "width": 640, "height": 360,
             "duration": 12}  # fmt: skip

    (item,) = parse_update(without_photo(video=video))

    assert [m.kind for m in item.media] == ["video"]


def test_a_poll_gives_its_question_as_text_and_its_options() -> None:
    # Bot API "Poll" (documented, not recorded).
    poll = {
        "id": "5319694702468239360",
        "question": "Which colour next?",
        "options": [{"text": "Red", "voter_count": 3}, {"text": "Blue", "voter_count": 5}],
        "total_voter_count": 8,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "close_date": 1586630775,
    }

    (item,) = parse_update(without_photo(poll=poll))

    assert item.text == "Which colour next?"
    assert item.poll is not None
    assert item.poll.options == (PollOption("Red", 3), PollOption("Blue", 5))
    assert item.poll.closes_at == datetime(2020, 4, 11, 18, 46, 15, tzinfo=UTC)
    assert item.poll.voters == 8


def test_a_message_with_neither_text_nor_media_is_still_skipped() -> None:
    update = photo_update()
    del update["message"]["photo"]

    assert parse_update(update) == []
