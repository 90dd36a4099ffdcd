"""Obvious messages get the obvious sentiment, in French and in English."""

import pytest

from chorus.classify import Classification, classify


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("I love this, thank you so much! Best service ever", "positive"),
        ("This is terrible, worst experience ever, I hate it", "negative"),
        ("J'adore, merci beaucoup, c'est génial !", "positive"),
        ("C'est nul, très déçu, une honte", "negative"),
    ],
)
def test_obvious_sentiment(text: str, sentiment: str) -> None:
    result = classify(text)
    assert result.sentiment == sentiment
    assert 0.0 <= result.confidence <= 1.0


def test_classification_is_a_frozen_record_with_all_fields() -> None:
    result = classify("Great product")
    assert isinstance(result, Classification)
    assert set(result.as_dict()) == {
        "language",
        "sentiment",
        "confidence",
        "toxicity",
        "profanity",
        "spam",
        "intent",
    }
    with pytest.raises(AttributeError):
        result.sentiment = "negative"  # type: ignore[misc]


def test_empty_text_is_undetermined_and_neutral() -> None:
    result = classify("   ")
    assert (result.language, result.sentiment, result.intent) == ("und", "neutral", "other")
