"""Bluesky counts graphemes: what a person sees as one character counts as one."""

from __future__ import annotations

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import Bluesky, check_post

FAMILY = "👨‍👩‍👧‍👦"  # seven code points, one grapheme


def test_an_emoji_family_counts_as_one() -> None:
    assert Bluesky.count_text(FAMILY) == 1
    assert Bluesky.count_text("Café ☕") == 6


def test_301_graphemes_are_counted_as_301_and_refused_before_sending() -> None:
    text = "é" * 150 + FAMILY * 151

    assert Bluesky.count_text(text) == 301
    with pytest.raises(Permanent, match="301"):
        check_post(OutgoingPost(text=text))


def test_300_emoji_families_fit_the_count_but_not_the_byte_limit() -> None:
    # 300 families are 7,500 UTF-8 bytes: over the lexicon's 3,000-byte limit on text.
    assert Bluesky.count_text(FAMILY * 300) == 300
    with pytest.raises(Permanent, match="too long"):
        check_post(OutgoingPost(text=FAMILY * 300))
    check_post(OutgoingPost(text="é" * 300))


def test_the_limits_bluesky_declares() -> None:
    assert Bluesky.limits.max_chars == 300
    assert Bluesky.limits.max_media == 4
    assert Bluesky.limits.max_image_bytes == 2_000_000
