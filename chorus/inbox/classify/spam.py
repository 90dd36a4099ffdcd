"""Spam score from surface patterns.

There is no labelled spam set in our data, so this is a hand-weighted sum of signals that
community managers recognise (links, "DM me", crypto, follow-for-follow, shouting, tag walls).
Each signal adds evidence; the sum is squashed into [0, 1] so one weak signal stays low.
"""

from __future__ import annotations

import math
import re

from .text import decode_escapes

_LINK = re.compile(r"https?://\S+|www\.\S+|\b\w+\.(?:com|net|io|xyz|ly|gg|me|co)/\S*", re.I)
_REPEATED_CHARACTER = re.compile(r"(.)\1{4,}")
_HASHTAG = re.compile(r"#\w+")
_MENTION = re.compile(r"@\w+")
_MONEY_PROMISE = re.compile(
    r"\b(?:crypto|bitcoin|btc|eth|nft|forex|airdrop|giveaway|investi(?:r|ssement)|invest(?:ment)?"
    r"|earn \$?\d+|gagne[rz]? \d+|\d+\s?(?:€|\$|usd|eur) (?:par|per|a) (?:jour|day|week|semaine)"
    r"|make money|argent facile|passive income|revenu passif|cash ?app|onlyfans)\b",
    re.I,
)
_CALL_TO_CONTACT = re.compile(
    r"\b(?:dm me|dm us|check (?:my|our) (?:bio|profile|page)|link in (?:my )?bio"
    r"|click (?:the )?link"
    r"|écris[- ]moi en (?:mp|dm|privé)|contacte[zr]?[- ]moi|en mp|lien dans (?:ma )?bio"
    r"|clique[zr]? sur le lien|whatsapp|telegram)\b",
    re.I,
)
_FOLLOW_BAIT = re.compile(
    r"\b(?:follow ?for ?follow|f4f|follow back|followback|follow me|sub4sub|like ?for ?like|l4l"
    r"|abonne[- ]toi|abonnez[- ]vous|suivez[- ]moi|free followers|followers gratuits)\b",
    re.I,
)

# Log-odds each signal adds; the bias keeps a message with no signal near 0.05.
_BIAS = -3.0


def _shouting(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 12 and sum(char.isupper() for char in letters) / len(letters) > 0.7


def _spam_evidence(text: str) -> float:
    evidence = 0.0
    evidence += 1.2 * min(len(_LINK.findall(text)), 3)
    evidence += 2.2 * bool(_MONEY_PROMISE.search(text))
    evidence += 2.0 * bool(_CALL_TO_CONTACT.search(text))
    evidence += 2.5 * bool(_FOLLOW_BAIT.search(text))
    evidence += 0.8 * bool(_REPEATED_CHARACTER.search(text))
    evidence += 1.0 * _shouting(text)
    evidence += 0.5 * max(len(_HASHTAG.findall(text)) - 3, 0)
    evidence += 0.5 * max(len(_MENTION.findall(text)) - 3, 0)
    return evidence


def spam_score(text: str) -> float:
    """Probability-like spam score in [0, 1]."""
    evidence = _spam_evidence(decode_escapes(text))
    return round(1.0 / (1.0 + math.exp(-(_BIAS + evidence))), 4)
