"""Word lists (profanity, insults) and the VADER lexicon scores, loaded once per process."""

from __future__ import annotations

import functools
import re
import warnings
from importlib import resources

import numpy as np
import numpy.typing as npt

from ..text import decode_escapes

# Columns of vader_features(); the trained model depends on this order.
VADER_COLUMNS = ("compound", "pos", "neg", "neu", "is_positive", "is_negative")
VADER_THRESHOLD = 0.05


def _read_entries(filename: str) -> list[str]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _entry_pattern(entry: str) -> str:
    if entry.endswith("*"):
        return re.escape(entry[:-1]) + r"\w*"
    return re.escape(entry)


@functools.cache
def word_list_pattern(*filenames: str) -> re.Pattern[str]:
    """One regex matching any entry of the given lists on word boundaries."""
    entries = sorted({entry for name in filenames for entry in _read_entries(name)}, key=len)
    alternatives = "|".join(_entry_pattern(entry) for entry in reversed(entries))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


PROFANITY_LISTS = {
    "fr": ("fr_ldnoobw.txt", "fr_insults.txt"),
    "en": ("en_profanity.txt",),
}
INSULT_LISTS = {"fr": ("fr_insults.txt",), "en": ("en_profanity.txt",)}


def profanity_hits(text: str, language: str) -> list[str]:
    """Profane words found in the text; unknown languages are checked against every list."""
    names = PROFANITY_LISTS.get(language) or tuple(
        sorted({n for v in PROFANITY_LISTS.values() for n in v})
    )
    return word_list_pattern(*names).findall(decode_escapes(text))


def insult_hits(text: str, language: str) -> list[str]:
    names = INSULT_LISTS.get(language) or tuple(
        sorted({n for v in INSULT_LISTS.values() for n in v})
    )
    return word_list_pattern(*names).findall(decode_escapes(text))


@functools.cache
def _vader(language: str) -> object:
    if language == "fr":
        # vaderSentiment_fr imports fuzzywuzzy, which warns about a C speed-up we never use
        # (its fuzzy matching is off the polarity_scores path).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as FrenchVader

        return FrenchVader()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as EnglishVader

    return EnglishVader()


def vader_scores(text: str, language: str) -> dict[str, float]:
    """VADER polarity scores, French lexicon for French, English lexicon for everything else."""
    analyzer = _vader("fr" if language == "fr" else "en")
    scores: dict[str, float] = analyzer.polarity_scores(decode_escapes(text))  # type: ignore[attr-defined]
    return scores


def vader_features(texts: list[str], languages: list[str]) -> npt.NDArray[np.float64]:
    rows = []
    for text, language in zip(texts, languages, strict=True):
        scores = vader_scores(text, language)
        compound = scores["compound"]
        rows.append(
            (
                compound,
                scores["pos"],
                scores["neg"],
                scores["neu"],
                float(compound >= VADER_THRESHOLD),
                float(compound <= -VADER_THRESHOLD),
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(VADER_COLUMNS))


def vader_label(compound: float) -> str:
    """The lexicon-only baseline: VADER's usual ±0.05 thresholds on the compound score."""
    if compound >= VADER_THRESHOLD:
        return "positive"
    if compound <= -VADER_THRESHOLD:
        return "negative"
    return "neutral"
