"""A batch gives each message exactly what it would get alone: nothing leaks between messages."""

from chorus.classify import get_classifier

MESSAGES = [
    "Merci beaucoup, super service !",
    "",
    "How much is the blue one?",
    "line one\nline two: this is awful, I want a refund",
    "Ta gueule espèce de connard",
    "FOLLOW FOR FOLLOW!!! check my bio http://x.xyz/a",
    "I can\\u2019t believe how good this is 😍",
    "   ",
    "Das ist wirklich ein sehr gutes Produkt",
    "c'est l'arnaque, colis jamais reçu",
]


def test_batch_matches_one_by_one() -> None:
    classifier = get_classifier()

    batch = classifier.classify_many(MESSAGES)

    assert batch == [classifier.classify(text) for text in MESSAGES]


def test_batch_keeps_order_and_length_with_blank_messages() -> None:
    results = get_classifier().classify_many(MESSAGES)

    assert len(results) == len(MESSAGES)
    assert results[1].language == results[7].language == "und"
    assert results[2].intent == "purchase_intent"
    assert results[4].profanity and results[4].toxicity >= 0.8
    assert results[5].spam >= 0.7
    assert results[9].intent == "complaint"


def test_a_line_break_inside_a_message_does_not_split_it() -> None:
    single = get_classifier().classify_many(["line one\nline two: this is awful, I want a refund"])

    assert len(single) == 1
    assert single[0].intent == "complaint"
