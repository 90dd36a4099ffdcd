"""What is wrong with a variant: every check, each network's way of counting, thread splitting."""

from __future__ import annotations

from typing import Any

import pytest

from chorus.channels.base import Capability, CountMode, Limits, Network
from chorus.channels.models import Channel
from chorus.channels.registry import get_network
from chorus.publishing import validation
from chorus.publishing.models import Media
from chorus.publishing.problems import Problem, has_errors
from chorus.publishing.thread_splitting import split_thread
from chorus.publishing.validation import problems_for

MB = 1_000_000
FAMILY = "👩\u200d👩\u200d👧"  # one grapheme, five code points, eight UTF-16 units


class Chatty(Network):
    """A Telegram/Discord-like network: UTF-16 counting, no alt text, media required."""

    key = "chatty"
    label = "Chatty"
    capabilities = frozenset({Capability.PUBLISH, Capability.MEDIA})
    limits = Limits(max_chars=20, count_mode=CountMode.UTF16, max_media=1, requires_media=True)


def channel(network: str) -> Channel:
    return Channel(network=network, name=f"Brand on {network}")


def picture(**fields: Any) -> Media:
    values = {"name": "launch.png", "mime_type": "image/png", "size_bytes": MB, "alt_text": "A cat"}
    return Media(**(values | fields))


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


@pytest.fixture
def chatty(monkeypatch: pytest.MonkeyPatch) -> Channel:
    real = validation.get_network
    monkeypatch.setattr(
        validation, "get_network", lambda key: Chatty if key == "chatty" else real(key)
    )
    return channel("chatty")


# -- counting, each network's way ----------------------------------------------------------------


def test_bluesky_counts_graphemes_and_says_how_much_to_cut() -> None:
    assert problems_for(channel("bluesky"), FAMILY * 300, [], {}) == []
    (problem,) = problems_for(channel("bluesky"), "é" * 312, [], {})
    assert problem.code == "too_long" and problem.severity == "error"
    assert problem.message == "312 characters, Bluesky takes 300: cut 12."


def test_mastodon_counts_every_link_as_23_and_remote_mentions_by_their_local_part() -> None:
    long_link = "https://example.org/" + "a" * 600
    assert problems_for(channel("mastodon"), "x" * 470 + " " + long_link, [], {}) == []
    assert get_network("mastodon").count_text("@alice@very.long.example.social hi") == 9
    (problem,) = problems_for(channel("mastodon"), "x" * 480 + " " + long_link, [], {})
    assert "504 characters, Mastodon takes 500: cut 4" in problem.message


def test_mastodon_counts_the_content_warning_with_the_text() -> None:
    problems = problems_for(channel("mastodon"), "x" * 490, [], {"content_warning": "spoiler!!!!"})
    assert codes(problems) == ["too_long"]


def test_utf16_networks_count_emoji_as_javascript_does(chatty: Channel) -> None:
    assert Chatty.count_text(FAMILY) == 8
    assert Chatty.count_text("😀") == 2
    problems = problems_for(chatty, FAMILY * 3, [picture()], {})
    assert codes(problems) == ["too_long"]
    assert "24 characters, Chatty takes 20: cut 4" in problems[0].message


def test_each_thread_part_and_the_first_comment_are_counted() -> None:
    options = {"thread": ["ok", "y" * 301], "first_comment": "z" * 305}
    problems = problems_for(channel("bluesky"), "short", [], options)
    assert [(p.code, p.part) for p in problems] == [
        ("too_long", 3),
        ("first_comment_too_long", None),
    ]
    assert problems[0].message.startswith("Post 3 of the thread: 301 characters")


def test_a_thread_where_the_network_has_none(chatty: Channel) -> None:
    problems = problems_for(chatty, "one", [picture()], {"thread": ["two"]})
    assert "thread_not_supported" in codes(problems)


def test_a_first_comment_where_the_network_has_no_replies(chatty: Channel) -> None:
    problems = problems_for(chatty, "one", [picture()], {"first_comment": "more"})
    assert codes(problems) == ["first_comment_not_supported"]


# -- empty, media --------------------------------------------------------------------------------


def test_empty_text_without_media_is_an_error_but_a_picture_alone_is_fine() -> None:
    assert codes(problems_for(channel("mastodon"), "  \n", [], {})) == ["empty"]
    assert problems_for(channel("mastodon"), "", [picture()], {}) == []


def test_too_many_files() -> None:
    problems = problems_for(channel("bluesky"), "hi", [picture()] * 5, {})
    assert codes(problems) == ["too_many_media"]
    assert problems[0].message == "5 files, Bluesky takes 4: remove 1."


def test_a_picture_too_heavy_for_the_network() -> None:
    problems = problems_for(channel("bluesky"), "hi", [picture(size_bytes=3 * MB)], {})
    assert codes(problems) == ["media_too_big"]
    assert "3.0 MB" in problems[0].message and "2.0 MB" in problems[0].message


