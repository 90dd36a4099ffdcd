"""What a moderation rule can test about a new message: the schema, its checks, its matchers.

A condition is a small dict stored in ``Rule.conditions``: ``{"type": "words", "words": [...],
"negate": false}``. :func:`clean_condition` is the only place that decides what a valid one looks
like; :func:`compile_condition` turns a clean one into a fast matcher. Matchers read only the
message and the :class:`Facts` loaded once per batch, so evaluating thousands of messages makes
no query of its own.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import regex
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.channels.registry import NETWORKS
from chorus.inbox.classify import INTENTS, SENTIMENTS
from chorus.inbox.models import Author, AuthorList, Kind, Label, Message, SavedReply
from chorus.workspaces.models import Membership, Workspace

log = logging.getLogger(__name__)

# A pattern that backtracks forever must not hold an ingest worker: give up on that message.
REGEX_TIMEOUT_SECONDS = 0.05
MAX_PATTERN_LENGTH = 500
MAX_WORDS = 300
# "Looks like spam" with no threshold chosen: the cut-off ingest uses for Message.spam, so a rule
# saved before spam had a score matches what it always matched.
DEFAULT_SPAM_THRESHOLD = 0.5
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


class ConditionType(StrEnum):
    WORDS = "words"
    REGEX = "regex"
    LANGUAGE = "language"
    SENTIMENT = "sentiment"
    TOXICITY = "toxicity"
    PROFANITY = "profanity"
    SPAM = "spam"
    INTENT = "intent"
    NETWORK = "network"
    KIND = "kind"
    AUTHOR_LIST = "author_list"
    FOLLOWERS_AT_LEAST = "followers_at_least"
    FOLLOWERS_AT_MOST = "followers_at_most"


CONDITION_LABELS = {
    ConditionType.WORDS: _("Text contains any of these words"),
    ConditionType.REGEX: _("Text matches a regular expression"),
    ConditionType.LANGUAGE: _("Language is"),
    ConditionType.SENTIMENT: _("Sentiment is"),
    ConditionType.TOXICITY: _("Toxicity is at least"),
    ConditionType.PROFANITY: _("Contains profanity"),
    ConditionType.SPAM: _("Looks like spam"),
    ConditionType.INTENT: _("Intent is"),
    ConditionType.NETWORK: _("Network is"),
    ConditionType.KIND: _("Message is a"),
    ConditionType.AUTHOR_LIST: _("Author is in the list"),
    ConditionType.FOLLOWERS_AT_LEAST: _("Author's followers at least"),
    ConditionType.FOLLOWERS_AT_MOST: _("Author's followers at most"),
}

SENTIMENT_LABELS = {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}
INTENT_LABELS = {
    "question": _("Question"),
    "complaint": _("Complaint"),
    "praise": _("Praise"),
    "purchase_intent": _("Purchase intent"),
    "other": _("Other"),
}
# Which "is one of" conditions choose from which closed set.
CHOICES: dict[ConditionType, Callable[[], Iterable[str]]] = {
    ConditionType.SENTIMENT: lambda: SENTIMENTS,
    ConditionType.INTENT: lambda: INTENTS,
    ConditionType.NETWORK: lambda: NETWORKS.keys(),
    ConditionType.KIND: lambda: Kind.values,
}


REF_PARTS = frozenset({"labels", "lists", "members", "saved_replies"})


@dataclass
class WorkspaceRefs:
    """The workspace's labels, lists, members, saved replies and channels, read once.

    Both checking a rule and describing it need them; rows from another workspace are simply
    absent, which is how a rule of A can never point at C's things.
    """

    labels: dict[int, Label]
    lists: dict[int, AuthorList]
    members: dict[int, Any]  # user id -> User
    saved_replies: dict[int, SavedReply]
    channel_networks: set[str]

    @classmethod
    def load(
        cls,
        workspace: Workspace,
        channel_networks: set[str] | None = None,
        parts: Collection[str] = REF_PARTS,
    ) -> WorkspaceRefs:
        """Only the ``parts`` asked for are read (the others stay empty): ingest's rules need
        one or two of them per batch, and each is a query."""
        refs = cls({}, {}, {}, {}, channel_networks or set())
        if channel_networks is None:
            refs.channel_networks = set(
                Channel.objects.of(workspace).values_list("network", flat=True).distinct()
            )
        if "labels" in parts:
            refs.labels = {x.pk: x for x in Label.objects.filter(workspace=workspace)}
        if "lists" in parts:
            refs.lists = {x.pk: x for x in AuthorList.objects.filter(workspace=workspace)}
        if "members" in parts:
            memberships = Membership.objects.filter(workspace=workspace).select_related("user")
            refs.members = {m.user_id: m.user for m in memberships}
        if "saved_replies" in parts:
            refs.saved_replies = {x.pk: x for x in SavedReply.objects.filter(workspace=workspace)}
        return refs


def normalized(text: str) -> str:
    """Lower case without accents, so "Arnaque" finds "arnaqué" and "ARNAQUE"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# -- checking ------------------------------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    if not isinstance(value, list | tuple):
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _as_number(value: Any, *, low: float, high: float | None, integer: bool) -> float | None:
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError):
        return None
    if number < low or (high is not None and number > high):
        return None
    return number


