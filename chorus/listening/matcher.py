"""Matching one post against every active query of every workspace at once.

Every distinct word, phrase, hashtag and handle of every query goes into ONE Aho-Corasick
automaton (pyahocorasick): one pass over a post's text finds all of them, however many queries
there are, with a word-boundary check after each hit ("cat" is not in "category"). Domains
(``site:``) are looked up in a dict from the post's links. Only the queries that contain a term
found are then evaluated, each on the set of terms found. So the cost of a post grows with what
it contains, not with the number of queries — the reason for a matching library rather than one
regex per query (``bench/listening_match.py`` measures both).

After the words, each query's filters: its languages, its sources (none = all), "leave out our
own accounts" (the handles of the workspace's channels) and its excluded authors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ahocorasick
from django.db.models import Count, Max

from chorus.channels.models import Channel
from chorus.listening.models import ListeningQuery
from chorus.listening.query_language import (
    And,
    Not,
    Or,
    QueryNode,
    QuerySyntaxError,
    Term,
    TermKind,
    fold,
    parse,
)

_LINK_HOST = re.compile(r"https?://(?:[^\s/?#@]*@)?([^\s/?#:]+)", re.IGNORECASE)
fold_text = fold


@dataclass(frozen=True)
class PostToMatch:
    text: str
    title: str = ""
    url: str = ""
    author_handle: str = ""
    language: str = ""  # as classified ("und" or "" when unknown)
    source_id: int | None = None
    workspace_id: int | None = None  # given: only that workspace's queries are tried


@dataclass(frozen=True)
class QuerySpec:
    """What the matcher needs of one query, read once when it is built."""

    id: int
    workspace_id: int
    tree: QueryNode
    languages: frozenset[str] = frozenset()
    source_ids: frozenset[int] = frozenset()
    exclude_own_accounts: bool = True
    excluded_authors: frozenset[str] = frozenset()


def plain_handle(handle: str) -> str:
    """ "@Acme@Mastodon.social " -> "acme@mastodon.social"."""
    return fold_text(handle).strip().lstrip("@")


def excluded_handles(text: str) -> frozenset[str]:
    """The "leave out these authors" field: one handle per line (commas and spaces also do)."""
    return frozenset(plain_handle(part) for part in re.split(r"[\s,;]+", text) if part.strip("@ "))


def spec_of(query: Any) -> QuerySpec:
    """A stored ListeningQuery as the matcher reads it (its ``sources`` prefetched, ideally)."""
    return QuerySpec(
        id=query.pk,
        workspace_id=query.workspace_id,
        tree=parse(query.expression),
        languages=frozenset(code.lower() for code in query.languages or ()),
        source_ids=frozenset(source.pk for source in query.sources.all()),
        exclude_own_accounts=query.exclude_own_accounts,
        excluded_authors=excluded_handles(query.excluded_authors),
    )


Found = set[int]
Test = Callable[[Found], bool]


def _compile(node: QueryNode, term_ids: dict[Term, int]) -> Test:
    """The boolean tree as nested closures over the ids of the terms found."""
    if isinstance(node, Term):
        number = term_ids[node]
        return lambda found: number in found
    if isinstance(node, Not):
        inner = _compile(node.part, term_ids)
        return lambda found: not inner(found)
    parts = [_compile(part, term_ids) for part in node.parts]
    if len(parts) == 2:  # the usual case, without a generator per call
        first, second = parts
        if isinstance(node, And):
            return lambda found: first(found) and second(found)
        return lambda found: first(found) or second(found)
    if isinstance(node, And):
        return lambda found: all(part(found) for part in parts)
    assert isinstance(node, Or)
    return lambda found: any(part(found) for part in parts)


@dataclass
class _Hit:
    """What one automaton key stands for: the terms written that way, whole or as a prefix."""

    length: int
    whole: list[int] = field(default_factory=list)
    prefix: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Compiled:
    spec: QuerySpec
    test: Test


class Matcher:
    """Built once for a set of queries (see ``cached_matcher``); ``match`` is read-only."""

    def __init__(
        self, specs: Iterable[QuerySpec], own_handles: Mapping[int, Iterable[str]] | None = None
    ) -> None:
        self.term_ids: dict[Term, int] = {}
        self.queries: list[_Compiled] = []
        self.by_term: dict[int, list[int]] = defaultdict(list)  # term id -> query positions
        self.always: list[int] = []  # queries true with nothing found (refused by parse)
        self.own = {
            ws: {plain_handle(h) for h in handles} for ws, handles in (own_handles or {}).items()
        }
        for spec in specs:
            self._add(spec)
        self._automaton, self._sites, self._handles = self._index()

    @classmethod
    def build(
        cls, queries: Iterable[Any], own_handles: Mapping[int, Iterable[str]] | None = None
    ) -> Matcher:
        """From stored ListeningQuery rows; one whose stored text no longer parses is left out."""
        specs = []
        for query in queries:
            try:
                specs.append(spec_of(query))
            except QuerySyntaxError:
                continue
        return cls(specs, own_handles)

    def _add(self, spec: QuerySpec) -> None:
        position = len(self.queries)
        for term in _terms(spec.tree):
            number = self.term_ids.setdefault(term, len(self.term_ids))
            self.by_term[number].append(position)
        test = _compile(spec.tree, self.term_ids)
        self.queries.append(_Compiled(spec, test))
        if test(set()):
            self.always.append(position)

    def _index(self) -> tuple[Any, dict[str, int], dict[str, list[int]]]:
        automaton = ahocorasick.Automaton()
        hits: dict[str, _Hit] = {}
        sites: dict[str, int] = {}
        handles: dict[str, list[int]] = defaultdict(list)
        for term, number in self.term_ids.items():
            if term.kind == TermKind.SITE:
                sites[term.value] = number
                continue
            hit = hits.setdefault(term.value, _Hit(len(term.value)))
            (hit.prefix if term.kind == TermKind.PREFIX else hit.whole).append(number)
            if term.kind == TermKind.HANDLE:
                handles[term.value[1:]].append(number)
        for key, hit in hits.items():  # a plain tuple: unpacked fastest in the scan
            automaton.add_word(key, (hit.length, tuple(hit.whole), tuple(hit.prefix)))
        if hits:
            automaton.make_automaton()
        return (automaton if hits else None), sites, dict(handles)

    # -- matching ---------------------------------------------------------------------------

    def match(self, post: PostToMatch) -> list[int]:
        """The ids of the queries ``post`` matches (of its workspace, when it names one)."""
        found = self.terms_found(post)
        positions = set(self.always)
        for number in found:
            positions.update(self.by_term.get(number, ()))
        matched = []
        for position in positions:
            compiled = self.queries[position]
            if post.workspace_id is not None and compiled.spec.workspace_id != post.workspace_id:
                continue
            if compiled.test(found) and self._passes_filters(compiled.spec, post):
                matched.append(compiled.spec.id)
        return sorted(matched)

    def terms_found(self, post: PostToMatch) -> Found:
        text = fold_text(f"{post.title} {post.text}" if post.title else post.text)
        found: Found = set()
        if self._automaton is not None:
            _scan(self._automaton, text, found)
        if self._sites:
            found.update(self._sites_of(post, text))
        if self._handles and post.author_handle:
            handle = plain_handle(post.author_handle)
            for written in {handle, handle.split("@")[0]}:
                found.update(self._handles.get(written, ()))
        return found

    def _sites_of(self, post: PostToMatch, text: str) -> list[int]:
        hosts = {host.lower() for host in _LINK_HOST.findall(text)}
        hosts.update(host.lower() for host in _LINK_HOST.findall(post.url))
        numbers = []
        for host in hosts:
            parts = host.removeprefix("www.").rstrip(".").split(".")
            for start in range(len(parts) - 1):  # a.b.example.com is also on example.com
                number = self._sites.get(".".join(parts[start:]))
                if number is not None:
                    numbers.append(number)
        return numbers

    def _passes_filters(self, spec: QuerySpec, post: PostToMatch) -> bool:
        if spec.languages and (post.language or "").lower() not in spec.languages:
            return False
        if spec.source_ids and post.source_id not in spec.source_ids:
            return False
        if not post.author_handle or not (spec.excluded_authors or spec.exclude_own_accounts):
            return True
        handle = plain_handle(post.author_handle)
        if handle in spec.excluded_authors:
            return False
        return not (spec.exclude_own_accounts and handle in self.own.get(spec.workspace_id, ()))


def _scan(automaton: Any, text: str, found: Found) -> None:
    """Every term in ``text``, kept only where it stands as a whole word (or starts one).
    The hot loop of matching: the word-character test is written out rather than called."""
    size = len(text)
    for end, (length, whole, prefix) in automaton.iter(text):
        start = end - length + 1
        if start > 0:
            before = text[start - 1]
            if before.isalnum() or before == "_":
                continue
        if prefix:
            found.update(prefix)
        if whole:
            after = text[end + 1] if end + 1 < size else " "
            if not (after.isalnum() or after == "_"):
                found.update(whole)


def _terms(node: QueryNode) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms(node.part)
    return [term for part in node.parts for term in _terms(part)]


# -- the cache: rebuilt when a workspace's queries or channels change --------------------------

CacheKey = tuple[int, datetime | None, tuple[str, ...]]
_cache: dict[int | None, tuple[CacheKey, Matcher]] = {}


def cached_matcher(workspace_id: int | None) -> Matcher:
    """The matcher of one workspace's active queries (None: of every workspace), rebuilt when
    they change: their count and latest ``updated_at`` (a deletion changes the count, any edit
    the date) and the handles of the workspace's channels (own accounts)."""
    own = own_handles_of(workspace_id)
    key = _key(workspace_id, own)
    held = _cache.get(workspace_id)
    if held is not None and held[0] == key:
        return held[1]
    matcher = Matcher.build(_active_queries(workspace_id), own)
    _cache[workspace_id] = (key, matcher)
    return matcher


