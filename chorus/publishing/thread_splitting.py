"""Cutting a long text into a thread: the composer's "split into a thread" for a network whose
posts are too short for what the person wrote. It proposes the parts; the person edits them,
and :mod:`.validation` then checks them like any thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import regex

_SENTENCE_END = re.compile(r"[.!?…。！？]['\")»”]*\s*$|\n\s*$")


def split_thread(text: str, limit_counter: Callable[[str], int], max_chars: int) -> list[str]:
    """Cut ``text`` into numbered posts ("1/3 …") that each fit ``max_chars`` counted the
    network's way, breaking after a sentence where one ends late enough, else between words.

    Text that already fits comes back whole and unnumbered.
    """
    text = text.strip()
    if limit_counter(text) <= max_chars:
        return [text]
    tokens = re.findall(r"\S+\s*", text)
    total = 9
    while True:
        # The numbering takes room in every part: reserve the widest "n/n " and, when more parts
        # came out than that width allows (10 or more), reserve again and cut again.
        parts = _pack(tokens, limit_counter, max_chars, f"{total}/{total} ")
        if len(str(len(parts))) <= len(str(total)):
            break
        total = 10 ** len(str(len(parts))) - 1
    count = len(parts)
    return [f"{number}/{count} {part}" for number, part in enumerate(parts, start=1)]


def _pack(
    tokens: list[str], counter: Callable[[str], int], max_chars: int, widest_prefix: str
) -> list[str]:
    def fits(candidate: str) -> bool:
        return counter(widest_prefix + candidate.strip()) <= max_chars

    parts: list[str] = []
    current: list[str] = []
    for token in _break_long_words(tokens, fits):
        if fits("".join([*current, token])):
            current.append(token)
            continue
        keep = _last_sentence_end(current)
        parts.append("".join(current[:keep]).strip())
        current = [*current[keep:], token]
    if current:
        parts.append("".join(current).strip())
    return [part for part in parts if part]


def _last_sentence_end(current: list[str]) -> int:
    """Where to cut ``current``: after its last sentence if that keeps at least half of it."""
    for index in range(len(current) - 1, len(current) // 2 - 1, -1):
        if _SENTENCE_END.search(current[index]):
            return index + 1
    return len(current)


def _break_long_words(tokens: list[str], fits: Callable[[str], bool]) -> list[str]:
    """A word longer than a whole post (a long link, text without spaces) is cut by graphemes."""
    pieces: list[str] = []
    for token in tokens:
        if fits(token):
            pieces.append(token)
            continue
        chunk = ""
        for grapheme in regex.findall(r"\X", token):
            if chunk and not fits(chunk + grapheme):
                pieces.append(chunk)
                chunk = ""
            chunk += grapheme
        pieces.append(chunk)
    return pieces