def clean_condition(raw: Any, refs: WorkspaceRefs) -> tuple[dict[str, Any], dict[str, str]]:
    """A valid condition and no errors, or errors by parameter name ("type", "words"…)."""
    if not isinstance(raw, dict) or raw.get("type") not in set(ConditionType):
        return {}, {"type": str(_("Choose what to test."))}
    kind = ConditionType(raw["type"])
    clean: dict[str, Any] = {"type": kind.value, "negate": bool(raw.get("negate"))}
    errors: dict[str, str] = {}
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(raw, clean, errors, refs)
    return clean, errors


def _check_words(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    words = _as_list(raw.get("words"))
    if not words:
        errors["words"] = str(_("Give at least one word."))
    elif len(words) > MAX_WORDS:
        errors["words"] = str(_("At most %(n)d words.") % {"n": MAX_WORDS})
    clean["words"] = words


def _check_regex(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    pattern = str(raw.get("pattern") or "").strip()
    clean["pattern"] = pattern
    if not pattern:
        errors["pattern"] = str(_("Give a regular expression."))
    elif len(pattern) > MAX_PATTERN_LENGTH:
        errors["pattern"] = str(_("At most %(n)d characters.") % {"n": MAX_PATTERN_LENGTH})
    else:
        try:
            regex.compile(pattern, regex.IGNORECASE)
        except (regex.error, ValueError, OverflowError) as exc:
            errors["pattern"] = str(_("This is not a valid regular expression: %(error)s")) % {
                "error": exc
            }


def _check_language(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    codes = [code.lower() for code in _as_list(raw.get("values"))]
    clean["values"] = codes
    if not codes:
        errors["values"] = str(_("Give at least one language code, like fr or en."))
    elif any(not LANGUAGE_CODE.match(code) for code in codes):
        errors["values"] = str(_("Use language codes like fr, en or pt-br."))


def _check_choices(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    allowed = set(CHOICES[ConditionType(clean["type"])]())
    values = _as_list(raw.get("values"))
    clean["values"] = [v for v in values if v in allowed]
    if not values:
        errors["values"] = str(_("Choose at least one."))
    elif len(clean["values"]) != len(values):
        errors["values"] = str(_("Choose among the proposed values."))


def _check_sentiment(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    _check_choices(raw, clean, errors, refs)
    given = raw.get("min_confidence")
    confidence = 0.0 if given in (None, "") else _as_number(given, low=0, high=1, integer=False)
    if confidence is None:
        errors["min_confidence"] = str(_("A number between 0 and 1."))
    clean["min_confidence"] = confidence or 0.0


def _check_toxicity(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    level = _as_number(raw.get("min"), low=0, high=1, integer=False)
    if level is None:
        errors["min"] = str(_("A number between 0 and 1."))
    clean["min"] = level or 0.0


def _check_spam(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    given = raw.get("min")
    empty = given in (None, "")
    level = DEFAULT_SPAM_THRESHOLD if empty else _as_number(given, low=0, high=1, integer=False)
    if level is None:
        errors["min"] = str(_("A number between 0 and 1."))
    clean["min"] = DEFAULT_SPAM_THRESHOLD if level is None else level


def _check_author_list(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    list_id = _as_number(raw.get("list"), low=1, high=None, integer=True)
    if list_id is None or int(list_id) not in refs.lists:
        errors["list"] = str(_("Choose one of this workspace's author lists."))
    clean["list"] = int(list_id or 0)


def _check_followers(raw: dict, clean: dict, errors: dict, refs: WorkspaceRefs) -> None:
    count = _as_number(raw.get("value"), low=0, high=None, integer=True)
    if count is None:
        errors["value"] = str(_("A whole number, 0 or more."))
    clean["value"] = int(count or 0)


_CHECKERS: dict[ConditionType, Callable[[dict, dict, dict, WorkspaceRefs], None]] = {
    ConditionType.WORDS: _check_words,
    ConditionType.REGEX: _check_regex,
    ConditionType.LANGUAGE: _check_language,
    ConditionType.SENTIMENT: _check_sentiment,
    ConditionType.TOXICITY: _check_toxicity,
    ConditionType.SPAM: _check_spam,
    ConditionType.INTENT: _check_choices,
    ConditionType.NETWORK: _check_choices,
    ConditionType.KIND: _check_choices,
    ConditionType.AUTHOR_LIST: _check_author_list,
    ConditionType.FOLLOWERS_AT_LEAST: _check_followers,
    ConditionType.FOLLOWERS_AT_MOST: _check_followers,
}


# -- matching ------------------------------------------------------------------------------


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


def spam_threshold(condition: dict[str, Any]) -> float:
    """The rule's own threshold; rules saved before there was one have none."""
    return float(condition.get("min", DEFAULT_SPAM_THRESHOLD))


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


# -- describing ------------------------------------------------------------------------------


def describe_condition(condition: dict[str, Any], refs: WorkspaceRefs) -> str:
    """One line a community manager reads on the rules list: "Sentiment is Negative"."""
    kind = ConditionType(condition["type"])
    label = str(CONDITION_LABELS[kind])
    values = condition.get("values", [])
    named = {**SENTIMENT_LABELS, **INTENT_LABELS, **dict(Kind.choices)}
    detail = {
        ConditionType.WORDS: ", ".join(f"“{w}”" for w in condition.get("words", [])),
        ConditionType.REGEX: f"/{condition.get('pattern', '')}/",
        ConditionType.TOXICITY: f"{condition.get('min', 0):.2f}",
        ConditionType.AUTHOR_LIST: str(refs.lists.get(condition.get("list", 0), "?")),
        ConditionType.FOLLOWERS_AT_LEAST: str(condition.get("value", "")),
        ConditionType.FOLLOWERS_AT_MOST: str(condition.get("value", "")),
    }.get(kind, ", ".join(str(named.get(v, v)) for v in values))
    if kind is ConditionType.SENTIMENT and condition.get("min_confidence"):
        detail += " " + str(_("(confidence ≥ %(c).2f)") % {"c": condition["min_confidence"]})
    if kind is ConditionType.SPAM:
        detail = str(_("(score ≥ %(s).2f)") % {"s": spam_threshold(condition)})
    text = f"{label} {detail}".strip()
    return str(_("NOT %(condition)s") % {"condition": text}) if condition.get("negate") else text
