"""Each condition a rule can test, its checks at save time, and negation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from chorus.inbox import ingest
from chorus.inbox.models import AuthorList, Message
from chorus.inbox.rules import conditions as rule_conditions
from chorus.inbox.rules.conditions import (
    WorkspaceRefs,
    clean_condition,
    describe_condition,
)
from chorus.inbox.rules.matching import Facts, compile_condition
from chorus.workspaces.models import Workspace
from tests.inbox.rules_helpers import make_author, make_channel, make_message


def holds(workspace: Workspace, condition: dict[str, Any], message: Message) -> bool:
    clean, errors = clean_condition(condition, WorkspaceRefs.load(workspace))
    assert errors == {}
    lists = {clean["list"]} if "list" in clean else set()
    facts = Facts.load(workspace, [message], lists)
    return compile_condition(clean)(message, facts)


def errors_of(workspace: Workspace, condition: dict[str, Any]) -> dict[str, str]:
    return clean_condition(condition, WorkspaceRefs.load(workspace))[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C'est une ARNAQUE !", True),
        ("Quelle arnaqué, franchement", True),  # accent on the text side
        ("Arnaques en série", False),  # another word: word boundaries
        ("Tout va bien", False),
        ("remboursez-moi", True),
    ],
)
def test_words_ignore_case_and_accents_at_word_boundaries(
    workspace_a: Workspace, text: str, expected: bool
) -> None:
    condition = {"type": "words", "words": ["arnaque", "Remboursez"]}
    assert holds(workspace_a, condition, make_message(workspace_a, text)) is expected


def test_words_accept_accented_words_and_phrases(workspace_a: Workspace) -> None:
    condition = {"type": "words", "words": "délai de livraison, colère"}
    assert holds(workspace_a, condition, make_message(workspace_a, "Le DELAI  de livraison!"))
    assert holds(workspace_a, condition, make_message(workspace_a, "Je suis en colere"))
    assert not holds(workspace_a, condition, make_message(workspace_a, "délai"))


def test_regex_matches_case_insensitively(workspace_a: Workspace) -> None:
    condition = {"type": "regex", "pattern": r"\border\s*#?\d{5}\b"}
    assert holds(workspace_a, condition, make_message(workspace_a, "Where is ORDER #12345?"))
    assert not holds(workspace_a, condition, make_message(workspace_a, "order 12"))


def test_invalid_regex_is_refused_at_save(workspace_a: Workspace) -> None:
    assert "pattern" in errors_of(workspace_a, {"type": "regex", "pattern": "(unclosed"})
    assert "pattern" in errors_of(workspace_a, {"type": "regex", "pattern": ""})


def test_a_runaway_regex_gives_up_instead_of_hanging(
    workspace_a: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_conditions, "REGEX_TIMEOUT_SECONDS", 0.01)
    condition = {"type": "regex", "pattern": r"(a|aa)+$"}
    message = make_message(workspace_a, "a" * 60 + "b")
    assert holds(workspace_a, condition, message) is False


def test_language_sentiment_intent_kind(workspace_a: Workspace) -> None:
    message = make_message(
        workspace_a,
        "Pas content",
        language="fr",
        sentiment="negative",
        confidence=0.7,
        intent="complaint",
        kind="mention",
    )
    assert holds(workspace_a, {"type": "language", "values": "FR, en"}, message)
    assert not holds(workspace_a, {"type": "language", "values": ["de"]}, message)
    assert holds(workspace_a, {"type": "sentiment", "values": ["negative"]}, message)
    strict = {"type": "sentiment", "values": ["negative"], "min_confidence": "0.8"}
    assert not holds(workspace_a, strict, message)
    assert holds(workspace_a, {"type": "intent", "values": ["complaint", "question"]}, message)
    assert not holds(workspace_a, {"type": "kind", "values": ["direct"]}, message)
    assert holds(workspace_a, {"type": "kind", "values": ["mention"]}, message)


def test_scores_and_flags(workspace_a: Workspace) -> None:
    rude = make_message(workspace_a, "x", toxicity=0.91, profanity=True, spam_score=0.93)
    calm = make_message(workspace_a, "y", toxicity=0.2, spam_score=0.1)
    assert holds(workspace_a, {"type": "toxicity", "min": "0.9"}, rude)
    assert not holds(workspace_a, {"type": "toxicity", "min": 0.9}, calm)
    assert holds(workspace_a, {"type": "profanity"}, rude)
    assert not holds(workspace_a, {"type": "profanity"}, calm)
    assert holds(workspace_a, {"type": "spam"}, rude)
    assert not holds(workspace_a, {"type": "spam"}, calm)


def test_spam_takes_the_threshold_the_team_chose(workspace_a: Workspace) -> None:
    doubtful = make_message(workspace_a, "Free followers here", spam_score=0.62)
    assert holds(workspace_a, {"type": "spam", "min": "0.6"}, doubtful)
    assert not holds(workspace_a, {"type": "spam", "min": 0.8}, doubtful)
    assert holds(workspace_a, {"type": "spam", "min": 0.62}, doubtful)  # "at least"
    assert holds(workspace_a, {"type": "spam", "min": 0.8, "negate": True}, doubtful)


@pytest.mark.parametrize(("score", "expected"), [(0.49, False), (0.5, True), (0.51, True)])
def test_spam_without_a_threshold_keeps_the_old_yes_no_cut_off(
    workspace_a: Workspace, score: float, expected: bool
) -> None:
    message = make_message(workspace_a, "Win a phone", spam_score=score)
    assert holds(workspace_a, {"type": "spam", "min": ""}, message) is expected
    # A rule saved before there were thresholds is compiled as it is stored.
    assert compile_condition({"type": "spam"})(message, Facts()) is expected
    assert rule_conditions.DEFAULT_SPAM_THRESHOLD == ingest.SPAM_THRESHOLD


def test_spam_condition_is_described_with_its_threshold(workspace_a: Workspace) -> None:
    refs = WorkspaceRefs.load(workspace_a)
    assert (
        describe_condition({"type": "spam", "min": 0.8}, refs) == "Looks like spam (score ≥ 0.80)"
    )
    assert describe_condition({"type": "spam"}, refs) == "Looks like spam (score ≥ 0.50)"


def test_thresholds_are_written_the_french_way_in_french(workspace_a: Workspace) -> None:
    """Walked in French: "confiance ≥ 0.60" on the rules page."""
    refs = WorkspaceRefs.load(workspace_a)
    sentiment = {"type": "sentiment", "values": ["negative"], "min_confidence": 0.6}
    with translation.override("fr"):
        assert "(confiance ≥ 0,60)" in describe_condition(sentiment, refs)
        assert "0,80" in describe_condition({"type": "spam", "min": 0.8}, refs)
        assert "0,70" in describe_condition({"type": "toxicity", "min": 0.7}, refs)
    assert "0.60" in describe_condition(sentiment, refs)


def test_network(workspace_a: Workspace) -> None:
    message = make_message(workspace_a, channel=make_channel(workspace_a, "bluesky"))
    assert holds(workspace_a, {"type": "network", "values": ["bluesky"]}, message)
    assert not holds(workspace_a, {"type": "network", "values": ["mastodon"]}, message)
    assert "values" in errors_of(workspace_a, {"type": "network", "values": ["myspace"]})


def test_author_list_and_its_negation(workspace_a: Workspace) -> None:
    vip = make_author(workspace_a, "famous")
    nobody = make_author(workspace_a, "nobody")
    vips = AuthorList.objects.create(workspace=workspace_a, name="VIP")
    vips.authors.add(vip)
    in_list = {"type": "author_list", "list": vips.pk}
    not_in_list = {**in_list, "negate": True}
    assert holds(workspace_a, in_list, make_message(workspace_a, author=vip))
    assert not holds(workspace_a, in_list, make_message(workspace_a, author=nobody))
    assert holds(workspace_a, not_in_list, make_message(workspace_a, author=nobody))
    assert not holds(workspace_a, not_in_list, make_message(workspace_a, author=vip))


def test_author_list_of_another_workspace_is_refused(
    workspace_a: Workspace, workspace_c: Workspace
) -> None:
    theirs = AuthorList.objects.create(workspace=workspace_c, name="Blocked")
    assert "list" in errors_of(workspace_a, {"type": "author_list", "list": theirs.pk})


def test_followers_bounds_and_unknown(workspace_a: Workspace) -> None:
    big = make_message(workspace_a, author=make_author(workspace_a, followers=50_000))
    small = make_message(workspace_a, author=make_author(workspace_a, followers=12))
    unknown = make_message(workspace_a, author=make_author(workspace_a))
    at_least = {"type": "followers_at_least", "value": "10000"}
    at_most = {"type": "followers_at_most", "value": 100}
    assert holds(workspace_a, at_least, big)
    assert not holds(workspace_a, at_least, small)
    assert holds(workspace_a, at_most, small)
    assert not holds(workspace_a, at_most, big)
    assert not holds(workspace_a, at_least, unknown)
    assert not holds(workspace_a, at_most, unknown)
    assert "value" in errors_of(workspace_a, {"type": "followers_at_least", "value": "-3"})


def test_negation_flips_any_condition(workspace_a: Workspace) -> None:
    message = make_message(workspace_a, "Merci beaucoup", sentiment="positive")
    assert not holds(workspace_a, {"type": "words", "words": ["merci"], "negate": True}, message)
    assert holds(
        workspace_a, {"type": "sentiment", "values": ["negative"], "negate": "on"}, message
    )


@pytest.mark.parametrize(
    ("condition", "field"),
    [
        ({"type": "nonsense"}, "type"),
        ({"type": "words", "words": " , "}, "words"),
        ({"type": "language", "values": ["français"]}, "values"),
        ({"type": "sentiment", "values": ["angry"]}, "values"),
        ({"type": "sentiment", "values": ["negative"], "min_confidence": "2"}, "min_confidence"),
        ({"type": "toxicity", "min": "lots"}, "min"),
        ({"type": "spam", "min": "lots"}, "min"),
        ({"type": "spam", "min": "1.5"}, "min"),
        ({"type": "intent", "values": []}, "values"),
        ({"type": "kind", "values": ["tweet"]}, "values"),
    ],
)
def test_bad_parameters_get_a_field_error(
    workspace_a: Workspace, condition: dict[str, Any], field: str
) -> None:
    assert field in errors_of(workspace_a, condition)
