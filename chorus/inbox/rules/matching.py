"""Matching moderation rules' conditions against new messages, fast.

:func:`compile_condition` turns a condition that ``rule_conditions.clean_condition`` accepted
into a matcher. Matchers read only the message and the :class:`Facts` loaded once per batch, so
evaluating thousands of messages makes no query of its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import regex

from chorus.channels.models import Channel
from chorus.inbox.models import Author, AuthorList, Message
from chorus.inbox.rules.conditions import (
    REGEX_TIMEOUT_SECONDS,
    ConditionType,
    normalized,
    spam_threshold,
)
from chorus.workspaces.models import Workspace

log = logging.getLogger(__name__)


@dataclass
class Facts:
    """What matchers may know beyond the message itself, loaded once for a whole batch."""

    list_members: dict[int, set[int]] = field(default_factory=dict)  # list id -> author ids
    followers: dict[int, int | None] = field(default_factory=dict)  # author id -> followers
    networks: dict[int, str] = field(default_factory=dict)  # channel id -> network key
    _texts: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        workspace: Workspace,
        messages: list[Message],
        list_ids: set[int],
        *,
        as_written: bool = False,
    ) -> Facts:
        """Three queries at most, whatever the number of messages and rules. ``as_written``:
        the messages hold their channel and author as this transaction wrote them (ingest's);
        what they hold is not read again."""
        held_channels = [held(_CHANNEL, m, workspace) for m in messages] if as_written else []
        if held_channels and None not in held_channels:
            facts = cls(networks={c.pk: c.network for c in held_channels})
        else:
            facts = cls(networks=dict(Channel.objects.of(workspace).values_list("pk", "network")))
        for list_id in list_ids:
            facts.list_members[list_id] = set()
        if list_ids:
            links = AuthorList.authors.through.objects.filter(
                authorlist_id__in=list_ids, authorlist__workspace=workspace
            ).values_list("authorlist_id", "author_id")
            for list_id, author_id in links:
                facts.list_members[list_id].add(author_id)
        if as_written:
            facts.followers = {a.pk: a.followers for a in _held_authors(workspace, messages)}
        facts.load_followers(workspace, messages)
        return facts

    def load_followers(self, workspace: Workspace, messages: list[Message]) -> None:
        author_ids = {m.author_id for m in messages if m.author_id} - self.followers.keys()
        if author_ids:
            found = Author.objects.filter(workspace=workspace, pk__in=author_ids)
            self.followers.update(found.values_list("pk", "followers"))

    def text_of(self, message: Message) -> str:
        key = id(message)
        if key not in self._texts:
            self._texts[key] = normalized(message.text)
        return self._texts[key]


_AUTHOR = Message._meta.get_field("author")
_CHANNEL = Message._meta.get_field("channel")


def held(relation: Any, message: Message, workspace: Workspace) -> Any:
    """The related row the message holds (``relation``: one of its foreign keys), if it holds
    one of ``workspace``; else None."""
    if not relation.is_cached(message):
        return None
    found = relation.get_cached_value(message)
    return found if found is not None and found.workspace_id == workspace.pk else None


def _held_authors(workspace: Workspace, messages: list[Message]) -> Iterable[Author]:
    authors = (held(_AUTHOR, m, workspace) for m in messages)
    return (author for author in authors if author is not None)


Matcher = Callable[[Message, Facts], bool]


def _words_matcher(condition: dict[str, Any]) -> Matcher:
    # One pattern for all the words; a phrase matches whatever spaces separate its words.
    words = [r"\s+".join(map(re.escape, normalized(w).split())) for w in condition["words"]]
    found = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")
    return lambda message, facts: found.search(facts.text_of(message)) is not None


def _regex_matcher(condition: dict[str, Any]) -> Matcher:
    pattern = regex.compile(condition["pattern"], regex.IGNORECASE)

    def matches(message: Message, facts: Facts) -> bool:
        try:
            return pattern.search(message.text, timeout=REGEX_TIMEOUT_SECONDS) is not None
        except TimeoutError:
            log.warning("rule pattern gave up on message %s (too slow)", message.pk)
            return False

    return matches


def _followers_matcher(condition: dict[str, Any], at_least: bool) -> Matcher:
    limit = condition["value"]

    def matches(message: Message, facts: Facts) -> bool:
        count = facts.followers.get(message.author_id) if message.author_id else None
        if count is None:
            return False  # unknown is neither many nor few
        return count >= limit if at_least else count <= limit

    return matches


def _base_matcher(condition: dict[str, Any]) -> Matcher:
    kind = ConditionType(condition["type"])
    values = set(condition.get("values", []))
    if kind is ConditionType.WORDS:
        return _words_matcher(condition)
    if kind is ConditionType.REGEX:
        return _regex_matcher(condition)
    if kind is ConditionType.FOLLOWERS_AT_LEAST or kind is ConditionType.FOLLOWERS_AT_MOST:
        return _followers_matcher(condition, kind is ConditionType.FOLLOWERS_AT_LEAST)
    if kind is ConditionType.SPAM:
        threshold = spam_threshold(condition)
        return lambda message, facts: message.spam_score >= threshold
    simple: dict[ConditionType, Matcher] = {
        ConditionType.LANGUAGE: lambda m, f: m.language.lower() in values,
        ConditionType.SENTIMENT: lambda m, f: (
            m.sentiment in values and m.confidence >= condition.get("min_confidence", 0)
        ),
        ConditionType.TOXICITY: lambda m, f: m.toxicity >= condition["min"],
        ConditionType.PROFANITY: lambda m, f: m.profanity,
        ConditionType.INTENT: lambda m, f: m.intent in values,
        ConditionType.NETWORK: lambda m, f: f.networks.get(m.channel_id) in values,
        ConditionType.KIND: lambda m, f: m.kind in values,
        ConditionType.AUTHOR_LIST: lambda m, f: (
            m.author_id in f.list_members.get(condition["list"], ())
        ),
    }
    return simple[kind]


def compile_condition(condition: dict[str, Any]) -> Matcher:
    """A matcher for a condition that :func:`clean_condition` accepted."""
    matcher = _base_matcher(condition)
    if condition.get("negate"):
        return lambda message, facts: not matcher(message, facts)
    return matcher


def compile_conditions(conditions: list[dict[str, Any]]) -> Matcher:
    """All must hold. A rule without conditions matches every new message (on purpose)."""
    matchers = [compile_condition(c) for c in conditions]
    return lambda message, facts: all(match(message, facts) for match in matchers)


def lists_used(conditions: list[dict[str, Any]]) -> set[int]:
    return {int(c["list"]) for c in conditions if c.get("type") == ConditionType.AUTHOR_LIST}
