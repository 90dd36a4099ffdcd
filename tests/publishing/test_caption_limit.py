"""Telegram: with pictures or a video the text is a caption of at most 1,024 characters; on
its own it may take 4,096. The composer says so before the network refuses."""

from __future__ import annotations

from chorus.channels.models import Channel
from chorus.channels.networks.telegram.network import Telegram
from chorus.publishing.models import Media
from chorus.publishing.validation import problems_for

TELEGRAM = Channel(network="telegram", name="Vélo Club news")


def picture() -> Media:
    return Media(name="launch.png", mime_type="image/png", size_bytes=100_000)


def codes(text: str, media: list[Media]) -> list[str]:
    return [problem.code for problem in problems_for(TELEGRAM, text, media, {})]


def test_telegram_declares_its_caption_limit() -> None:
    assert Telegram.limits.max_caption_chars == 1024
    assert Telegram.limits.max_chars == 4096


def test_a_caption_over_1024_is_an_error_that_says_why() -> None:
    (problem,) = problems_for(TELEGRAM, "a" * 1030, [picture()], {})

    assert problem.code == "caption_too_long" and problem.is_error
    assert "1030 characters, Telegram takes 1024 with a picture or a video" in problem.message
    assert "cut 6" in problem.message


def test_a_caption_of_1024_is_fine() -> None:
    assert codes("a" * 1024, [picture()]) == []


def test_the_same_text_without_media_takes_up_to_4096() -> None:
    assert codes("a" * 1030, []) == []
    assert codes("a" * 4097, []) == ["too_long"]


def test_the_caption_is_counted_in_utf16_like_the_rest() -> None:
    # 512 emoji are 1,024 UTF-16 units; one more is over.
    assert codes("😀" * 512, [picture()]) == []
    assert codes("😀" * 513, [picture()]) == ["caption_too_long"]


def test_a_network_without_captions_keeps_its_one_limit() -> None:
    mastodon = Channel(network="mastodon", name="Vélo Club")
    picture_with_alt = Media(name="a.png", mime_type="image/png", size_bytes=1, alt_text="A bike")

    assert problems_for(mastodon, "a" * 500, [picture_with_alt], {}) == []
