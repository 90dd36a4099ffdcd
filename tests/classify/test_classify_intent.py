"""Intent rules in both languages."""

import pytest

from chorus.classify import classify
from chorus.classify.intent import detect_intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("How much is the blue one?", "purchase_intent"),
        ("Combien coûte le modèle bleu ?", "purchase_intent"),
        ("C'est dispo en 42 ?", "purchase_intent"),
        ("Where can I buy it in Paris?", "purchase_intent"),
        ("What time do you open on Sunday?", "question"),
        ("Pourquoi le magasin est fermé ?", "question"),
    ],
)
def test_intent_without_sentiment(text: str, intent: str) -> None:
    assert detect_intent(text, "neutral") == intent


def test_complaint_needs_a_marker_and_no_praise() -> None:
    assert detect_intent("My order arrived broken, I want a refund", "negative") == "complaint"
    assert detect_intent("Colis jamais reçu, je suis très déçu", "negative") == "complaint"
    assert detect_intent("Not disappointed at all, love it", "positive") != "complaint"


def test_praise_needs_positive_sentiment() -> None:
    assert detect_intent("Bravo, super boulot", "positive") == "praise"
    assert detect_intent("Bravo, super boulot", "negative") == "other"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Thank you so much, amazing service, I love it!", "praise"),
        ("Merci, j'adore, c'est génial !", "praise"),
        ("Produit cassé, service client nul, je veux un remboursement", "complaint"),
    ],
)
def test_intent_end_to_end(text: str, intent: str) -> None:
    assert classify(text).intent == intent
