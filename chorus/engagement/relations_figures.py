"""How often and how warmly a person speaks of the brand, and what about: the figures of the
relations directory, of a person's page and of the top voices.

Counted over the last ``WINDOW_DAYS`` days, from the listening mentions they wrote and the inbox
messages they sent (incoming only: the team's own replies are not theirs). Each figure is one
grouped query for a whole page of people, never one query per row.

Net sentiment = (positive − negative) / (mentions + messages), from −100 % (all negative) to
+100 % (all positive); neutral or unclassified texts count in the total only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from chorus.inbox.models import Direction, Message
from chorus.listening.models import Mention
from chorus.listening.terms import terms_of
from chorus.workspaces.models import Workspace

WINDOW_DAYS = 90
TOPICS_SHOWN = 3
# The texts read for topics, per page of people: enough for a ranking, bounded for speed.
TEXTS_READ = 2000


@dataclass
class Voice:
    """What one person (or one account) said about the brand over the window."""

    mentions: int = 0
    messages: int = 0
    positive: int = 0
    negative: int = 0
    last_seen: datetime | None = None
    terms: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.mentions + self.messages

    @property
    def net_sentiment(self) -> int | None:
        """Percent, −100..+100; None when they said nothing in the window."""
        if not self.total:
            return None
        return round(100 * (self.positive - self.negative) / self.total)

    def add(self, kind: str, row: dict[str, object]) -> None:
        count = int(row["total"])  # type: ignore[call-overload]
        if kind == "mentions":
            self.mentions += count
        else:
            self.messages += count
        self.positive += int(row["positive"])  # type: ignore[call-overload]
        self.negative += int(row["negative"])  # type: ignore[call-overload]
        last = row["last"]
        if isinstance(last, datetime) and (self.last_seen is None or last > self.last_seen):
            self.last_seen = last


def window_start() -> datetime:
    return timezone.now() - timedelta(days=WINDOW_DAYS)


def recent_mentions(workspace: Workspace) -> QuerySet[Mention]:
    return Mention.objects.filter(
        workspace=workspace, published_at__gte=window_start(), is_spam=False
    )


def recent_messages(workspace: Workspace) -> QuerySet[Message]:
    return Message.objects.filter(
        workspace=workspace,
        direction=Direction.INCOMING,
        created_at__gte=window_start(),
        deleted=False,
    )


def _grouped(queryset: QuerySet, key: str, time_field: str) -> QuerySet:
    return (
        queryset.values(key)
        .annotate(
            total=Count("pk"),
            positive=Count("pk", filter=Q(sentiment="positive")),
            negative=Count("pk", filter=Q(sentiment="negative")),
            last=Max(time_field),
        )
        .order_by()
    )


def voices_of_people(workspace: Workspace, person_ids: Iterable[int]) -> dict[int, Voice]:
    """The figures and topics of each person, in four queries whatever the number of people."""
    ids = list(person_ids)
    voices: dict[int, Voice] = defaultdict(Voice)
    key = "author__person_id"
    mentions = recent_mentions(workspace).filter(author__person_id__in=ids)
    messages = recent_messages(workspace).filter(author__person_id__in=ids)
    for row in _grouped(mentions, key, "published_at"):
        voices[row[key]].add("mentions", row)
    for row in _grouped(messages, key, "created_at"):
        voices[row[key]].add("messages", row)
    texts = _texts(mentions, messages, key)
    brand = set(terms_of(workspace.name))  # the brand's own name is what they all talk about
    for person_id, person_texts in texts.items():
        voices[person_id].terms = top_terms(person_texts, leave_out=brand)
    return {person_id: voices[person_id] for person_id in ids}


def voices_of_authors(
    mentions: QuerySet[Mention], messages: QuerySet[Message], limit: int
) -> dict[int, Voice]:
    """The figures of the accounts that spoke most, by account (top voices)."""
    voices: dict[int, Voice] = defaultdict(Voice)
    for row in _grouped(mentions, "author_id", "published_at").order_by("-total")[:limit]:
        voices[row["author_id"]].add("mentions", row)
    for row in _grouped(messages, "author_id", "created_at").order_by("-total")[:limit]:
        voices[row["author_id"]].add("messages", row)
    return dict(voices)


def _texts(
    mentions: QuerySet[Mention], messages: QuerySet[Message], key: str
) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    newest_mentions = mentions.order_by("-published_at").values_list(key, "title", "text")
    for person_id, title, text in newest_mentions[:TEXTS_READ]:
        found[person_id].append(f"{title} {text}")
    newest_messages = messages.order_by("-created_at").values_list(key, "text")
    for person_id, text in newest_messages[:TEXTS_READ]:
        found[person_id].append(text)
    return found


def top_terms(
    texts: Iterable[str],
    limit: int = TOPICS_SHOWN,
    leave_out: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Their most used words (each text counts a word once, so one long post cannot lead)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(terms_of(text)) - leave_out)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [term for term, count in ranked[:limit] if count >= 1]
