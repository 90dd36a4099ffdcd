"""What the author wants: ask, complain, praise, buy — rules in French and English.

An angry complaint comes first (it is the message that must not wait), then purchase intent,
because "how much is it?" is both a question and a sale the team should not miss. A complaint
marker never counts in a positive message, so "not disappointed at all, love it" stays praise.

The rules are phrase lists (written as finite regexes), matched by word hashes over the whole
batch at once (see phrases.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .batch import MessageBatch
from .phrases import PhraseList, message_openers

# A purchase word without a question mark still counts in a message this short ("prix ?" / "dispo").
SHORT_MESSAGE = 60

_PURCHASE = PhraseList.from_pattern(
    r"how much|price|pricing|cost|buy|purchase|(?:can|could) i order|to order|in stock"
    r"|available|where can i get"
    r"|shipping to|do you ship|combien|prix|tarifs?|co[uû]te|acheter|ach[eè]te|commander|commande"
    r"|dispo(?:nible)?s?|en stock|livr(?:ez|ez-vous|aison)|o[uù] (?:trouver|acheter)"
)
# Matched only on a message's first word.
_QUESTION_OPENER = PhraseList.from_pattern(
    r"who|what|when|where|why|how|which|is|are|do|does|did|can|could|will|would|should|any"
    r"|qui|quoi|que|quand|o[uù]|pourquoi|comment|quel(?:le)?s?|est-ce|est ce|y a-t-il|peut-on"
    r"|pouvez|avez|as-tu|vous avez|c'est quand"
)
_COMPLAINT = PhraseList.from_pattern(
    r"broken|refund|worst|terrible|awful|disappointed|disappointing|still waiting"
    r"|never arrived"
    r"|not working|doesn'?t work|scam|useless|complain|unacceptable|rip ?off|customer service"
    r"|cass[ée]e?s?|rembourse(?:ment|z)?|nul(?:le)?s?|d[ée]çu(?:e)?s?|d[ée]cevant|arnaque|inadmissible"
    r"|toujours pas|jamais re[çc]u|ne marche (?:pas|plus)|fonctionne (?:pas|plus)|en panne"
    r"|service client|honteux|scandaleux|inacceptable|j'en ai marre|ras le bol"
)
# Asking for one's money back is a complaint however politely it is put: "thanks for your help,
# I'd like a refund" reads positive, and must not land among the praise.
_CLAIM = PhraseList.from_pattern(
    r"(?:get|want|like|need|request) a refund|a refund or|please refund|refund me|money back"
    r"|me rembourser|remboursez[- ]moi|[êe]tre rembours[ée]e?s?|demande de remboursement"
)
_PRAISE = PhraseList.from_pattern(
    r"love|loved|amazing|awesome|great|thank(?:s| you)|best|excellent|perfect|brilliant"
    r"|well done|congrats|congratulations|merci|bravo|génial|genial|super|top|parfait|excellent"
    r"|j'adore|adore|magnifique|félicitations|felicitations|trop bien|au top|incroyable"
)


def detect_intents(texts: Sequence[str] | MessageBatch, sentiments: Sequence[str]) -> list[str]:
    """One of "purchase_intent", "complaint", "question", "praise", "other" per message."""
    batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
    words = batch.words
    complaint = _COMPLAINT.messages_matching(words).tolist()
    claim = _CLAIM.messages_matching(words).tolist()
    purchase = _PURCHASE.messages_matching(words).tolist()
    praise = _PRAISE.messages_matching(words).tolist()
    opener = _QUESTION_OPENER.found_at(words) & message_openers(words)
    question = (batch.lower.per_message_sum(batch.lower.points == ord("?")) > 0) | (
        np.bincount(words.messages[opener], minlength=len(batch)) > 0
    )
    short = (batch.original.lengths() < SHORT_MESSAGE).tolist()
    return [
        _intent(
            sentiment,
            complaint[row],
            purchase[row],
            bool(question[row]),
            short[row],
            praise[row],
            claim=claim[row],
        )
        for row, sentiment in enumerate(sentiments)
    ]


def _intent(
    sentiment: str,
    complaint: bool,
    purchase: bool,
    question: bool,
    short: bool,
    praise: bool,
    *,
    claim: bool = False,
) -> str:
    if (complaint and sentiment == "negative") or claim:
        return "complaint"
    if purchase and (question or short):
        return "purchase_intent"
    if complaint and sentiment == "neutral":
        return "complaint"
    if question:
        return "question"
    if sentiment == "positive" and praise:
        return "praise"
    return "other"


def detect_intent(text: str, sentiment: str) -> str:
    """One of "purchase_intent", "complaint", "question", "praise", "other"."""
    return detect_intents([text], [sentiment])[0]
