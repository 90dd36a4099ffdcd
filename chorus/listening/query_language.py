"""The listening query language: what a person types to say what the brand wants to hear about.

    (acme OR "acme coffee") -job        words, exact phrases, NOT as a leading minus
    (#acmecoffee OR @acme) AND refund   hashtags, handles, grouping
    acme NOT site:acme.com              links to (or posts on) a domain
    barist*                             a word and what continues it (barista, baristas)

Terms side by side must all be there (an implicit AND, which binds tighter than OR:
``a OR b -c`` is ``a OR (b AND NOT c)``). AND, OR and NOT are written in capitals
(a lowercase "or" is a word to look for). Matching ignores case and accents ("cafe" finds
"Café"). ``parse`` turns the text into a small typed tree (``QueryNode``) the matcher compiles,
or raises ``QuerySyntaxError`` with a message for a person and the column where it went wrong.
The grammar is lark's (LALR): a well-kept parser rather than one of our own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

MAX_LENGTH = 2000  # characters of a query
MAX_TERMS = 100  # words, phrases, hashtags, handles and domains of one query
MAX_DEPTH = 10  # nested parentheses and NOTs
MAX_PHRASE_WORDS = 12

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*
?and_expr: not_expr (_AND? not_expr)*
?not_expr: _NOT not_expr -> negation
         | _MINUS atom -> negation
         | atom
?atom: term
     | "(" or_expr ")"
term: PHRASE | HASHTAG | HANDLE | SITE | WORD

_OR: "OR"
_AND: "AND"
_NOT: "NOT"
_MINUS: "-"
PHRASE: /"[^"]*"/
SITE.3: /site:[^\s()"]*/i
HASHTAG.2: /#[^\s()"#@]+/
HANDLE.2: /@[^\s()"]+/
WORD: /[^\s()"\-#@][^\s()"]*/
%ignore /\s+/
"""


class TermKind(StrEnum):
    WORD = "word"
    PREFIX = "prefix"  # a word ending in *: the word and what continues it
    PHRASE = "phrase"
    HASHTAG = "hashtag"
    HANDLE = "handle"
    SITE = "site"


@dataclass(frozen=True)
class Term:
    kind: TermKind
    value: str  # normalised: lowercase, no accents; a hashtag keeps its #, a handle its @

    def __str__(self) -> str:
        if self.kind == TermKind.PHRASE:
            return f'"{self.value}"'
        if self.kind == TermKind.SITE:
            return f"site:{self.value}"
        return f"{self.value}*" if self.kind == TermKind.PREFIX else self.value


