"""What the author wants: ask, complain, praise, buy — rules in French and English.

An angry complaint comes first (it is the message that must not wait), then purchase intent,
because "how much is it?" is both a question and a sale the team should not miss. A complaint
marker never counts in a positive message, so "not disappointed at all, love it" stays praise.
"""

from __future__ import annotations

import re

from .text import decode_escapes

_PURCHASE = re.compile(
    r"\b(?:how much|price|pricing|cost|buy|purchase|(?:can|could) i order|to order|in stock"
    r"|available|where can i get"
    r"|shipping to|do you ship|combien|prix|tarifs?|co[uû]te|acheter|ach[eè]te|commander|commande"
    r"|dispo(?:nible)?s?|en stock|livr(?:ez|ez-vous|aison)|o[uù] (?:trouver|acheter))\b",
    re.I,
)
_QUESTION_OPENER = re.compile(
    r"^(?:who|what|when|where|why|how|which|is|are|do|does|did|can|could|will|would|should|any"
    r"|qui|quoi|que|quand|o[uù]|pourquoi|comment|quel(?:le)?s?|est-ce|est ce|y a-t-il|peut-on"
    r"|pouvez|avez|as-tu|vous avez|c'est quand)\b",
    re.I,
)
_COMPLAINT = re.compile(
    r"\b(?:broken|refund|worst|terrible|awful|disappointed|disappointing|still waiting"
    r"|never arrived"
    r"|not working|doesn'?t work|scam|useless|complain|unacceptable|rip ?off|customer service"
    r"|cass[ée]e?s?|rembourse(?:ment|z)?|nul(?:le)?s?|d[ée]çu(?:e)?s?|d[ée]cevant|arnaque|inadmissible"
    r"|toujours pas|jamais re[çc]u|ne marche (?:pas|plus)|fonctionne (?:pas|plus)|en panne"
    r"|service client|honteux|scandaleux|inacceptable|j'en ai marre|ras le bol)\b",
    re.I,
)
_PRAISE = re.compile(
    r"\b(?:love|loved|amazing|awesome|great|thank(?:s| you)|best|excellent|perfect|brilliant"
    r"|well done|congrats|congratulations|merci|bravo|génial|genial|super|top|parfait|excellent"
    r"|j'adore|adore|magnifique|félicitations|felicitations|trop bien|au top|incroyable)\b",
    re.I,
)


def _is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_OPENER.search(text.strip()))


def detect_intent(text: str, sentiment: str) -> str:
    """One of "purchase_intent", "complaint", "question", "praise", "other"."""
    text = decode_escapes(text)
    complaint = bool(_COMPLAINT.search(text))
    if complaint and sentiment == "negative":
        return "complaint"
    if _PURCHASE.search(text) and (_is_question(text) or len(text) < 60):
        return "purchase_intent"
    if complaint and sentiment == "neutral":
        return "complaint"
    if _is_question(text):
        return "question"
    if sentiment == "positive" and _PRAISE.search(text):
        return "praise"
    return "other"
