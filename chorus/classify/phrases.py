"""Word and phrase lists matched on a whole batch by hashing words, not by scanning regexes.

A rule like ``\\b(?:refund|cass[ée]e?s?|ne marche (?:pas|plus))\\b`` costs Python's regex engine
~40 ns per character of every message, whether or not anything matches: a dozen such rules were
most of the classifier's time. Such a rule names a finite set of phrases, so it is expanded once
into that set; each phrase is a sequence of words, and the batch's words are hashed once (see
batch.py) and looked up with numpy. A trailing ``*`` in a word list entry ("connard*") matches
any word that starts with it.

Words here are runs of letters and digits: an apostrophe or hyphen separates, as ``\\b`` does
in a regex, so "l'arnaque" holds "arnaque" and "est-ce" is the phrase "est ce".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from re import _constants as constants  # type: ignore[attr-defined,unused-ignore]
from re import _parser as parser  # type: ignore[attr-defined,unused-ignore]
from typing import Any

import numpy as np
import numpy.typing as npt

from .batch import Hashes, Ints, JoinedText, mix, word_spans

_CHAIN_SALT = np.uint64(0x9FB21C651E98DF25)
MAX_OPTIONAL_REPEAT = 3


def expand(pattern: str) -> list[str]:
    """Every string a finite regex can match ("cass[ée]s?" -> casse, cassé, casses, cassés)."""
    return sorted(set(_expand_nodes(list(parser.parse(pattern)))))


def _expand_nodes(nodes: list[tuple[Any, Any]]) -> Iterable[str]:
    options = [_expand_node(op, value) for op, value in nodes]
    return ("".join(parts) for parts in itertools.product(*options))


def _expand_node(op: Any, value: Any) -> list[str]:
    if op is constants.LITERAL:
        return [chr(value)]
    if op is constants.AT:
        return [""]  # \b, ^, $: phrases are matched on whole words anyway
    if op is constants.IN:
        return [_class_member(member_op, member) for member_op, member in value]
    if op is constants.BRANCH:
        return [text for branch in value[1] for text in _expand_nodes(list(branch))]
    if op is constants.SUBPATTERN:
        return list(_expand_nodes(list(value[-1])))
    if op is constants.MAX_REPEAT and value[1] <= MAX_OPTIONAL_REPEAT:
        low, high, inner = value
        once = list(_expand_nodes(list(inner)))
        return [
            "".join(parts)
            for times in range(low, high + 1)
            for parts in itertools.product(once, repeat=times)
        ]
    raise ValueError(f"not a finite phrase pattern: {op} {value}")


def _class_member(op: Any, value: Any) -> str:
    if op is not constants.LITERAL:
        raise ValueError(f"character classes of single letters only, not {op}")
    return chr(value)


class Words:
    """The words of a (lower-cased) batch: their message, hash, and prefix hashes on demand."""

    def __init__(self, joined: JoinedText) -> None:
        self.joined = joined
        self.starts, self.ends = word_spans(joined, joiners=False)
        self.messages: Ints = joined.message_of(self.starts)
        self.hashes: Hashes = joined.span_hashes(self.starts, self.ends)
        self._prefixes: dict[int, Hashes] = {}

    def prefix_hashes(self, length: int) -> Hashes:
        """Hash of each word's first `length` letters (0 for shorter words: matches nothing)."""
        if length not in self._prefixes:
            long_enough = self.ends - self.starts >= length
            ends = np.where(long_enough, self.starts + length, self.starts)
            hashes = self.joined.span_hashes(self.starts, ends)
            self._prefixes[length] = np.where(long_enough, hashes, np.uint64(0))
        return self._prefixes[length]


def _chain(parts: list[Hashes]) -> Hashes:
    with np.errstate(over="ignore"):
        result = parts[0]
        for part in parts[1:]:
            result = mix(result * _CHAIN_SALT + part)
        return result


class PhraseList:
    """A set of phrases (from word lists or finite regexes), matched against Words."""

    def __init__(self, entries: Iterable[str]) -> None:
        # (phrase length in words, prefix length of the last word or 0) -> sorted phrase hashes
        self.groups: dict[tuple[int, int], Hashes] = {}
        grouped: dict[tuple[int, int], list[Hashes]] = {}
        for entry in entries:
            prefix = entry.endswith("*")
            words = Words(JoinedText(entry.rstrip("*").lower()))
            if not len(words.hashes):
                continue
            last = int(words.ends[-1] - words.starts[-1]) if prefix else 0
            parts = [words.hashes[i : i + 1] for i in range(len(words.hashes))]
            if prefix:
                parts[-1] = words.prefix_hashes(last)[-1:]
            grouped.setdefault((len(parts), last), []).append(_chain(parts))
        for key, hashes in grouped.items():
            self.groups[key] = np.unique(np.concatenate(hashes))

    @classmethod
    def from_pattern(cls, pattern: str) -> PhraseList:
        return cls(expand(pattern))

    def found_at(self, words: Words) -> npt.NDArray[np.bool_]:
        """Per word of the batch: does one of the phrases start there (within one message)?"""
        found = np.zeros(len(words.hashes), dtype=bool)
        for (length, prefix), phrases in self.groups.items():
            count = len(words.hashes) - length + 1
            if count <= 0:
                continue
            parts = [words.hashes[i : i + count] for i in range(length)]
            if prefix:
                parts[-1] = words.prefix_hashes(prefix)[length - 1 : length - 1 + count]
            same_message = words.messages[length - 1 :] == words.messages[:count]
            found[:count] |= np.isin(_chain(parts), phrases) & same_message
        return found

    def messages_matching(self, words: Words) -> npt.NDArray[np.bool_]:
        hits = words.messages[self.found_at(words)]
        return np.bincount(hits, minlength=words.joined.count) > 0


def message_openers(words: Words) -> npt.NDArray[np.bool_]:
    """Per word: is it the first thing in its message (nothing but spaces before it)?"""
    opener = np.zeros(len(words.hashes), dtype=bool)
    if not len(opener):
        return opener
    first = np.ones(len(opener), dtype=bool)
    first[1:] = words.messages[1:] != words.messages[:-1]
    text, line_starts = words.joined.text, words.joined.starts
    for index in np.flatnonzero(first).tolist():
        line_start = int(line_starts[words.messages[index]])
        opener[index] = not text[line_start : int(words.starts[index])].strip()
    return opener