def test_a_file_type_the_network_does_not_take() -> None:
    problems = problems_for(channel("bluesky"), "hi", [picture(mime_type="image/tiff")], {})
    assert codes(problems) == ["media_type"]


def test_video_where_the_network_takes_none() -> None:
    clip = picture(name="clip.mp4", mime_type="video/mp4")
    assert codes(problems_for(channel("matrix"), "hi", [clip], {})) == ["video_not_supported"]
    assert problems_for(channel("mastodon"), "hi", [clip], {}) == []


def test_missing_alt_text_is_a_warning_and_too_long_alt_text_an_error() -> None:
    (missing,) = problems_for(channel("mastodon"), "hi", [picture(alt_text=" ")], {})
    assert (missing.code, missing.severity) == ("alt_text_missing", "warning")
    assert not has_errors([missing])
    (too_long,) = problems_for(channel("mastodon"), "hi", [picture(alt_text="d" * 1501)], {})
    assert (too_long.code, too_long.severity) == ("alt_text_too_long", "error")


def test_no_alt_text_warning_where_the_network_has_no_alt_text(chatty: Channel) -> None:
    assert problems_for(chatty, "hi", [picture(alt_text="")], {}) == []


def test_media_required(chatty: Channel) -> None:
    assert codes(problems_for(chatty, "hi", [], {})) == ["media_required"]


# -- options -------------------------------------------------------------------------------------


def test_poll_choices_are_checked() -> None:
    mastodon = channel("mastodon")
    assert problems_for(mastodon, "Vote", [], {"poll": {"options": ["a", "b"]}}) == []
    assert codes(problems_for(mastodon, "Vote", [], {"poll": {"options": ["a"]}})) == [
        "poll_too_few"
    ]
    five = {"poll": {"options": list("abcde")}}
    assert codes(problems_for(mastodon, "Vote", [], five)) == ["poll_too_many"]
    assert "poll_empty_option" in codes(
        problems_for(mastodon, "Vote", [], {"poll": {"options": ["a", " ", "b"]}})
    )
    with_picture = problems_for(mastodon, "Vote", [picture()], {"poll": {"options": ["a", "b"]}})
    assert codes(with_picture) == ["poll_with_media"]


def test_options_the_network_does_not_have() -> None:
    options = {"poll": {"options": ["a", "b"]}, "content_warning": "cw", "visibility": "unlisted"}
    assert codes(problems_for(channel("bluesky"), "hi", [], options)) == [
        "content_warning_not_supported",
        "visibility_not_supported",
        "poll_not_supported",
    ]
    weird = problems_for(channel("mastodon"), "hi", [], {"visibility": "everyone"})
    assert codes(weird) == ["visibility_unknown"]


def test_an_unknown_network_cannot_be_published_to() -> None:
    assert codes(problems_for(channel("myspace"), "hi", [], {})) == ["unknown_network"]


# -- threads -------------------------------------------------------------------------------------


def test_a_text_that_fits_is_not_split() -> None:
    assert split_thread("  Hello.  ", len, 300) == ["Hello."]


def test_split_numbers_parts_and_cuts_after_sentences() -> None:
    sentence = "Our new bikes arrive on Monday. "
    text = sentence * 20
    parts = split_thread(text, len, 100)
    assert all(len(part) <= 100 for part in parts)
    assert parts[0].startswith("1/") and parts[-1].startswith(f"{len(parts)}/{len(parts)} ")
    assert all(part.endswith(".") for part in parts)  # each cut falls after a sentence
    assert " ".join(part.split(" ", 1)[1] for part in parts) == text.strip()


def test_split_counts_the_networks_way() -> None:
    bluesky = get_network("bluesky")
    parts = split_thread(" ".join([FAMILY * 5] * 120), bluesky.count_text, 300)
    assert all(bluesky.count_text(part) <= 300 for part in parts)
    assert len(parts) == 3  # 720 graphemes; by code points it would need many more parts
    mastodon = get_network("mastodon")
    links = " ".join(f"https://example.org/{'p' * 200}/{n}" for n in range(40))
    parts = split_thread(links, mastodon.count_text, 500)
    assert all(mastodon.count_text(part) <= 500 for part in parts)
    assert len(parts) == 2


def test_split_cuts_a_word_longer_than_a_post_and_numbers_ten_or_more_parts() -> None:
    parts = split_thread("x" * 250, len, 30)
    assert all(len(part) <= 30 for part in parts)
    assert len(parts) >= 10 and parts[9].startswith(f"10/{len(parts)} ")
    assert "".join(part.split(" ", 1)[1] for part in parts) == "x" * 250


@pytest.mark.parametrize("key", ["telegram", "discord"])
def test_telegram_and_discord_count_utf16_once_registered(key: str) -> None:
    network = get_network(key)
    assert network.count_text(FAMILY) == 8 and network.count_text("😀") == 2