@dataclass(frozen=True)
class And:
    parts: tuple[QueryNode, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[QueryNode, ...]


@dataclass(frozen=True)
class Not:
    part: QueryNode


QueryNode = Term | And | Or | Not


class QuerySyntaxError(ValueError):
    """A query that cannot be read. ``column`` counts from 1, as an editor shows it."""

    def __init__(self, message: str, column: int = 0) -> None:
        self.message, self.column = message, column
        super().__init__(self.display())

    def display(self) -> str:
        if not self.column:
            return self.message
        return _("%(message)s (at character %(column)d)") % {
            "message": self.message,
            "column": self.column,
        }


# -- normalising: the one way text and terms are compared -------------------------------------


_ACCENTS = re.compile(r"[\u0300-\u036f]+")  # combining marks, once NFKD has split them off


def fold(text: str) -> str:
    """Lowercase without accents ("Café" -> "cafe"), whitespace runs as one space: the one form
    both the query's terms and the posts' text are compared in. Most posts are plain ASCII:
    they skip the Unicode work."""
    if text.isascii():
        text = text.lower()
    else:
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return " ".join(text.split())


_EDGE_PUNCTUATION = re.compile(r"^[^\w*]+|[^\w*]+$")


# -- parsing ------------------------------------------------------------------------------------


@functools.cache
def _parser() -> Lark:
    # The basic lexer: AND / OR / NOT are keywords wherever they stand, so "OR acme" is an
    # error rather than a search for the word "or".
    return Lark(GRAMMAR, parser="lalr", lexer="basic", maybe_placeholders=False)


def parse(text: str) -> QueryNode:
    """The tree of ``text``, or ``QuerySyntaxError`` saying what is wrong and where."""
    if not text or not text.strip():
        raise QuerySyntaxError(_("Write at least one word, phrase, #hashtag or @handle."))
    if len(text) > MAX_LENGTH:
        message = _("A query is at most %(count)d characters long.") % {"count": MAX_LENGTH}
        raise QuerySyntaxError(message, MAX_LENGTH + 1)
    _check_quotes_and_parentheses(text)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _explained(error, text) from None
    try:
        node: QueryNode = _Build().transform(tree)
    except VisitError as error:  # a term refused while building: its own message and column
        if isinstance(error.orig_exc, QuerySyntaxError):
            raise error.orig_exc from None
        raise
    _check_limits(node)
    if matches_nothing_found(node):
        raise QuerySyntaxError(
            _("Say what to look for, not only what to leave out: e.g. acme -job.")
        )
    return node


def _check_quotes_and_parentheses(text: str) -> None:
    """The two mistakes people make most, told plainly before the parser tells them vaguely."""
    if text.count('"') % 2:
        column = text.rfind('"') + 1
        raise QuerySyntaxError(_("This quote is never closed."), column)
    depth, inside_quotes = 0, False
    for index, char in enumerate(text):
        if char == '"':
            inside_quotes = not inside_quotes
        elif inside_quotes:
            continue
        elif char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                message = _("Parentheses nest at most %(count)d deep.") % {"count": MAX_DEPTH}
                raise QuerySyntaxError(message, index + 1)
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QuerySyntaxError(_("This parenthesis closes nothing."), index + 1)
    if depth > 0:
        column = _last_unclosed(text) + 1
        raise QuerySyntaxError(_("This parenthesis is never closed."), column)


def _last_unclosed(text: str) -> int:
    opened: list[int] = []
    inside_quotes = False
    for index, char in enumerate(text):
        if char == '"':
            inside_quotes = not inside_quotes
        elif not inside_quotes and char == "(":
            opened.append(index)
        elif not inside_quotes and char == ")" and opened:
            opened.pop()
    return opened[-1] if opened else 0


def _explained(error: UnexpectedInput, text: str) -> QuerySyntaxError:
    column = getattr(error, "column", 0) or 0
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return QuerySyntaxError(
            _("The query stops too early: something should follow AND, OR, NOT or -."),
            len(text.rstrip()),
        )
    if isinstance(error, UnexpectedToken):
        said = str(error.token)
        if said in {"AND", "OR"}:
            message = _("%(word)s needs a term on each side.") % {"word": said}
        elif said == ")":
            message = _("Empty parentheses: put a term inside.")
        else:
            message = _("“%(text)s” cannot come here.") % {"text": said}
        return QuerySyntaxError(message, column)
    if isinstance(error, UnexpectedCharacters):
        if text[column - 1 : column] in {"#", "@"}:
            return QuerySyntaxError(_("A # or @ must be followed by a name."), column)
        return QuerySyntaxError(_("This character cannot come here."), column)
    return QuerySyntaxError(_("This query cannot be read."), column)


@v_args(inline=True)
class _Build(Transformer[Token, QueryNode]):
    """lark's tree to ours, terms normalised on the way."""

    def or_expr(self, *parts: QueryNode) -> QueryNode:
        return Or(tuple(parts))

    def and_expr(self, *parts: QueryNode) -> QueryNode:
        return And(tuple(parts))

    def negation(self, part: QueryNode) -> QueryNode:
        return Not(part)

    def term(self, token: Token) -> Term:
        return make_term(token.type, str(token), token.column or 0)


def make_term(kind: str, raw: str, column: int) -> Term:
    if kind == "PHRASE":
        return _phrase(raw, column)
    if kind == "SITE":
        return _site(raw, column)
    if kind in {"HASHTAG", "HANDLE"}:
        value = fold(_EDGE_PUNCTUATION.sub("", raw[1:]).rstrip("*"))
        if not value:
            raise QuerySyntaxError(_("A # or @ must be followed by a name."), column)
        term_kind = TermKind.HASHTAG if kind == "HASHTAG" else TermKind.HANDLE
        return Term(term_kind, raw[0] + value)
    return _word(raw, column)


def _word(raw: str, column: int) -> Term:
    value = fold(_EDGE_PUNCTUATION.sub("", raw))
    prefix = value.endswith("*")
    value = value.rstrip("*")
    if not value or not any(char.isalnum() for char in value) or "*" in value:
        raise QuerySyntaxError(_("“%(text)s” is not a word to look for.") % {"text": raw}, column)
    if prefix and len(value) < 3:
        message = _("Put at least 3 letters before a *.")
        raise QuerySyntaxError(message, column)
    return Term(TermKind.PREFIX if prefix else TermKind.WORD, value)


def _phrase(raw: str, column: int) -> Term:
    value = fold(raw[1:-1])
    if not any(char.isalnum() for char in value):
        raise QuerySyntaxError(_("This phrase is empty."), column)
    if len(value.split()) > MAX_PHRASE_WORDS:
        message = _("A phrase has at most %(count)d words.") % {"count": MAX_PHRASE_WORDS}
        raise QuerySyntaxError(message, column)
    return Term(TermKind.PHRASE, value)


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _site(raw: str, column: int) -> Term:
    value = raw[len("site:") :].strip().lower().rstrip("/")
    value = value.removeprefix("https://").removeprefix("http://").removeprefix("www.")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        value = ""
    if not _DOMAIN.match(value):
        message = _("site: needs a domain, e.g. site:example.com.")
        raise QuerySyntaxError(message, column)
    return Term(TermKind.SITE, value)


# -- what a tree says -------------------------------------------------------------------------


def terms_of(node: QueryNode) -> set[Term]:
    if isinstance(node, Term):
        return {node}
    if isinstance(node, Not):
        return terms_of(node.part)
    return set().union(*(terms_of(part) for part in node.parts))


def depth_of(node: QueryNode) -> int:
    if isinstance(node, Term):
        return 0
    if isinstance(node, Not):
        return 1 + depth_of(node.part)
    return 1 + max(depth_of(part) for part in node.parts)


def evaluate(node: QueryNode, found: frozenset[Term] | set[Term]) -> bool:
    """Does a post in which exactly ``found`` were found match?"""
    if isinstance(node, Term):
        return node in found
    if isinstance(node, Not):
        return not evaluate(node.part, found)
    if isinstance(node, And):
        return all(evaluate(part, found) for part in node.parts)
    return any(evaluate(part, found) for part in node.parts)


def matches_nothing_found(node: QueryNode) -> bool:
    """True for a query that matches a post containing none of its terms ("NOT job"): it would
    match the whole firehose."""
    return evaluate(node, frozenset())


def _check_limits(node: QueryNode) -> None:
    if len(terms_of(node)) > MAX_TERMS:
        message = _("A query has at most %(count)d terms: split it in two.") % {"count": MAX_TERMS}
        raise QuerySyntaxError(message)
    if depth_of(node) > 2 * MAX_DEPTH:
        message = _("This query nests too deep: at most %(count)d levels.") % {"count": MAX_DEPTH}
        raise QuerySyntaxError(message)
