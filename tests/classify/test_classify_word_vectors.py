"""French word vectors: the shipped per-word scores, their folding, and the French-only blend."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from chorus.classify import classify
from chorus.classify.batch import MessageBatch
from chorus.classify.model import load_artefact
from chorus.classify.train_vectors import (
    LOGISTIC_C,
    FrenchVectors,
    Vocabulary,
    fit_word_scores,
    single_word_hashes,
)
from chorus.classify.word_vectors import BlendedSentiment, FrenchWordScores, blend

# None of these words occurs in the training tweets (checked when the test was written): what
# the model knows of them comes from the vectors alone.
UNSEEN_POSITIVE = ("merveilleuse", "ravissant", "formidable", "chaleureux")
UNSEEN_NEGATIVE = ("lamentable", "exécrable", "minable", "pitoyable", "catastrophique")


def shipped_words() -> FrenchWordScores:
    sentiment = load_artefact()["sentiment"]
    assert isinstance(sentiment, BlendedSentiment)
    return sentiment.words


@pytest.mark.parametrize(
    ("word", "sentiment"),
    [(word, "positive") for word in UNSEEN_POSITIVE]
    + [(word, "negative") for word in UNSEEN_NEGATIVE],
)
def test_shipped_scores_judge_french_words_never_seen_in_training(
    word: str, sentiment: str
) -> None:
    words = shipped_words()
    probabilities = np.exp(words.log_probabilities(MessageBatch([word])))[0]
    assert words.classes_[probabilities.argmax()] == sentiment


def test_a_french_message_of_unseen_words_gets_their_sentiment() -> None:
    assert classify("Un accueil chaleureux, une soirée merveilleuse").sentiment == "positive"
    assert classify("Un service minable, une organisation lamentable").sentiment == "negative"


def test_shipped_blend_is_on_and_small() -> None:
    sentiment = load_artefact()["sentiment"]
    assert 0 < sentiment.weight < 1
    assert 100_000 < len(sentiment.words) < 400_000
    assert sentiment.words.row_scores.shape[1] == 3


def toy_vectors() -> FrenchVectors:
    """Six words in four rows of a 5-d table; "amour" and "adore" share a row, as pruned
    vectors do for near-synonyms."""
    rng = np.random.default_rng(7)
    words = ["le", "amour", "adore", "nul", "honte", "climat"]
    return FrenchVectors(
        words, np.asarray([0, 1, 1, 2, 3, 0]), rng.normal(size=(4, 5)).astype(np.float32)
    )


def test_elided_articles_are_split_so_the_word_finds_its_vector() -> None:
    vectors = toy_vectors()
    vocabulary = Vocabulary.build(vectors, np.ones(6, dtype=bool))
    means = vocabulary.mean_vectors(MessageBatch(["l'amour", "le amour", "zzz"]), vectors.table)
    np.testing.assert_allclose(means[0], means[1])
    np.testing.assert_array_equal(means[2], np.zeros(5))


def test_folded_word_scores_equal_the_model_on_mean_vectors() -> None:
    """The artefact keeps 3 numbers a vector row instead of the vectors: same predictions."""
    vectors = toy_vectors()
    vocabulary = Vocabulary.build(vectors, np.ones(6, dtype=bool))
    texts = ["j'adore", "nul, la honte", "le climat", "amour amour nul", "honte", "adore le"] * 3
    labels = np.asarray(["positive", "negative", "neutral", "positive", "negative", "neutral"] * 3)
    batch = MessageBatch(texts)
    means = vocabulary.mean_vectors(batch, vectors.table)
    scores = fit_word_scores(vocabulary, vectors.table, means, labels)
    scaler = StandardScaler().fit(means)
    model = LogisticRegression(C=LOGISTIC_C, max_iter=3000).fit(scaler.transform(means), labels)
    fresh = MessageBatch(["l'amour du climat", "quelle honte", "rien de connu"])
    expected = model.predict_log_proba(
        scaler.transform(vocabulary.mean_vectors(fresh, vectors.table))
    )
    np.testing.assert_allclose(scores.log_probabilities(fresh), expected, atol=1e-5)


def test_entries_of_several_words_are_not_words() -> None:
    _, single = single_word_hashes(["bonjour", "pomme de terre", "week-end", "l'", ","])
    assert single.tolist() == [True, False, True, False, False]


def test_blend_moves_french_rows_only_and_keeps_probabilities() -> None:
    base = np.asarray([[0.6, 0.3, 0.1], [0.6, 0.3, 0.1]])
    vectors = np.log(np.asarray([[0.05, 0.05, 0.9], [0.05, 0.05, 0.9]]))
    french = np.asarray([True, False])
    mixed = blend(base, vectors, french, 0.5)
    np.testing.assert_allclose(mixed[1], base[1])
    assert mixed[0].argmax() == 2
    np.testing.assert_allclose(mixed.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(blend(base, vectors, french, 0.0), base)
