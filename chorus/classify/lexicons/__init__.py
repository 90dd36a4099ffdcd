"""Word lists (profanity, insults) and the VADER scores, loaded once per process.

The classifier reads VADER's lexicons in batch through ``polarity``; the VADER analysers
themselves (``vader_scores``) remain for the lexicon-only baseline of the benchmark.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Sequence
from importlib import resources

import numpy as np
import numpy.typing as npt

from ..batch import MessageBatch
from ..phrases import PhraseList
from ..text import decode_escapes

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
    """One regex matching any entry of the given lists on word boundaries (one message at a time;
    batches use word_list_matches)."""
    entries = sorted({entry for name in filenames for entry in _read_entries(name)}, key=len)
    alternatives = "|".join(_entry_pattern(entry) for entry in reversed(entries))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


PROFANITY_LISTS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_ldnoobw.txt", "fr_insults.txt"),
    "en": ("en_profanity.txt",),
}
INSULT_LISTS: dict[str, tuple[str, ...]] = {"fr": ("fr_insults.txt",), "en": ("en_profanity.txt",)}


def profanity_hits(text: str, language: str) -> list[str]:
    """Profane words found in the text; unknown languages are checked against every list."""
    names = _lists_for(PROFANITY_LISTS, language)
    return word_list_pattern(*names).findall(decode_escapes(text))


def insult_hits(text: str, language: str) -> list[str]:
    return word_list_pattern(*_lists_for(INSULT_LISTS, language)).findall(decode_escapes(text))


def _lists_for(lists: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    return lists.get(language) or tuple(sorted({n for v in lists.values() for n in v}))


@functools.cache
def word_list_phrases(filename: str) -> PhraseList:
    return PhraseList(_read_entries(filename))


def word_list_matches(batch: MessageBatch) -> dict[str, npt.NDArray[np.bool_]]:
    """Per list file, which messages of the batch hold one of its entries (see phrases.py)."""
    names = {
        name for lists in (PROFANITY_LISTS, INSULT_LISTS) for v in lists.values() for name in v
    }
    return {name: word_list_phrases(name).messages_matching(batch.words) for name in sorted(names)}


def word_list_flags(
    matches: dict[str, npt.NDArray[np.bool_]],
    languages: Sequence[str],
    lists: dict[str, tuple[str, ...]],
) -> list[bool]:
    """Per message: does a word of its language's lists (PROFANITY_LISTS or INSULT_LISTS) appear?"""
    return [
        any(bool(matches[name][row]) for name in _lists_for(lists, language))
        for row, language in enumerate(languages)
    ]


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


def vader_label(compound: float) -> str:
    """The lexicon-only baseline: VADER's usual ±0.05 thresholds on the compound score."""
    if compound >= VADER_THRESHOLD:
        return "positive"
    if compound <= -VADER_THRESHOLD:
        return "negative"
    return "neutral"
