"""Text is escaped for Telegram's HTML parse mode, and nothing else is changed."""

from __future__ import annotations

import pytest

from chorus.channels.networks.telegram.network import Telegram
from chorus.channels.networks.telegram.text import as_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("R&D <3", "R&amp;D &lt;3"),
        ("<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;"),
        ("&amp; stays literal", "&amp;amp; stays literal"),
        ("\"quotes\" and 'apostrophes'", "\"quotes\" and 'apostrophes'"),
        ("https://example.org/?a=1&b=2", "https://example.org/?a=1&amp;b=2"),
        ("émoji 🎉 et accents", "émoji 🎉 et accents"),
    ],
)
def test_only_markup_characters_are_escaped(text, html) -> None:
    assert as_html(text) == html


def test_length_is_counted_in_utf16_units_before_escaping() -> None:
    assert Telegram.count_text("a&b") == 3
    assert Telegram.count_text("🎉") == 2
