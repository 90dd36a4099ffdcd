"""A batch of messages laid end to end, so per-message work becomes a few numpy passes.

Python pays ~1 µs of overhead per function call and per regex search; at tweet length that
overhead, not the work, is what limited classify_many to ~2,000 messages/s. Here every message of
a batch is joined into one string (one message per line), and each step runs once over the whole
batch: one regex scan, one array of code points, one set of rolling hashes. Positions are mapped
back to messages with the line starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .text import decode_escapes

if TYPE_CHECKING:
    from .phrases import Words

SEPARATOR = "\n"
_URL = re.compile(r"https?://\S+|www\.\S+|\bhttp\b")
_MENTION = re.compile(r"@\w+")
_HASHTAG_SIGN = re.compile(r"#(\w+)")
# Runs of spaces, and other blanks (tabs, no-break spaces): single spaces are left alone.
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
# Characters that join two letters into one word: "c'est", "aujourd’hui", "week-end".
WORD_JOINERS = "'’-"
# Code points above this (rare letters of historic scripts) count as symbols: the tables stay small.
TABLE_SIZE = 0x30000

Ints = npt.NDArray[np.int64]
Hashes = npt.NDArray[np.uint64]
Flags = npt.NDArray[np.bool_]

HASH_BASE = np.uint64(0x100000001B3)  # the FNV prime: odd, so invertible modulo 2**64
HASH_BASE_INVERSE = np.uint64(pow(int(HASH_BASE), -1, 2**64))


@functools.cache
def character_tables() -> dict[str, Flags]:
    """Per code point: is it a letter, a word character (letter, digit, _), upper case?"""
    characters = [chr(point) for point in range(TABLE_SIZE)]
    tables = {
        "letter": np.fromiter((c.isalpha() for c in characters), bool, TABLE_SIZE),
        "word": np.fromiter((c.isalnum() or c == "_" for c in characters), bool, TABLE_SIZE),
        "upper": np.fromiter((c.isupper() for c in characters), bool, TABLE_SIZE),
    }
    for table in tables.values():
        table[ord(SEPARATOR)] = False
    return tables


def code_points(text: str) -> Ints:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def lookup(table: Flags, points: Ints) -> Flags:
    return table[np.minimum(points, TABLE_SIZE - 1)]


class JoinedText:
    """Messages joined one per line, with what is needed to map positions back to messages."""

    def __init__(self, joined: str) -> None:
        self.text = joined
        self.points = code_points(joined)
        breaks = np.flatnonzero(self.points == ord(SEPARATOR))
        self.starts: Ints = np.concatenate([[0], breaks + 1]).astype(np.int64)
        self.ends: Ints = np.concatenate([breaks, [len(self.points)]]).astype(np.int64)
        self.count = len(self.starts)
        self._prefix: Hashes | None = None
        self._message_ids: Ints | None = None
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split(SEPARATOR)
        return self._lines

    def message_of(self, positions: Ints) -> Ints:
        found: Ints = self.message_ids[positions]
        return found

    def lengths(self) -> Ints:
        result: Ints = self.ends - self.starts
        return result

    def messages_matching(self, pattern: re.Pattern[str]) -> Flags:
        """Which messages the pattern finds something in (matches never span two messages)."""
        return self.match_counts(pattern) > 0

    def match_counts(self, pattern: re.Pattern[str]) -> Ints:
        positions = [m.start() for m in pattern.finditer(self.text) if SEPARATOR not in m.group()]
        messages = self.message_of(np.asarray(positions, dtype=np.int64))
        counts: Ints = np.bincount(messages, minlength=self.count).astype(np.int64)
        return counts

    def per_message_sum(self, values: npt.NDArray[np.generic]) -> npt.NDArray[np.float64]:
        """Sum of a per-position array over each message."""
        cumulative = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
        result: npt.NDArray[np.float64] = cumulative[self.ends] - cumulative[self.starts]
        return result

    def with_points(self, points: Ints) -> JoinedText:
        """The same messages with each code point replaced one for one (e.g. accents folded),
        for hashing; `text` stays the original."""
        copy = JoinedText.__new__(JoinedText)
        copy.__dict__.update(self.__dict__)
        copy.points, copy._prefix = points, None
        return copy

    @property
    def message_ids(self) -> Ints:
        """The message of every position (separators belong to the message before them)."""
        if self._message_ids is None:
            self._message_ids = np.repeat(
                np.arange(self.count, dtype=np.int64), self.lengths() + 1
            )[: len(self.points)]
        return self._message_ids

    # Rolling hashes: hash(i, n) of text[i:i+n] in O(1) after one prefix pass.
    def _prefix_hashes(self) -> Hashes:
        if self._prefix is None:
            powers, _ = _powers(len(self.points) + 1)
            terms = (self.points.astype(np.uint64) + np.uint64(1)) * powers[: len(self.points)]
            self._prefix = np.concatenate(
                [np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)]
            )
        return self._prefix

    def span_hashes(self, starts: Ints, ends: Ints) -> Hashes:
        """64-bit hash of each text[start:end], equal for equal strings anywhere in the batch."""
        prefix = self._prefix_hashes()
        _, inverse = _powers(len(self.points) + 1)
        with np.errstate(over="ignore"):
            raw = (prefix[ends] - prefix[starts]) * inverse[starts]
            return _finish(raw, (ends - starts).astype(np.uint64))

    def window_hashes(self, size: int) -> Hashes:
        """span_hashes of every text[i:i+size], with slices instead of gathers (char n-grams)."""
        prefix = self._prefix_hashes()
        count = max(len(self.points) - size + 1, 0)
        _, inverse = _powers(len(self.points) + 1)
        with np.errstate(over="ignore"):
            raw = (prefix[size : size + count] - prefix[:count]) * inverse[:count]
            return _finish(raw, np.uint64(size))


_POWERS: list[Hashes] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def _powers(size: int) -> tuple[Hashes, Hashes]:
    """HASH_BASE**i and its inverse for i < size: one pair of arrays, grown (to a power of two)
    when a bigger batch comes, so memory stays 16 bytes per character of the largest batch."""
    if len(_POWERS[0]) < size:
        grown = 1 << max(size - 1, 1).bit_length()
        for slot, base in enumerate((HASH_BASE, HASH_BASE_INVERSE)):
            values = np.full(grown, base, dtype=np.uint64)
            values[0] = 1
            _POWERS[slot] = np.cumprod(values, dtype=np.uint64)
    return _POWERS[0], _POWERS[1]


def _finish(raw: Hashes, lengths: Hashes | np.uint64) -> Hashes:
    with np.errstate(over="ignore"):
        return mix(raw + lengths * np.uint64(0x9E3779B97F4A7C15))


def mix(values: Hashes) -> Hashes:
    """Spread the bits (splitmix64 finaliser), so low bits are as good as high ones."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        result: Hashes = values ^ (values >> np.uint64(31))
        return result


