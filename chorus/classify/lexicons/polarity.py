"""VADER's word valences as dense features, for a whole batch at once.

The VADER analysers score one message at a time in pure Python (~250 µs a tweet), which alone
capped the inbox below 4,000 messages/s. The linear model does not need VADER's every rule, only
its lexicons' verdict: here each word's valence is looked up by hash for the whole batch, flipped
when one of the three words before it is a negation (VADER's own lists and scalar), and summed per
message into VADER's columns (compound, pos, neg, neu, and the ±0.05 decisions).

The lexicons are read from the installed vaderSentiment (English, MIT) and vaderSentiment-fr
(French, MIT) packages; nothing is copied into Chorus.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

import numpy as np
import numpy.typing as npt

from ..batch import Hashes, JoinedText, word_spans

COLUMNS = ("compound", "pos", "neg", "neu", "is_positive", "is_negative")
THRESHOLD = 0.05
NEGATION_SCALAR = -0.74  # VADER's N_SCALAR
NEGATION_REACH = 3  # VADER looks three words back for a negation
COMPOUND_ALPHA = 15.0  # VADER's normalisation constant
FRENCH_NEGATIONS = ("pas", "jamais", "rien", "aucun", "aucune", "aucunement", "nullement", "ni")


def fold_accents(text: str) -> str:
    """ "Déçu" -> "Decu", one character for one, so positions still line up."""
    return text.translate(_accent_table())


@functools.cache
def _accent_table() -> dict[int, int]:
    table = {}
    for point in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(point))[0]
        if base != chr(point) and len(base) == 1:
            table[point] = ord(base)
    return table


def _read(package: str, filename: str) -> list[str]:
    text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
    return text.splitlines()


class Lexicon:
    """Sorted word hashes with their valences, and the hashes of negation words."""

    def __init__(self, valences: dict[str, float], negations: list[str]) -> None:
        words = _single_words(list(valences))
        hashes = _hash_words(words)
        order = np.argsort(hashes)
        self.hashes: Hashes = hashes[order]
        self.valences = np.asarray([valences[w] for w in words], dtype=np.float64)[order]
        self.negations: Hashes = np.sort(_hash_words(_single_words(negations)))

    def valence_of(self, hashes: Hashes) -> npt.NDArray[np.float64]:
        return _lookup(self.hashes, hashes, self.valences)

    def is_negation(self, hashes: Hashes) -> npt.NDArray[np.bool_]:
        return _lookup(self.negations, hashes, np.ones(len(self.negations))) > 0


def _lookup(
    sorted_hashes: Hashes, hashes: Hashes, values: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    if not len(sorted_hashes):
        return np.zeros(len(hashes))
    places = np.minimum(np.searchsorted(sorted_hashes, hashes), len(sorted_hashes) - 1)
    found = sorted_hashes[places] == hashes
    result: npt.NDArray[np.float64] = np.where(found, values[places], 0.0)
    return result


def _single_words(entries: list[str]) -> list[str]:
    """The entries our tokeniser sees as one word (VADER also lists emoticons and phrases)."""
    joined = JoinedText("\n".join(entries))
    starts, ends = word_spans(joined)
    lines = joined.message_of(starts)
    whole = (starts == joined.starts[lines]) & (ends == joined.ends[lines])
    single = np.bincount(lines[whole], minlength=joined.count) == 1
    single &= np.bincount(lines, minlength=joined.count) == 1
    return [entry for entry, keep in zip(entries, single, strict=True) if keep]


def _hash_words(words: list[str]) -> Hashes:
    joined = JoinedText("\n".join(words))
    return joined.span_hashes(joined.starts, joined.ends)


@functools.cache
def english_lexicon() -> Lexicon:
    from vaderSentiment.vaderSentiment import NEGATE

    lines = _read("vaderSentiment", "vader_lexicon.txt")
    valences = {}
    for line in lines:
        parts = line.split("\t")
        if len(parts) >= 2:
            valences[parts[0].lower()] = float(parts[1])
    return Lexicon(valences, list(NEGATE))


@functools.cache
def french_lexicon() -> Lexicon:
    valences = {}
    for line in _read("vaderSentiment_fr", "fr_lexicon.txt"):
        word, _, valence = line.rpartition("->")
        if word:
            valences[fold_accents(word.lower())] = float(valence)
    return Lexicon(valences, list(FRENCH_NEGATIONS))


def polarity_features(
    joined: JoinedText,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """VADER-like columns (COLUMNS) per message by the English and by the French lexicon.

    Both lexicons read every message: a French tweet often holds English words ("top", "fail")
    and language detection can be wrong on short texts; the model learns how much to trust each.
    """
    starts, ends = word_spans(joined)
    messages = joined.message_of(starts)
    plain = joined.span_hashes(starts, ends)
    folded = joined.with_points(fold_accent_points(joined.points)).span_hashes(starts, ends)
    columns = []
    for lexicon, hashes in ((english_lexicon(), plain), (french_lexicon(), folded)):
        negated = _negated(lexicon.is_negation(hashes), messages)
        valence = lexicon.valence_of(hashes)
        valence = np.where(negated, valence * NEGATION_SCALAR, valence)
        columns.append(_columns(valence, messages, joined.count))
    return columns[0], columns[1]


def fold_accent_points(points: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """fold_accents on code points: "é" -> "e", everything else unchanged."""
    table = _accent_array()
    inside = points < len(table)
    folded: npt.NDArray[np.int64] = np.where(inside, table[np.where(inside, points, 0)], points)
    return folded


@functools.cache
def _accent_array() -> npt.NDArray[np.int64]:
    table = np.arange(0x250, dtype=np.int64)
    for point, base in _accent_table().items():
        table[point] = base
    return table


def _negated(
    negation: npt.NDArray[np.bool_], messages: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Is one of the NEGATION_REACH words before each word (same message) a negation?"""
    result = np.zeros(len(negation), dtype=bool)
    for back in range(1, NEGATION_REACH + 1):
        result[back:] |= negation[:-back] & (messages[back:] == messages[:-back])
    return result


def _columns(
    valence: npt.NDArray[np.float64], messages: npt.NDArray[np.int64], count: int
) -> npt.NDArray[np.float64]:
    positive = np.bincount(messages, np.maximum(valence, 0), minlength=count)
    negative = np.bincount(messages, np.maximum(-valence, 0), minlength=count)
    neutral = np.bincount(messages, (valence == 0).astype(np.float64), minlength=count)
    total = positive - negative
    compound = total / np.sqrt(total * total + COMPOUND_ALPHA)
    mass = positive + negative + neutral
    mass[mass == 0] = 1
    return np.column_stack(
        [
            compound,
            positive / mass,
            negative / mass,
            neutral / mass,
            compound >= THRESHOLD,
            compound <= -THRESHOLD,
        ]
    ).astype(np.float64)
