"""Language of a message: py3langid, steadied by function words for the short texts it fumbles.

py3langid is good on a sentence but guesses wildly on "merci !" or "so true": on three words its
character statistics are noise. French and English function words ("le", "est", "the", "is")
are a far stronger signal there, so they decide between fr and en, and langid only names another
language when it is confident.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .batch import SEPARATOR, Hashes, JoinedText, MessageBatch, word_spans
from .langid_batch import identify

UNDETERMINED = "und"

# Words that are frequent in one language and rare or absent in the other. Ambiguous ones
# ("a", "on", "me", "son", "pour"... ) are left out on purpose.
FRENCH_MARKERS = frozenset(
    """le la les des du une est sont et je tu il elle nous vous ils elles pas ne que qui
    quoi mais ou où avec dans sur ce cette ces mon ma mes ton ta tes votre vos leur leurs
    très bien merci bonjour bonsoir salut oui non c'est j'ai n'est d'un d'une qu'il l'on
    aussi comme pourquoi comment combien quand encore toujours rien tout tous trop peu
    être avoir fait faire suis es sommes êtes ont été était avez avons
    au aux chez sans sous vers depuis pendant alors donc car svp stp
    produit prix commande livraison dispo disponible nul génial taille""".split()
)
ENGLISH_MARKERS = frozenset(
    """the and is are was were be been this that these those with from what which who
    why how when where you your yours i'm it's don't can't won't isn't doesn't didn't
    they their there them he she his her we our us my mine of to for not but or
    thanks thank please hello hi yes no very really just so have has had do does did
    will would should could can about an at by it all any some more most love great
    product price order delivery available awesome""".split()
)
# Letters that English text almost never uses.
FRENCH_LETTERS = frozenset("éèêëàâîïôûùüçœ")

# A third language needs more evidence on a short text, where langid is least reliable.
CONFIDENT_OTHER_LANGUAGE_SHORT = 0.95
CONFIDENT_OTHER_LANGUAGE_LONG = 0.70
CONFIDENT_LONG_TEXT = 0.80
SHORT_TEXT_WORDS = 4


def detect_language(text: str) -> str:
    """ISO 639-1 code of the message, or "und" when too short or too unsure to say."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str] | MessageBatch) -> list[str]:
    """Languages of a batch: marker votes for all at once, py3langid only where they don't
    settle it."""
    batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
    humans = batch.human_texts
    votes = _marker_votes(JoinedText(SEPARATOR.join(humans).lower()))
    undecided = [row for row in range(len(humans)) if _needs_identifier(votes, row)]
    guesses = dict(zip(undecided, identify([humans[row] for row in undecided]), strict=True))
    return [_decide(votes, row, guesses.get(row)) for row in range(len(humans))]


class _Votes(NamedTuple):
    words: list[int]
    letters: list[int]
    french: list[int]
    english: list[int]


@functools.cache
def _marker_hashes() -> tuple[Hashes, Hashes]:
    def hashed(markers: frozenset[str]) -> Hashes:
        joined = JoinedText(SEPARATOR.join(sorted(markers)))
        return np.sort(joined.span_hashes(joined.starts, joined.ends))

    return hashed(FRENCH_MARKERS), hashed(ENGLISH_MARKERS)


def _marker_votes(lower: JoinedText) -> _Votes:
    """Per message: words, letters in words, French and English marker votes."""
    starts, ends = word_spans(lower, letters_only=True)
    messages = lower.message_of(starts)
    hashes = lower.span_hashes(starts, ends)
    french_markers, english_markers = _marker_hashes()
    french = np.bincount(messages, np.isin(hashes, french_markers), minlength=lower.count)
    english = np.bincount(messages, np.isin(hashes, english_markers), minlength=lower.count)
    accented = np.isin(lower.points, [ord(letter) for letter in FRENCH_LETTERS])
    french += lower.per_message_sum(accented) > 0
    return _Votes(
        words=np.bincount(messages, minlength=lower.count).tolist(),
        letters=np.bincount(messages, ends - starts, minlength=lower.count).astype(int).tolist(),
        french=french.astype(int).tolist(),
        english=english.astype(int).tolist(),
    )


def _settled_by_markers(votes: _Votes, row: int) -> bool:
    # Markers are a majority of the words: no third language could win, so skip langid.
    french, english = votes.french[row], votes.english[row]
    return french != english and max(french, english) * 2 > votes.words[row]


def _too_short(votes: _Votes, row: int) -> bool:
    return votes.words[row] == 0 or votes.letters[row] < 2


def _needs_identifier(votes: _Votes, row: int) -> bool:
    return not _too_short(votes, row) and not _settled_by_markers(votes, row)


def _decide(votes: _Votes, row: int, identified: tuple[str, float] | None) -> str:
    if _too_short(votes, row):
        return UNDETERMINED
    french, english, count = votes.french[row], votes.english[row], votes.words[row]
    if identified is None:
        return "fr" if french > english else "en"
    guess, probability = identified
    long_text = count > SHORT_TEXT_WORDS
    other_needed = CONFIDENT_OTHER_LANGUAGE_LONG if long_text else CONFIDENT_OTHER_LANGUAGE_SHORT
    if guess not in ("fr", "en") and probability >= other_needed:
        # A confident third language wins unless fr/en markers are a clear majority.
        if max(french, english) * 2 <= count:
            return guess
    if french != english:
        return "fr" if french > english else "en"
    if guess in ("fr", "en"):
        needed = CONFIDENT_LONG_TEXT if long_text else 0.99
        return guess if probability >= needed else UNDETERMINED
    return UNDETERMINED
