"""How Threads counts a post's length: 500 characters, where an emoji counts as its UTF-8 bytes.

Meta's publishing guide says so ("Emojis are counted as the number of UTF-8 bytes"): a 😀 is
four, a family emoji joined by zero-width joiners is all of its bytes. Everything else counts
one per code point.
"""

from __future__ import annotations

import regex

GRAPHEME = regex.compile(r"\X")
EMOJI = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")


def threads_length(text: str) -> int:
    total = 0
    for cluster in GRAPHEME.findall(text):
        if EMOJI.search(cluster):
            total += len(cluster.encode("utf-8"))
        else:
            total += len(cluster)
    return total
