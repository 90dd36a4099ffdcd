"""The query language: what a person may write, and the errors when they cannot be read."""

from __future__ import annotations

import pytest

from chorus.listening.query_language import (
    MAX_LENGTH,
    MAX_TERMS,
    And,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    TermKind,
    parse,
)


def word(value: str) -> Term:
    return Term(TermKind.WORD, value)


def test_words_side_by_side_are_all_needed() -> None:
    assert parse("acme coffee") == And((word("acme"), word("coffee")))
    assert parse("acme AND coffee") == parse("acme coffee")


def test_or_binds_looser_than_and() -> None:
    assert parse("acme coffee OR tea") == Or((And((word("acme"), word("coffee"))), word("tea")))


def test_parentheses_group() -> None:
    assert parse("acme (coffee OR tea)") == And((word("acme"), Or((word("coffee"), word("tea")))))


def test_not_and_minus_leave_out() -> None:
    assert parse("acme NOT job") == And((word("acme"), Not(word("job"))))
    assert parse("acme -job") == parse("acme NOT job")
    assert parse("acme -(job OR hiring)") == And(
        (word("acme"), Not(Or((word("job"), word("hiring")))))
    )


def test_kinds_of_terms_normalised() -> None:
    tree = parse('"Acme  Café" #AcmeCoffee @Acme@Mastodon.Social site:WWW.Acme.com barist*')
    assert isinstance(tree, And)
    assert tree.parts == (
        Term(TermKind.PHRASE, "acme cafe"),
        Term(TermKind.HASHTAG, "#acmecoffee"),
        Term(TermKind.HANDLE, "@acme@mastodon.social"),
        Term(TermKind.SITE, "acme.com"),
        Term(TermKind.PREFIX, "barist"),
    )


def test_accents_and_case_do_not_matter() -> None:
    assert parse("Été") == parse("ete")


def test_lowercase_or_is_a_word_and_keywords_inside_words_are_words() -> None:
    assert parse("black or white") == And((word("black"), word("or"), word("white")))
    assert parse("ANDROID") == word("android")
    assert parse("e-mail") == word("e-mail")


def test_trailing_punctuation_is_left_out() -> None:
    assert parse("acme, inc.") == And((word("acme"), word("inc")))


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("acme AND", 8, "stops too early"),
        ("OR acme", 1, "OR needs a term"),
        ("acme OR OR tea", 9, "OR needs a term"),
        ("(acme OR tea", 1, "never closed"),
        ("acme OR tea)", 12, "closes nothing"),
        ('acme "coffee', 6, "quote is never closed"),
        ("acme ()", 7, "Empty parentheses"),
        ("acme site:localhost", 6, "site: needs a domain"),
        ("acme #", 6, "must be followed by a name"),
        ("acme ~", 6, "is not a word"),
        ("ac* shop", 1, "3 letters"),
    ],
)
def test_errors_say_what_and_where(text: str, column: int, says: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert caught.value.column == column
    assert says in caught.value.message
    assert f"(at character {column})" in str(caught.value)


@pytest.mark.parametrize("text", ["NOT job", "-job", "-(job OR hiring)", "NOT NOT NOT job"])
def test_a_query_that_only_leaves_out_is_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="not only what to leave out"):
        parse(text)


def test_not_not_finds_something() -> None:
    assert parse("NOT NOT acme") == Not(Not(word("acme")))


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_query_is_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="at least one word"):
        parse(text)


def test_limits() -> None:
    with pytest.raises(QuerySyntaxError, match="characters long"):
        parse("a" * (MAX_LENGTH + 1))
    with pytest.raises(QuerySyntaxError, match="terms"):
        parse(" OR ".join(f"word{n}" for n in range(MAX_TERMS + 1)))
    with pytest.raises(QuerySyntaxError, match="nest at most") as caught:
        parse("(" * 11 + "acme" + ")" * 11)
    assert caught.value.column == 11
    parse("(" * 10 + "acme" + ")" * 10)  # the limit itself is fine


def test_errors_are_translated() -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(QuerySyntaxError) as caught:
        parse("(acme")
    assert "parenthèse" in str(caught.value)
