"""What a moderation rule can test about a new message: the schema and its checks.

A condition is a small dict stored in ``Rule.conditions``: ``{"type": "words", "words": [...],
"negate": false}``. :func:`clean_condition` is the only place that decides what a valid one looks
like; :mod:`chorus.inbox.rules.matching` turns a clean one into a fast matcher.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import regex
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.channels.registry import NETWORKS
from chorus.classify import INTENTS, SENTIMENTS
from chorus.inbox.models import AuthorList, Kind, Label, SavedReply
from chorus.workspaces.models import Membership, Workspace

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


def spam_threshold(condition: dict[str, Any]) -> float:
    """The rule's own threshold; rules saved before there was one have none."""
    return float(condition.get("min", DEFAULT_SPAM_THRESHOLD))


# -- describing ------------------------------------------------------------------------------


def _decimal(value: Any) -> str:
    """0.60 in English, 0,60 in French: the reader's own way of writing a decimal."""
    return number_format(float(value or 0), 2)


def describe_condition(condition: dict[str, Any], refs: WorkspaceRefs) -> str:
    """One line a community manager reads on the rules list: "Sentiment is Negative"."""
    kind = ConditionType(condition["type"])
    label = str(CONDITION_LABELS[kind])
    values = condition.get("values", [])
    named = {**SENTIMENT_LABELS, **INTENT_LABELS, **dict(Kind.choices)}
    detail = {
        ConditionType.WORDS: ", ".join(f"“{w}”" for w in condition.get("words", [])),
        ConditionType.REGEX: f"/{condition.get('pattern', '')}/",
        ConditionType.TOXICITY: _decimal(condition.get("min", 0)),
        ConditionType.AUTHOR_LIST: str(refs.lists.get(condition.get("list", 0), "?")),
        ConditionType.FOLLOWERS_AT_LEAST: str(condition.get("value", "")),
        ConditionType.FOLLOWERS_AT_MOST: str(condition.get("value", "")),
    }.get(kind, ", ".join(str(named.get(v, v)) for v in values))
    if kind is ConditionType.SENTIMENT and condition.get("min_confidence"):
        detail += " " + str(
            _("(confidence ≥ %(c)s)") % {"c": _decimal(condition["min_confidence"])}
        )
    if kind is ConditionType.SPAM:
        detail = str(_("(score ≥ %(s)s)") % {"s": _decimal(spam_threshold(condition))})
    text = f"{label} {detail}".strip()
    return str(_("NOT %(condition)s") % {"condition": text}) if condition.get("negate") else text
