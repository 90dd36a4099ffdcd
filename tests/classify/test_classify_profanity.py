"""Profanity and toxicity from the word lists (French has no trained model)."""

from chorus.classify import classify


def test_french_insult_is_profane_and_toxic() -> None:
    result = classify("Ta gueule espèce de connard")
    assert result.profanity
    assert result.toxicity >= 0.8


def test_french_swearing_is_profane_but_less_toxic_than_an_insult() -> None:
    swearing = classify("Putain, le colis est encore en retard")
    insult = classify("Vous êtes des connards")
    assert swearing.profanity
    assert swearing.toxicity < insult.toxicity


def test_english_abuse_is_profane_and_toxic() -> None:
    result = classify("@user you are a fucking idiot, shut up")
    assert result.profanity
    assert result.toxicity >= 0.5


def test_polite_messages_are_clean() -> None:
    for text in ("Merci pour votre aide", "Thanks for your help"):
        result = classify(text)
        assert not result.profanity
        assert result.toxicity < 0.5


def test_words_only_match_whole_words() -> None:
    # "con" is on the French list; "contrat" and "conseil" must not trip it.
    assert not classify("Je relis le contrat et le conseil").profanity
