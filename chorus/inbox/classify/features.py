"""Turning messages into the sparse matrix our linear models read.

One feature space serves both the sentiment and the toxicity model so a batch is vectorised once:
word 1-2-grams and char_wb 2-5-grams (TF-IDF, vocabulary capped to keep the shipped artefact
small), the VADER scores of the message's language, and a French flag so the shared model can
weigh the two lexicons differently.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexicons import vader_features
from .text import normalise

WORD_VOCABULARY_SIZE = 40_000
CHAR_VOCABULARY_SIZE = 60_000


class MessageFeatures:
    """Fitted once at build time, pickled into the model artefact, reused at run time."""

    def __init__(self) -> None:
        self.words = TfidfVectorizer(
            preprocessor=normalise,
            ngram_range=(1, 2),
            sublinear_tf=True,
            max_features=WORD_VOCABULARY_SIZE,
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            preprocessor=normalise,
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            sublinear_tf=True,
            max_features=CHAR_VOCABULARY_SIZE,
            dtype=np.float32,
        )

    def fit(self, texts: list[str]) -> MessageFeatures:
        self.words.fit(texts)
        self.chars.fit(texts)
        return self

    def transform(self, texts: list[str], languages: list[str]) -> sp.csr_matrix:
        french = np.asarray([[language == "fr"] for language in languages], dtype=np.float64)
        lexicon = vader_features(texts, languages)
        return sp.hstack(
            [
                self.words.transform(texts),
                self.chars.transform(texts),
                sp.csr_matrix(lexicon),
                # Lexicon scores again, French only: the model weighs each lexicon its own way.
                sp.csr_matrix(lexicon * french),
                sp.csr_matrix(french),
            ],
            format="csr",
        )


def as_labels(classes: npt.NDArray[np.str_], probabilities: npt.NDArray[np.float64]) -> list[str]:
    return [str(label) for label in classes[np.argmax(probabilities, axis=1)]]
