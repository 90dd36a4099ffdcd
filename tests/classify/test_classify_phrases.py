"""Rule phrase lists: finite regexes expanded, matched on whole words, one message at a time."""

import pytest

from chorus.classify.batch import MessageBatch
from chorus.classify.phrases import PhraseList, expand


def test_expand_lists_every_spelling() -> None:
    assert expand(r"cass[ée]s?|rip ?off") == sorted(
        ["casse", "cassé", "casses", "cassés", "rip off", "ripoff"]
    )


def test_expand_refuses_open_ended_patterns() -> None:
    with pytest.raises(ValueError):
        expand(r"earn \d+")


def matches(phrases: PhraseList, texts: list[str]) -> list[bool]:
    return phrases.messages_matching(MessageBatch(texts).words).tolist()


def test_words_phrases_prefixes_and_elisions() -> None:
    phrases = PhraseList(["arnaque", "ta gueule", "connard*", "sale con*"])
    texts = [
        "c'est l'arnaque",  # elided article: still the word
        "Ta gueule !",
        "quel CONNARDS",
        "sale conne",
        "arnaques",  # no wildcard: another word
        "le contrat",  # "con*" only after "sale"
        "gueule",
    ]

    assert matches(phrases, texts) == [True, True, True, True, False, False, False]


def test_a_phrase_never_spans_two_messages() -> None:
    assert matches(PhraseList(["ta gueule"]), ["pas ta", "gueule de bois"]) == [False, False]
