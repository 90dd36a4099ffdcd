"""Language of a message: py3langid, steadied by function words for the short texts it fumbles.

py3langid is good on a sentence but guesses wildly on "merci !" or "so true": on three words its
character statistics are noise. French and English function words ("le", "est", "the", "is")
are a far stronger signal there, so they decide between fr and en, and langid only names another
language when it is confident.
"""

from __future__ import annotations

import functools
from typing import Protocol

from .text import strip_links_and_handles, words

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


class _LangId(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@functools.cache
def _identifier() -> _LangId:
    # Loading the model takes ~0.6 s: do it once per process, and only when first needed.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _LangId = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


def _marker_votes(message_words: list[str], text: str) -> tuple[int, int]:
    french = sum(word in FRENCH_MARKERS for word in message_words)
    english = sum(word in ENGLISH_MARKERS for word in message_words)
    if any(letter in FRENCH_LETTERS for letter in text.lower()):
        french += 1
    return french, english


def detect_language(text: str) -> str:
    """ISO 639-1 code of the message, or "und" when too short or too unsure to say."""
    human_text = strip_links_and_handles(text)
    message_words = words(human_text)
    if not message_words or sum(len(word) for word in message_words) < 2:
        return UNDETERMINED
    french, english = _marker_votes(message_words, human_text)
    if french != english and max(french, english) * 2 > len(message_words):
        # Markers are a majority of the words: no third language could win, so skip langid
        # (the slowest step for a batch).
        return "fr" if french > english else "en"
    guess, probability = _identifier().classify(human_text)
    long_text = len(message_words) > SHORT_TEXT_WORDS
    other_needed = CONFIDENT_OTHER_LANGUAGE_LONG if long_text else CONFIDENT_OTHER_LANGUAGE_SHORT
    if guess not in ("fr", "en") and probability >= other_needed:
        # A confident third language wins unless fr/en markers are a clear majority.
        if max(french, english) * 2 <= len(message_words):
            return str(guess)
    if french != english:
        return "fr" if french > english else "en"
    if guess in ("fr", "en"):
        needed = CONFIDENT_LONG_TEXT if long_text else 0.99
        return str(guess) if probability >= needed else UNDETERMINED
    return UNDETERMINED


def detect_languages(texts: list[str]) -> list[str]:
    return [detect_language(text) for text in texts]
