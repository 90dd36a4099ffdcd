"""The default classifier: language detection, lexicons, and our own linear models.

The trained artefact ships inside the package (``model/chorus-classifier.joblib``, built by
``python -m chorus.classify.train``); nothing is downloaded at run time. It is loaded on
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
from .batch import MessageBatch
from .intent import detect_intents
from .language import detect_languages
from .lexicons import (
    INSULT_LISTS,
    PROFANITY_LISTS,
    word_list_flags,
    word_list_matches,
)
from .spam import spam_scores

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
            f"{path} is missing: build it with `python -m chorus.classify.train --data DIR`"
        )
    artefact: dict[str, Any] = joblib.load(path)
    return artefact


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
        self, texts: Sequence[str] | MessageBatch, languages: Sequence[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Sentiment and offensive-language probabilities for a batch (one vectorisation)."""
        artefact = self.artefact
        batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
        matrix = artefact["features"].transform(batch, languages)
        sentiment = artefact["sentiment"].predict_proba(matrix, batch, list(languages))
        offensive = artefact["toxicity"].predict_proba(matrix)[:, 1]
        return sentiment, offensive

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        """Every step runs once over the whole batch (see batch.py); blank texts get EMPTY_TEXT."""
        results: list[Classification] = [EMPTY_TEXT] * len(texts)
        positions = [index for index, text in enumerate(texts) if text.strip()]
        if not positions:
            return results
        batch = MessageBatch([texts[index] for index in positions])
        languages = detect_languages(batch)
        probabilities, offensive = self.sentiment_probabilities(batch, languages)
        classes = self.artefact["sentiment"].classes_
        best = np.argmax(probabilities, axis=1)
        sentiments = [str(label) for label in classes[best]]
        confidences = np.round(probabilities[np.arange(len(best)), best], 4).tolist()
        matches = word_list_matches(batch)
        profane = word_list_flags(matches, languages, PROFANITY_LISTS)
        toxicities = self._toxicities(matches, languages, offensive, profane)
        spam = spam_scores(batch)
        intents = detect_intents(batch, sentiments)
        for row, index in enumerate(positions):
            results[index] = Classification(
                language=languages[row],
                sentiment=sentiments[row],
                confidence=confidences[row],
                toxicity=toxicities[row],
                profanity=profane[row],
                spam=spam[row],
                intent=intents[row],
            )
        return results

    @staticmethod
    def _toxicities(
        matches: dict[str, npt.NDArray[np.bool_]],
        languages: list[str],
        offensive: npt.NDArray[np.float64],
        profane: list[bool],
    ) -> list[float]:
        # The offensive model learnt English only; elsewhere the word lists are all we have.
        insults = word_list_flags(matches, languages, INSULT_LISTS)
        lexical = [
            LEXICON_TOXICITY_INSULT
            if insult
            else LEXICON_TOXICITY_PROFANITY
            if swearing
            else LEXICON_TOXICITY_NONE
            for insult, swearing in zip(insults, profane, strict=True)
        ]
        learnt = np.round(offensive, 4).tolist()
        return [
            learnt[row] if language == "en" else lexical[row]
            for row, language in enumerate(languages)
        ]
