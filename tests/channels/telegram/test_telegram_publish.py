"""Publishing text, pictures, a video and threads, checked on what reached the Bot API."""

from __future__ import annotations

import json

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent
from tests.channels.telegram.telegram_bot import CHANNEL, TOKEN, channel_message, ok, recorded

PNG = MediaFile("cat.png", "image/png", b"\x89PNG fake picture bytes", alt_text="A cat")
MP4 = MediaFile("clip.mp4", "video/mp4", b"fake video bytes")


def test_text_goes_out_as_escaped_html(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", ok(channel_message(21)))

    published = telegram.publish(OutgoingPost(text="R&D <3 news > rumours"))

    sent = bot_api.requests_to("/sendMessage")[0]
    assert sent.path == f"/bot{TOKEN}/sendMessage"
    assert sent.json() == {
        "chat_id": str(CHANNEL),
        "text": "R&amp;D &lt;3 news &gt; rumours",
        "parse_mode": "HTML",
    }
    assert published.remote_id == f"{CHANNEL}:21"
    assert published.url == "https://t.me/c/1241558182/21"
    assert published.published_at is not None and published.published_at.year == 2018


def test_a_public_channel_gets_a_public_link(bot_api, telegram) -> None:
    chat = {"id": CHANNEL, "title": "VVV talk", "type": "channel", "username": "vvvtalk"}
    bot_api.answer("/sendMessage", ok(channel_message(22, chat=chat)))

    assert telegram.publish(OutgoingPost(text="hi")).url == "https://t.me/vvvtalk/22"


def test_one_picture_is_a_photo_with_its_caption(bot_api, telegram) -> None:
    photo = recorded("update_photo.json")["message"]
    bot_api.answer("/sendPhoto", ok({**photo, "chat": {"id": CHANNEL, "type": "channel"}}))

    published = telegram.publish(OutgoingPost(text="Our <new> cat", media=(PNG,)))

    form = bot_api.requests_to("/sendPhoto")[0].form()
    assert form["photo"] == ("cat.png", PNG.data)
    assert form["caption"][1] == b"Our &lt;new&gt; cat"
    assert form["parse_mode"][1] == b"HTML"
    assert form["chat_id"][1] == str(CHANNEL).encode()
    assert published.remote_id == f"{CHANNEL}:78"


def test_a_video_is_sent_with_send_video(bot_api, telegram) -> None:
    bot_api.answer("/sendVideo", ok(channel_message(30)))

    telegram.publish(OutgoingPost(text="", media=(MP4,)))

    form = bot_api.requests_to("/sendVideo")[0].form()
    assert form["video"] == ("clip.mp4", MP4.data)
    assert "caption" not in form


def test_several_pictures_are_one_album_captioned_on_the_first(bot_api, telegram) -> None:
    bot_api.answer("/sendMediaGroup", ok([channel_message(40), channel_message(41)]))
    second = MediaFile("dog.jpg", "image/jpeg", b"jpeg bytes")

    published = telegram.publish(OutgoingPost(text="Two friends", media=(PNG, second)))

    form = bot_api.requests_to("/sendMediaGroup")[0].form()
    assert json.loads(form["media"][1]) == [
        {
            "type": "photo",
            "media": "attach://file0",
            "caption": "Two friends",
            "parse_mode": "HTML",
        },
        {"type": "photo", "media": "attach://file1"},
    ]
    assert form["file0"] == ("cat.png", PNG.data)
    assert form["file1"] == ("dog.jpg", second.data)
    assert published.remote_id == f"{CHANNEL}:40,41"


def test_a_thread_part_answers_the_previous_part(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", ok(channel_message(51)))

    telegram.publish(OutgoingPost(text="2/2", reply_to=f"{CHANNEL}:40,41"))

    assert bot_api.requests_to("/sendMessage")[0].json()["reply_parameters"] == {
        "message_id": 40,
        "allow_sending_without_reply": True,
    }


def test_an_answer_to_a_direct_message_goes_to_that_chat(bot_api, telegram) -> None:
    bot_api.answer("/sendMessage", ok(channel_message(52)))

    telegram.publish(OutgoingPost(text="Thanks!", reply_to="207777314:78"))

    sent = bot_api.requests_to("/sendMessage")[0].json()
    assert sent["chat_id"] == "207777314"
    assert sent["reply_parameters"]["message_id"] == 78


@pytest.mark.parametrize(
    ("text", "media"),
    [("x" * 4097, ()), ("x" * 1025, (PNG,)), ("🎉" * 2049, ())],  # 🎉 is two UTF-16 units
)
def test_too_long_is_refused_before_anything_is_sent(bot_api, telegram, text, media) -> None:
    with pytest.raises(Permanent, match="Shorten it"):
        telegram.publish(OutgoingPost(text=text, media=media))

    assert bot_api.seen == []


def test_eleven_files_are_refused(bot_api, telegram) -> None:
    with pytest.raises(Permanent, match="at most 10"):
        telegram.publish(OutgoingPost(text="", media=(PNG,) * 11))
    assert bot_api.seen == []
