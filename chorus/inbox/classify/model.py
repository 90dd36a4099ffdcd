"""The default classifier: language detection, lexicons, and our own linear models.

The trained artefact ships inside the package (``model/chorus-classifier.joblib``, built by
``python -m chorus.inbox.classify.train``); nothing is downloaded at run time. It is loaded on
first use and kept for the life of the process.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import numpy.typing as npt

from .base import EMPTY_TEXT, Classification
from .intent import detect_intent
from .language import detect_languages
from .lexicons import insult_hits, profanity_hits
from .spam import spam_score

ARTEFACT_PATH = Path(__file__).parent / "model" / "chorus-classifier.joblib"

# French has no labelled abuse data in our sources, so its toxicity comes from word lists:
# an insult aimed at someone is strong evidence, swearing alone ("merde") is weak evidence.
LEXICON_TOXICITY_INSULT = 0.85
LEXICON_TOXICITY_PROFANITY = 0.45
LEXICON_TOXICITY_NONE = 0.02


@functools.cache
def load_artefact(path: Path = ARTEFACT_PATH) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: build it with `python -m chorus.inbox.classify.train --data DIR`"
        )
    artefact: dict[str, Any] = joblib.load(path)
    return artefact


def lexicon_toxicity(text: str, language: str) -> float:
    if insult_hits(text, language):
        return LEXICON_TOXICITY_INSULT
    if profanity_hits(text, language):
        return LEXICON_TOXICITY_PROFANITY
    return LEXICON_TOXICITY_NONE


class ChorusClassifier:
    """Default implementation of the Classifier protocol; vectorises whole batches."""

    def __init__(self, artefact_path: Path = ARTEFACT_PATH) -> None:
        self.artefact_path = artefact_path

    @property
    def artefact(self) -> dict[str, Any]:
        return load_artefact(self.artefact_path)

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]

    def sentiment_probabilities(
        self, texts: Sequence[str], languages: list[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Sentiment and offensive-language probabilities for a batch (one vectorisation)."""
        artefact = self.artefact
        matrix = artefact["features"].transform(list(texts), languages)
        sentiment = artefact["sentiment"].predict_proba(matrix)
        offensive = artefact["toxicity"].predict_proba(matrix)[:, 1]
        return sentiment, offensive

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        results: list[Classification] = [EMPTY_TEXT] * len(texts)
        positions = [index for index, text in enumerate(texts) if text.strip()]
        if not positions:
            return results
        batch = [texts[index] for index in positions]
        languages = detect_languages(batch)
        sentiment, offensive = self.sentiment_probabilities(batch, languages)
        classes = self.artefact["sentiment"].classes_
        for row, index in enumerate(positions):
            results[index] = self._combine(
                batch[row], languages[row], classes, sentiment[row], float(offensive[row])
            )
        return results

    def _combine(
        self,
        text: str,
        language: str,
        classes: npt.NDArray[Any],
        sentiment: npt.NDArray[np.float64],
        offensive: float,
    ) -> Classification:
        best = int(np.argmax(sentiment))
        label = str(classes[best])
        # The offensive model learnt English only; elsewhere the word lists are all we have.
        toxicity = offensive if language == "en" else lexicon_toxicity(text, language)
        return Classification(
            language=language,
            sentiment=label,
            confidence=round(float(sentiment[best]), 4),
            toxicity=round(toxicity, 4),
            profanity=bool(profanity_hits(text, language)),
            spam=spam_score(text),
            intent=detect_intent(text, label),
        )
