"""Turning messages into the sparse matrix our linear models read.

One feature space serves both the sentiment and the toxicity model so a batch is vectorised once:
word 1-2-grams and char_wb n-grams (TF-IDF, vocabulary capped to keep the shipped artefact small),
the VADER lexicon scores of the message's language, and a French flag so the shared model can
weigh the two lexicons differently. Everything is computed per batch with numpy (see batch.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .batch import JoinedText, MessageBatch
from .lexicons.polarity import fold_accents, polarity_features
from .ngrams import HashedTfidf

WORD_VOCABULARY_SIZE = 40_000
CHAR_VOCABULARY_SIZE = 60_000
CHAR_SIZES = (2, 4)
# French elided articles and pronouns split off their word: "l'amour" -> "le amour", so the
# n-grams of "amour" are shared by every form ("l'amour", "d'amour", "amour").
ELISION = re.compile(r"\b(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)['’](?=\w)")


class MessageFeatures:
    """Fitted once at build time, pickled into the model artefact, reused at run time."""

    def __init__(
        self,
        word_features: int = WORD_VOCABULARY_SIZE,
        char_features: int = CHAR_VOCABULARY_SIZE,
        char_sizes: tuple[int, int] = CHAR_SIZES,
        negation: bool = True,
        accents: bool = False,
        elision: bool = False,
    ) -> None:
        self.words = HashedTfidf("words", (1, 2), word_features, negation=negation)
        self.chars = HashedTfidf("chars", char_sizes, char_features, min_df=2)
        # Fold accents before the n-grams ("déçu", "decu" -> one feature): French tweets often
        # drop them. Both French steps were chosen or not by repeated cross-validation on train
        # (see docs/classification.md).
        self.accents = accents
        self.elision = elision

    def ngram_text(self, batch: MessageBatch) -> JoinedText:
        """The batch as the n-grams see it (batch.normalised, with the chosen French steps)."""
        accents, elision = getattr(self, "accents", False), getattr(self, "elision", False)
        if not (accents or elision):
            return batch.normalised
        text = batch.normalised.text
        if elision:
            text = ELISION.sub(r"\1e ", text)
        if accents:
            text = fold_accents(text)
        return JoinedText(text)

    def fit(self, texts: Sequence[str] | MessageBatch) -> MessageFeatures:
        batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
        joined = self.ngram_text(batch)
        self.words.fit(joined)
        self.chars.fit(joined)
        return self

    def transform(
        self, texts: Sequence[str] | MessageBatch, languages: Sequence[str]
    ) -> sp.csr_matrix:
        batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
        french = np.asarray([language == "fr" for language in languages], dtype=bool)
        joined = self.ngram_text(batch)
        return sp.hstack(
            [
                self.words.transform(joined),
                self.chars.transform(joined),
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
