"""Build the shipped model: ``python -m chorus.inbox.classify.train --data ../shared/data``.

Only the *train* splits are read. Regularisation strength is chosen by 5-fold cross-validation
inside train, so the validation splits stay untouched for the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .base import SENTIMENTS
from .features import MessageFeatures
from .model import ARTEFACT_PATH

# xlm-t follows the TweetEval convention: 0 negative, 1 neutral, 2 positive.
SENTIMENT_LABELS = dict(enumerate(SENTIMENTS))
SENTIMENT_LANGUAGES = {"english": "en", "french": "fr"}
ALPHA_GRID = (3e-5, 1e-4, 3e-4, 1e-3)
SEED = 13


def read_lines(path: Path) -> list[str]:
    # Split on "\n" only (a tweet may hold other line breaks); xlm-t files lack a final newline,
    # tweeteval files have one.
    content = path.read_text(encoding="utf-8")
    return content.removesuffix("\n").split("\n")


def read_split(folder: Path, split: str) -> tuple[list[str], list[int]]:
    texts = read_lines(folder / f"{split}_text.txt")
    labels = read_lines(folder / f"{split}_labels.txt")
    if len(texts) != len(labels):
        raise ValueError(f"{folder}/{split}: {len(texts)} texts but {len(labels)} labels")
    return texts, [int(label) for label in labels]


def read_sentiment(data: Path, split: str) -> tuple[list[str], list[str], list[str]]:
    """Texts, their language codes and sentiment labels, both languages together."""
    texts: list[str] = []
    languages: list[str] = []
    labels: list[str] = []
    for folder, language in SENTIMENT_LANGUAGES.items():
        split_texts, split_labels = read_split(data / "sentiment" / "xlm-t" / folder, split)
        texts += split_texts
        languages += [language] * len(split_texts)
        labels += [SENTIMENT_LABELS[label] for label in split_labels]
    return texts, languages, labels


def new_model(alpha: float) -> SGDClassifier:
    # SGD with log loss is a logistic regression that trains in seconds and predicts fast.
    return SGDClassifier(
        loss="log_loss",
        alpha=alpha,
        class_weight="balanced",
        max_iter=50,
        tol=None,
        random_state=SEED,
    )


def choose_alpha(matrix: sp.csr_matrix, labels: npt.NDArray[Any], log: Any) -> float:
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    scores = {}
    for alpha in ALPHA_GRID:
        predicted = cross_val_predict(new_model(alpha), matrix, labels, cv=folds, n_jobs=2)
        scores[alpha] = f1_score(labels, predicted, average="macro")
        print(f"  alpha={alpha:g} cross-validated macro-F1={scores[alpha]:.3f}", file=log)
    return max(scores, key=lambda alpha: scores[alpha])


def fit_model(matrix: sp.csr_matrix, labels: list[str], name: str, log: Any) -> SGDClassifier:
    print(f"{name}: {matrix.shape[0]} training messages", file=log)
    targets = np.asarray(labels)
    alpha = choose_alpha(matrix, targets, log)
    print(f"{name}: chose alpha={alpha:g}", file=log)
    return new_model(alpha).fit(matrix, targets)


def build_artefact(data: Path, log: Any = sys.stderr) -> dict[str, Any]:
    texts, languages, labels = read_sentiment(data, "train")
    offensive_texts, offensive_labels = read_split(data / "sentiment/tweeteval/offensive", "train")
    offensive_languages = ["en"] * len(offensive_texts)
    features = MessageFeatures().fit(texts + offensive_texts)
    sentiment = fit_model(features.transform(texts, languages), labels, "sentiment", log)
    toxicity = fit_model(
        features.transform(offensive_texts, offensive_languages),
        [str(label) for label in offensive_labels],
        "offensive (en)",
        log,
    )
    return {"features": features, "sentiment": sentiment, "toxicity": toxicity, "version": 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=ARTEFACT_PATH)
    options = parser.parse_args(argv)
    artefact = build_artefact(options.data)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(artefact, options.out, compress=3)
    size_mb = options.out.stat().st_size / 1e6
    print(f"wrote {options.out} ({size_mb:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
