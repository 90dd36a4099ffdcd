"""TF-IDF over word and character n-grams, computed for a whole batch with numpy.

Same recipe as scikit-learn's TfidfVectorizer (sublinear tf, smoothed idf, l2 rows), but the
vocabulary is an array of 64-bit n-gram hashes instead of a dict of strings, looked up for the
whole batch through a numpy hash table instead of a Python loop over every n-gram.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .batch import SEPARATOR, Hashes, Ints, JoinedText, mix, word_spans

Kind = Literal["words", "chars"]
_PAIR_SALT = np.uint64(0x2545F4914F6CDD1D)
_NEGATED_SALT = np.uint64(0x5851F42D4C957F2D)
NEGATION_REACH = 3


def negated_words(words: Hashes, messages: Ints) -> npt.NDArray[np.bool_]:
    """Words within NEGATION_REACH after a negation word of either language, same message."""
    from .lexicons.polarity import english_lexicon, french_lexicon

    negation = english_lexicon().is_negation(words) | french_lexicon().is_negation(words)
    reached = np.zeros(len(words), dtype=bool)
    for back in range(1, NEGATION_REACH + 1):
        reached[back:] |= negation[:-back] & (messages[back:] == messages[:-back])
    return reached


def padded(joined: JoinedText) -> JoinedText:
    """One space around every message, so its first and last words get edge n-grams too."""
    text = " " + joined.text.replace(SEPARATOR, f" {SEPARATOR} ") + " "
    return JoinedText(text.replace("  ", " "))


def char_ngrams(joined: JoinedText, sizes: tuple[int, int]) -> tuple[Ints, Hashes]:
    """Message and hash of every character n-gram that stays inside one word (char_wb).

    A word's n-grams may start or end on the space around it, never hold one inside: a space
    in the middle would mean the n-gram straddles two words.
    """
    points = joined.points
    space = (points == ord(" ")).astype(np.int32)
    breaks = points == ord(SEPARATOR)
    messages, hashes = [], []
    for size in range(sizes[0], sizes[1] + 1):
        count = max(len(points) - size + 1, 0)
        crossing = np.zeros(count, dtype=bool)
        inner_spaces = np.zeros(count, dtype=np.int32)
        for offset in range(size):
            crossing |= breaks[offset : offset + count]
            if 0 < offset < size - 1:
                inner_spaces += space[offset : offset + count]
        keep = ~crossing & (inner_spaces == 0)
        if size == 2:
            keep &= (space[:count] + space[1 : 1 + count]) < 2
        messages.append(joined.message_ids[:count][keep])
        hashes.append(joined.window_hashes(size)[keep])
    return np.concatenate(messages), np.concatenate(hashes)


def word_ngrams(
    joined: JoinedText, sizes: tuple[int, int], negation: bool = False
) -> tuple[Ints, Hashes]:
    """Message and hash of word 1-grams and 2-grams (words of one letter left out, as sklearn).

    With `negation`, the words a negation reaches ("not good", "pas terrible") also count as
    words of their own, marked negated: "good" and "not ... good" get separate weights.
    """
    starts, ends = word_spans(joined)
    long_enough = ends - starts >= 2
    starts, ends = starts[long_enough], ends[long_enough]
    messages = joined.message_of(starts)
    words = joined.span_hashes(starts, ends)
    found_messages, found = [], []
    if negation and len(words):
        negated = negated_words(words, messages)
        with np.errstate(over="ignore"):
            found.append(mix(words[negated] ^ _NEGATED_SALT))
        found_messages.append(messages[negated])
    if sizes[0] <= 1:
        found_messages.append(messages)
        found.append(words)
    if sizes[1] >= 2 and len(words) > 1:
        same = messages[1:] == messages[:-1]
        with np.errstate(over="ignore"):
            pairs = mix(words[:-1] * _PAIR_SALT + words[1:])
        found_messages.append(messages[1:][same])
        found.append(pairs[same])
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    return np.concatenate(found_messages), np.concatenate(found)


class HashIndex:
    """Open-addressing table from 64-bit hash to column: one or two gathers per lookup.

    A sorted array and searchsorted cost ~17 cache misses per n-gram; with the table an eighth
    full, most unknown n-grams stop at their first, empty, slot.
    """

    EMPTY = np.uint64(0)  # mix() maps no real n-gram to 0 in practice (1 in 2**64)

    def __init__(self, keys: Hashes) -> None:
        size = 1 << max((len(keys) * 8).bit_length(), 4)
        self.mask = np.uint64(size - 1)
        self.keys = np.zeros(size, dtype=np.uint64)
        self.columns = np.full(size, -1, dtype=np.int64)
        slots = (keys & self.mask).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            free = self.keys[slots[pending]] == self.EMPTY
            # One key per free slot per round; the others probe the next slot.
            taken, first = np.unique(slots[pending[free]], return_index=True)
            placed = pending[free][first]
            self.keys[taken] = keys[placed]
            self.columns[taken] = placed
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            slots[pending] = (slots[pending] + 1) & int(self.mask)

    def lookup(self, hashes: Hashes) -> Ints:
        """Column of each hash, -1 when it is not in the vocabulary."""
        slots = (hashes & self.mask).astype(np.int64)
        found = self.keys[slots]
        result = np.where(found == hashes, self.columns[slots], -1)
        pending = np.flatnonzero((found != hashes) & (found != self.EMPTY))
        while len(pending):
            slots[pending] = (slots[pending] + 1) & int(self.mask)
            found = self.keys[slots[pending]]
            hit = found == hashes[pending]
            result[pending[hit]] = self.columns[slots[pending[hit]]]
            pending = pending[~hit & (found != self.EMPTY)]
        return result


class HashedTfidf:
    """Fitted on training texts, pickled into the model artefact, reused at run time."""

    def __init__(
        self,
        kind: Kind,
        sizes: tuple[int, int],
        max_features: int,
        min_df: int = 1,
        negation: bool = False,
    ) -> None:
        self.kind = kind
        self.negation = negation
        self.sizes = sizes
        self.max_features = max_features
        self.min_df = min_df
        self.vocabulary: Hashes = np.zeros(0, np.uint64)
        self.idf = np.zeros(0, np.float32)
        self._index: HashIndex | None = None

    def __getstate__(self) -> dict[str, object]:
        # The lookup table is rebuilt on load: it is 8x the vocabulary and quick to build.
        return {**self.__dict__, "_index": None}

    @property
    def index(self) -> HashIndex:
        index = getattr(self, "_index", None)
        if index is None:
            index = self._index = HashIndex(self.vocabulary)
        return index

    def ngrams(self, joined: JoinedText) -> tuple[Ints, Hashes]:
        if self.kind == "chars":
            return char_ngrams(padded(joined), self.sizes)
        return word_ngrams(joined, self.sizes, getattr(self, "negation", False))

    def fit(self, joined: JoinedText) -> HashedTfidf:
        messages, hashes = self.ngrams(joined)
        pairs = np.unique(np.stack([hashes, messages.astype(np.uint64)]), axis=1)
        found, frequency = np.unique(pairs[0], return_counts=True)
        keep = frequency >= self.min_df
        found, frequency = found[keep], frequency[keep]
        # Most frequent first; equal frequencies by hash, so the vocabulary is reproducible.
        order = np.lexsort((found, -frequency))[: self.max_features]
        chosen = np.sort(order)
        self.vocabulary = found[chosen]
        documents = joined.count
        self.idf = (np.log((1 + documents) / (1 + frequency[chosen])) + 1).astype(np.float32)
        self._index = None
        return self

    def transform(self, joined: JoinedText) -> sp.csr_matrix:
        messages, hashes = self.ngrams(joined)
        columns = self.index.lookup(hashes)
        known = columns >= 0
        counts = sp.csr_matrix(
            (np.ones(int(known.sum()), np.float32), (messages[known], columns[known])),
            shape=(joined.count, len(self.vocabulary)),
        )
        counts.sum_duplicates()
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        result: sp.csr_matrix = sp.diags((1 / norms).astype(np.float32)) @ counts
        return result.tocsr()
