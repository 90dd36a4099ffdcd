"""Turning messages into the sparse matrix our linear models read.

One feature space serves both the sentiment and the toxicity model so a batch is vectorised once:
word 1-2-grams and char_wb n-grams (TF-IDF, vocabulary capped to keep the shipped artefact small),
the VADER lexicon scores of the message's language, and a French flag so the shared model can
weigh the two lexicons differently. Everything is computed per batch with numpy (see batch.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .batch import MessageBatch
from .lexicons.polarity import polarity_features
from .ngrams import HashedTfidf

WORD_VOCABULARY_SIZE = 40_000
CHAR_VOCABULARY_SIZE = 60_000
CHAR_SIZES = (2, 4)


class MessageFeatures:
    """Fitted once at build time, pickled into the model artefact, reused at run time."""

    def __init__(
        self,
        word_features: int = WORD_VOCABULARY_SIZE,
        char_features: int = CHAR_VOCABULARY_SIZE,
        char_sizes: tuple[int, int] = CHAR_SIZES,
        negation: bool = True,
    ) -> None:
        self.words = HashedTfidf("words", (1, 2), word_features, negation=negation)
        self.chars = HashedTfidf("chars", char_sizes, char_features, min_df=2)

    def fit(self, texts: Sequence[str] | MessageBatch) -> MessageFeatures:
        batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
        self.words.fit(batch.normalised)
        self.chars.fit(batch.normalised)
        return self

    def transform(
        self, texts: Sequence[str] | MessageBatch, languages: Sequence[str]
    ) -> sp.csr_matrix:
        batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
        french = np.asarray([language == "fr" for language in languages], dtype=bool)
        return sp.hstack(
            [
                self.words.transform(batch.normalised),
                self.chars.transform(batch.normalised),
                sp.csr_matrix(lexicon_features(batch, french)),
            ],
            format="csr",
        )


def lexicon_features(batch: MessageBatch, french: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Both lexicons' scores, the detected language's again, each again for French messages
    only (the model weighs each lexicon its own way per language), and the French flag."""
    english, french_scores = polarity_features(batch.lower)
    flag = french.astype(np.float64)[:, None]
    own = np.where(flag > 0, french_scores, english)
    return np.hstack(
        [own, own * flag, english, french_scores, english * flag, french_scores * flag, flag]
    )


def as_labels(classes: npt.NDArray[np.str_], probabilities: npt.NDArray[np.float64]) -> list[str]:
    return [str(label) for label in classes[np.argmax(probabilities, axis=1)]]
