"""Spam patterns score high; ordinary messages score low."""

import pytest

from chorus.classify.spam import spam_score


@pytest.mark.parametrize(
    "text",
    [
        "FOLLOW FOR FOLLOW!!! check my bio http://x.xyz/a",
        "Earn $500 per day with bitcoin, DM me now http://bit.ly/x",
        "Gagnez de l'argent facile avec la crypto, écris-moi en mp",
        "#win #free #gift #promo #deal #sale #cash @a @b @c @d @e http://spam.io/x",
    ],
)
def test_spam_patterns_score_high(text: str) -> None:
    assert spam_score(text) >= 0.7


@pytest.mark.parametrize(
    "text", ["Bonjour, ma commande n'est pas arrivée", "Love the new colours!", ""]
)
def test_ordinary_messages_score_low(text: str) -> None:
    assert spam_score(text) < 0.2
