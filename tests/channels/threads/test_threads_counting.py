"""Threads counts 500 characters, an emoji as its UTF-8 bytes (Meta's publishing guide)."""

from __future__ import annotations

from chorus.channels.networks.threads.network import Threads


def test_letters_count_one_each_accents_included() -> None:
    assert Threads.count_text("Café crème") == 10


def test_an_emoji_counts_its_utf8_bytes() -> None:
    assert Threads.count_text("😀") == 4
    assert Threads.count_text("Hi 👋🏽") == 3 + 8  # the wave and its skin tone
    assert Threads.count_text("🇫🇷") == 8


def test_the_limit_is_500() -> None:
    assert Threads.limits.max_chars == 500
    assert Threads.count_text("a" * 496 + "😀") == 500
