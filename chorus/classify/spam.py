"""Spam score from surface patterns.

There is no labelled spam set in our data, so this is a hand-weighted sum of signals that
community managers recognise (links, "DM me", crypto, follow-for-follow, shouting, tag walls).
Each signal adds evidence; the sum is squashed into [0, 1] so one weak signal stays low.

Word patterns are phrase lists matched by word hashes over the whole batch (see phrases.py);
only links and money amounts need a regex.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .batch import SEPARATOR, MessageBatch, character_tables, lookup
from .phrases import PhraseList

# One match per link: "http://bit.ly/x" is taken whole by the first branch, not twice.
_LINK = re.compile(r"https?://\S+|www\.\S+|\w\.(?:com|net|io|xyz|ly|gg|me|co)/\S*")
# Amounts need digits, which phrase lists cannot hold: a regex, only on messages with a digit.
_MONEY_AMOUNT = re.compile(
    r"\b(?:earn \$?\d+|gagne[rz]? \d+"
    r"|\d+\s?(?:€|\$|usd|eur) (?:par|per|a) (?:jour|day|week|semaine))"
)
_MONEY_PROMISE = PhraseList.from_pattern(
    r"crypto|bitcoin|btc|eth|nft|forex|airdrop|giveaway|investi(?:r|ssement)|invest(?:ment)?"
    r"|make money|argent facile|passive income|revenu passif|cash ?app|onlyfans"
)
_CALL_TO_CONTACT = PhraseList.from_pattern(
    r"dm me|dm us|check (?:my|our) (?:bio|profile|page)|link in (?:my )?bio"
    r"|click (?:the )?link|click here"
    r"|écris[- ]moi en (?:mp|dm|privé)|contacte[zr]?[- ]moi|en mp|lien dans (?:ma )?bio"
    r"|clique[zr]? ici"
    r"|clique[zr]? sur le lien|whatsapp|telegram"
)
_FOLLOW_BAIT = PhraseList.from_pattern(
    r"follow ?for ?follow|f4f|follow back|followback|follow me|sub4sub|like ?for ?like|l4l"
    r"|abonne[- ]toi|abonnez[- ]vous|suivez[- ]moi|free followers|followers gratuits"
    # Selling an audience: "BUY CHEAP FOLLOWERS NOW", "achetez des abonnés pas chers".
    r"|buy (?:cheap |real |more )?(?:followers|likes|views|subscribers)"
    r"|cheap (?:followers|likes|views|subscribers)"
    r"|achete[rz]? des (?:abonnés|followers|likes|vues)|(?:abonnés|followers|likes) pas chers?"
)
_WWW = PhraseList(["www"])
REPEAT_RUN = 5  # "!!!!!", "soooooo"

# Log-odds each signal adds; the bias keeps a message with no signal near 0.05.
_BIAS = -3.0


SHOUTING_MIN_LETTERS = 12
SHOUTING_UPPER_SHARE = 0.7


def _shouting(batch: MessageBatch) -> npt.NDArray[np.bool_]:
    tables = character_tables()
    original = batch.original
    letters = original.per_message_sum(lookup(tables["letter"], original.points))
    upper = original.per_message_sum(lookup(tables["upper"], original.points))
    return (letters >= SHOUTING_MIN_LETTERS) & (upper > SHOUTING_UPPER_SHARE * letters)


def _repeated_character(batch: MessageBatch) -> npt.NDArray[np.bool_]:
    points = batch.original.points
    same = points[1:] == points[:-1]
    runs = np.ones(max(len(points) - REPEAT_RUN + 1, 0), dtype=bool)
    for offset in range(REPEAT_RUN - 1):
        runs &= same[offset : offset + len(runs)]
    runs &= points[: len(runs)] != ord(SEPARATOR)
    return (
        batch.original.per_message_sum(np.concatenate([runs, np.zeros(REPEAT_RUN - 1, bool)])) > 0
    )


def _tag_counts(batch: MessageBatch, sign: str) -> npt.NDArray[np.float64]:
    """How many #tags (or @mentions): the sign followed by a word character."""
    points = batch.lower.points
    words = lookup(character_tables()["word"], points)
    tagged = np.zeros(len(points), dtype=bool)
    tagged[:-1] = (points[:-1] == ord(sign)) & words[1:]
    return batch.lower.per_message_sum(tagged)


def _regex_where(
    batch: MessageBatch, pattern: re.Pattern[str], candidates: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """Matches of a regex per message, run only on candidate messages (regexes scan slowly)."""
    counts = np.zeros(len(batch))
    lines = batch.lower.lines()
    for row in np.flatnonzero(candidates).tolist():
        counts[row] = len(pattern.findall(lines[row]))
    return counts


def _money_amounts(batch: MessageBatch) -> npt.NDArray[np.bool_]:
    points = batch.lower.points
    digits = batch.lower.per_message_sum((points >= ord("0")) & (points <= ord("9"))) > 0
    return _regex_where(batch, _MONEY_AMOUNT, digits) > 0


def _links(batch: MessageBatch) -> npt.NDArray[np.float64]:
    # Every link holds "/" or "www": only those messages are scanned.
    points = batch.lower.points
    slash = batch.lower.per_message_sum(points == ord("/")) > 0
    return _regex_where(batch, _LINK, slash | _WWW.messages_matching(batch.words))


def _spam_evidence(batch: MessageBatch) -> npt.NDArray[np.float64]:
    words = batch.words
    evidence = 1.2 * np.minimum(_links(batch), 3)
    evidence += 2.2 * (_MONEY_PROMISE.messages_matching(words) | _money_amounts(batch))
    evidence += 2.0 * _CALL_TO_CONTACT.messages_matching(words)
    evidence += 2.5 * _FOLLOW_BAIT.messages_matching(words)
    # Case matters for repeats ("AAAAA" yes, "AaAaA" no), so this one reads the original.
    evidence += 0.8 * _repeated_character(batch)
    evidence += 1.0 * _shouting(batch)
    evidence += 0.5 * np.maximum(_tag_counts(batch, "#") - 3, 0)
    evidence += 0.5 * np.maximum(_tag_counts(batch, "@") - 3, 0)
    return evidence


def spam_scores(texts: Sequence[str] | MessageBatch) -> list[float]:
    """Probability-like spam score in [0, 1] for each message of a batch."""
    batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
    scores = 1.0 / (1.0 + np.exp(-(_BIAS + _spam_evidence(batch))))
    return [round(score, 4) for score in scores.tolist()]


def spam_score(text: str) -> float:
    """Probability-like spam score in [0, 1]."""
    return spam_scores([text])[0]
