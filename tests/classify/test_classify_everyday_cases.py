"""Everyday messages a community manager gets, judged by the shipped model (no stand-in).

A polite complaint is not an attack; selling followers is spam whatever the case; an insult in
French is toxic even in the plural. "Toxic" and "spam" are the cut-offs the inbox uses: 0.5 for
toxicity (as in bench/classify_eval.py), ``SPAM_THRESHOLD`` for spam.
"""

from __future__ import annotations

import pytest

from chorus.classify import classify
from chorus.inbox.ingest import SPAM_THRESHOLD

TOXIC = 0.5

POLITE_COMPLAINTS = [
    "Hello, I was charged twice for my order #4512. Could you please refund the second payment? "
    "Thank you.",
    "Hi, my package arrived damaged. I'd appreciate a refund or a replacement, thanks for "
    "your help.",
    "Sorry to bother you, but my refund still hasn't arrived after three weeks. Could you check? "
    "Thanks",
    "My order never arrived and nobody answers my emails. I would like a refund, please.",
    "Bonjour, j'ai été débité deux fois pour ma commande. Pourriez-vous me rembourser s'il vous "
    "plaît ? Merci.",
    "Bonjour, mon colis est arrivé abîmé, je souhaiterais être remboursé. Merci d'avance.",
    "Je veux être remboursé, ma commande n'est jamais arrivée.",
]
KIND_WORDS = [
    "Thank you so much, the team was great and the delivery was fast!",
    "Merci beaucoup, service impeccable et livraison rapide !",
]
SPAM = [
    "BUY CHEAP FOLLOWERS NOW!!! visit http://…",
    "buy cheap followers and likes at http://x.example",
    "Achetez des abonnés pas chers sur http://…",
    "FREE IPHONE!!! click here http://win.example",
    "Gagnez 500€ par jour depuis chez vous, cliquez sur le lien http://x.example",
    "Earn $500 per day from home, DM me",
]
INSULTS = [
    "You are a bunch of idiots, worst company ever",
    "Vous êtes des idiots",
    "Bande d'idiots",
    "Espèce de connard",
]


@pytest.mark.parametrize("text", POLITE_COMPLAINTS + KIND_WORDS)
def test_polite_and_kind_messages_are_neither_toxic_nor_spam(text: str) -> None:
    said = classify(text)
    assert said.toxicity < TOXIC and not said.profanity
    assert said.spam < SPAM_THRESHOLD


@pytest.mark.parametrize("text", [POLITE_COMPLAINTS[i] for i in (1, 3, 5, 6)])
def test_asking_for_a_refund_is_a_complaint_however_polite(text: str) -> None:
    assert classify(text).intent == "complaint"


@pytest.mark.parametrize("text", SPAM)
def test_selling_followers_and_easy_money_is_spam(text: str) -> None:
    assert classify(text).spam >= SPAM_THRESHOLD


@pytest.mark.parametrize("text", INSULTS)
def test_insults_are_toxic_in_english_and_french(text: str) -> None:
    assert classify(text).toxicity >= TOXIC


def test_a_plain_question_is_not_toxic() -> None:
    assert classify("Do you ship to Belgium?").toxicity < TOXIC


@pytest.mark.xfail(
    strict=True,
    reason="the English offensive model (learnt from OLID tweets) scores a plain complaint "
    "near its 0.5 cut-off; any post-hoc cap costs offensive F1 on the bench",
)
def test_a_plain_complaint_is_not_toxic() -> None:
    assert classify("Your app keeps crashing on my phone").toxicity < TOXIC