def word_spans(
    joined: JoinedText, letters_only: bool = False, joiners: bool = True
) -> tuple[Ints, Ints]:
    """Start and end of every word: a run of word characters (joiners allowed inside)."""
    tables = character_tables()
    inside = lookup(tables["letter" if letters_only else "word"], joined.points)
    if joiners:
        joiner = np.isin(joined.points, [ord(c) for c in WORD_JOINERS])
        between = np.zeros_like(inside)
        between[1:-1] = joiner[1:-1] & inside[:-2] & inside[2:]
        inside = inside | between
    edges = np.diff(np.concatenate([[False], inside, [False]]).astype(np.int8))
    return np.flatnonzero(edges == 1).astype(np.int64), np.flatnonzero(edges == -1).astype(np.int64)


class MessageBatch:
    """The forms of a batch each step needs, built once.

    original: escapes decoded, case kept (shouting, language identification);
    lower: the same, lower-cased (every regex rule runs without re.IGNORECASE, ~4x faster);
    normalised: lower-cased, links and @handles as placeholders, spaces collapsed (features).
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        lines = [decode_escapes(text).replace(SEPARATOR, " ") for text in self.texts]
        self.original = JoinedText(SEPARATOR.join(lines))
        self.lower = JoinedText(self.original.text.lower())
        self._normalised: JoinedText | None = None
        self._human: list[str] | None = None
        self._words: Words | None = None

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def normalised(self) -> JoinedText:
        if self._normalised is None:
            text = _URL.sub(" urltoken ", self.lower.text)
            text = _MENTION.sub(" @user ", text)
            self._normalised = JoinedText(_SPACES.sub(" ", text))
        return self._normalised

    @property
    def words(self) -> Words:
        """The words of the lower-cased batch, for phrase lists (see phrases.py)."""
        if self._words is None:
            from .phrases import Words

            self._words = Words(self.lower)
        return self._words

    @property
    def human_texts(self) -> list[str]:
        """Each message without links and @handles, hashtags as words: for language detection."""
        if self._human is None:
            text = _URL_ANY_CASE.sub(" ", self.original.text)
            text = _HASHTAG_SIGN.sub(r"\1", _MENTION.sub(" ", text))
            self._human = [line.strip() for line in text.split(SEPARATOR)]
        return self._human


_URL_ANY_CASE = re.compile(r"https?://\S+|www\.\S+|\bhttp\b", re.IGNORECASE)