def _key(workspace_id: int | None, own: dict[int, set[str]]) -> CacheKey:
    queries = ListeningQuery.objects.all()
    if workspace_id is not None:
        queries = queries.filter(workspace_id=workspace_id)
    seen = queries.aggregate(count=Count("pk"), latest=Max("updated_at"))
    handles = tuple(sorted(f"{ws}:{h}" for ws, hs in own.items() for h in hs))
    return seen["count"], seen["latest"], handles


def _active_queries(workspace_id: int | None) -> Iterable[Any]:
    queries = ListeningQuery.objects.filter(is_active=True).prefetch_related("sources")
    if workspace_id is not None:
        queries = queries.filter(workspace_id=workspace_id)
    return queries


def own_handles_of(workspace_id: int | None) -> dict[int, set[str]]:
    """The handles of the channels of one workspace (None: of all), by workspace."""
    channels = Channel.objects.exclude(handle="")
    if workspace_id is not None:
        channels = channels.filter(workspace_id=workspace_id)
    handles: dict[int, set[str]] = defaultdict(set)
    for ws, handle in channels.values_list("workspace_id", "handle"):
        handles[ws].add(plain_handle(handle))
    return dict(handles)


def forget_cached_matchers() -> None:
    """Tests and benchmarks start from nothing."""
    _cache.clear()
