"""Storing what the networks bring in: dedup, authors, threads, classification, rules, roll-ups.

One call stores one batch (a poll's page, a webhook's body) in one transaction and a fixed number
of queries whatever its size. Messages are unique per (channel, remote id): the batch is first
reduced to what is not stored yet, and the insert ignores conflicts on top of that, so a webhook
racing a poll never makes a duplicate nor an error. On PostgreSQL the channel row is locked for
the batch so two batches of one channel take turns (SQLite writers always do).

Status when a conversation gets news, as Zendesk and Front do it: a newer message from the other
side puts the conversation back in front of the team (resolved or pending -> new: they answered,
or came back after we closed it, and someone must look); our own answer read back from the network
(sent from the network's app) moves new -> pending, as an answer sent from Chorus does. Messages
older than what the conversation already had (a backfill) change no status.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from chorus.channels.base import InboxItem
from chorus.channels.models import Channel
from chorus.classify import Classification
from chorus.core.bulk_sql import insert_many, rows_among, values_among
from chorus.inbox import rules
from chorus.inbox.ingest_authors import clean_link, clean_text, upsert_authors
from chorus.inbox.ingest_extras import extras_of
from chorus.inbox.ingest_rollup import roll_up
from chorus.inbox.learning import classify_for
from chorus.inbox.models import Author, Conversation, Direction, Message, RuleAction, Status

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 300  # Message/Conversation.remote_id; a longer id is not one we can keep whole
SPAM_THRESHOLD = 0.5  # Message.spam is a yes/no; the classifier gives a score
PLACEHOLDER_PREFIX = "pending:"  # an answer sent from Chorus, before the network named it


@dataclass
class IngestResult:
    new_messages: int = 0  # incoming messages stored: new work for the team
    new_conversations: int = 0
    duplicates: int = 0  # already stored, or twice in the batch
    outgoing: int = 0  # our own messages read back from the network
    messages: list[Message] = field(default_factory=list)  # the new incoming ones
    rule_actions: list[RuleAction] = field(default_factory=list)

    def __add__(self, other: IngestResult) -> IngestResult:
        return IngestResult(
            self.new_messages + other.new_messages,
            self.new_conversations + other.new_conversations,
            self.duplicates + other.duplicates,
            self.outgoing + other.outgoing,
            self.messages + other.messages,
            self.rule_actions + other.rule_actions,
        )


def ingest(channel: Channel, items: Sequence[InboxItem]) -> IngestResult:
    """Store a batch of items from ``channel``; what is already stored is skipped, not an error."""
    unique = _unique(items)
    result = IngestResult(duplicates=len(items) - len(unique))
    # Classified before the write transaction: on SQLite it holds the one write lock of the
    # whole site, and classifying is the slow part. A racing batch may make some of this wasted
    # work; the check inside the transaction is the one that decides.
    candidates = _not_stored(channel, unique)
    classified = _classify(channel, candidates)
    now = timezone.now()
    with transaction.atomic():
        connected = _take_turn(channel)
        fresh = _match_own_answers(channel, _not_stored(channel, candidates))
        result.duplicates += len(unique) - len(fresh)
        if not fresh:
            return result
        theirs = [item for item in fresh if not is_own(channel, item)]
        authors = upsert_authors(channel, theirs, now)
        conversations, created = _upsert_conversations(channel, fresh, authors)
        moved = _move_statuses(conversations, fresh, channel)
        stored = _store(channel, fresh, conversations, authors, now, classified)
        incoming = [m for m in stored if m.direction == Direction.INCOMING]
        # Rolled up (moved statuses with it) before the rules: a rule that resolves or assigns
        # has the last word.
        roll_up(channel, connected, list(conversations.values()), incoming, moved)
        result.rule_actions = _apply_rules(channel, incoming)
    result.new_messages, result.outgoing = len(incoming), len(stored) - len(incoming)
    result.new_conversations, result.messages = created, incoming
    return result


def _classify(channel: Channel, items: list[InboxItem]) -> dict[str, Classification]:
    """What the classifier (with the workspace's corrections) says of their messages, by id."""
    theirs = [item for item in items if not is_own(channel, item)]
    found = classify_for(channel.workspace_id, [clean_text(item.text) for item in theirs])
    return {
        item.remote_id: classification for item, classification in zip(theirs, found, strict=True)
    }


def is_own(channel: Channel, item: InboxItem) -> bool:
    """Written by the channel's own account: our answers come back in polls."""
    if item.author.remote_id and item.author.remote_id == channel.remote_id:
        return True
    return bool(channel.handle) and _plain_handle(item.author.handle) == _plain_handle(
        channel.handle
    )


def _plain_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def _unique(items: Iterable[InboxItem]) -> list[InboxItem]:
    """One item per remote id (the first), without ids too long to store whole."""
    seen: dict[str, InboxItem] = {}
    for item in items:
        if not item.remote_id or len(item.remote_id) > MAX_ID_LENGTH:
            log.warning("inbox item with an unusable id skipped")
            continue
        if not item.conversation_id or len(item.conversation_id) > MAX_ID_LENGTH:
            item = _own_thread(item)
        seen.setdefault(item.remote_id, item)
    return list(seen.values())


def _own_thread(item: InboxItem) -> InboxItem:
    return replace(item, conversation_id=item.remote_id)


def _take_turn(channel: Channel) -> datetime:
    """Wait for this channel's other batches; when the channel was connected (the SLA clock of
    a backfilled message starts there), read with it rather than trusted from the instance."""
    # NO KEY UPDATE: serialises batches of this channel without blocking inserts that only
    # reference it (posts, other tables' foreign keys). A no-op on SQLite, which has one writer.
    rows = Channel.objects.select_for_update(no_key=True).filter(pk=channel.pk)
    return rows.values_list("created_at", flat=True).get()


def _not_stored(channel: Channel, items: list[InboxItem]) -> list[InboxItem]:
    ids = [item.remote_id for item in items]
    stored = values_among(Message, "remote_id", {"channel": channel.pk}, ids)
    return [item for item in items if item.remote_id not in stored]


def _match_own_answers(channel: Channel, items: list[InboxItem]) -> list[InboxItem]:
    """An answer sent from Chorus is stored at once under a placeholder id; when a poll brings
    it back, the stored message takes the network's id instead of a second copy being made."""
    ours = {item.remote_id: item for item in items if is_own(channel, item)}
    if not ours:
        return items
    waiting = Message.objects.filter(
        channel=channel,
        direction=Direction.OUTGOING,
        remote_id__startswith=PLACEHOLDER_PREFIX,
        reply_target__remote_id__in=list(ours),
    ).values_list("pk", "reply_target__remote_id")
    matched = set()
    for pk, remote_id in waiting:
        Message.objects.filter(pk=pk).update(
            remote_id=remote_id, url=clean_link(ours[remote_id].url)
        )
        matched.add(remote_id)
    return [item for item in items if item.remote_id not in matched]


# -- conversations -------------------------------------------------------------------------------


def _upsert_conversations(
    channel: Channel, items: list[InboxItem], authors: dict[str, Author]
) -> tuple[dict[str, Conversation], int]:
    threads: dict[str, list[InboxItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: i.created_at):
        threads[item.conversation_id].append(item)
    found = _conversations(channel, list(threads))
    missing = [
        _new_conversation(channel, remote_id, thread, authors)
        for remote_id, thread in threads.items()
        if remote_id not in found
    ]
    made = insert_many(Conversation, missing, skip_existing=True, returning="remote_id")
    for conversation in missing:
        conversation.pk = made.get(conversation.remote_id)
    found |= {c.remote_id: c for c in missing if c.pk is not None}
    if len(made) < len(missing):  # another writer made some first: theirs are the ones
        found |= _conversations(channel, [c.remote_id for c in missing if c.pk is None])
    for conversation in found.values():
        conversation.channel = channel  # saves a query per conversation in rules and roll-ups
    return found, len(made)


# What the roll-up recomputes from the messages anyway: not read, as loading dates costs more
# than the query itself.
RECOMPUTED = ("first_message_at", "waiting_since", "response_due_at")


def _conversations(channel: Channel, keys: list[str]) -> dict[str, Conversation]:
    found = rows_among(Conversation, RECOMPUTED, {"channel": channel.pk}, "remote_id", keys)
    return {c.remote_id: c for c in found}


def _new_conversation(
    channel: Channel, remote_id: str, thread: list[InboxItem], authors: dict[str, Author]
) -> Conversation:
    first = thread[0]
    starter = next((i for i in thread if not is_own(channel, i)), None)
    author = authors.get(_author_key(starter)) if starter else None
    values = {
        "workspace_id": channel.workspace_id,
        "channel_id": channel.pk,
        "remote_id": remote_id,
        "kind": first.kind if first.kind in KINDS else "comment",
        "author_id": author.pk if author else None,
        "status": Status.NEW if starter else Status.PENDING,
        "first_message_at": first.created_at,
        "last_message_at": first.created_at,
    }
    return _NEW_CONVERSATION(values, channel, author)


KINDS = {"comment", "reply", "mention", "direct"}


def _author_key(item: InboxItem) -> str:
    return item.author.remote_id or item.author.handle


def _move_statuses(
    conversations: dict[str, Conversation], items: list[InboxItem], channel: Channel
) -> dict[int, str]:
    """The statuses news moves, by conversation id; set here, written by the roll-up."""
    newest: dict[str, InboxItem] = {}
    for item in items:
        current = newest.get(item.conversation_id)
        if current is None or item.created_at >= current.created_at:
            newest[item.conversation_id] = item
    moved: dict[int, str] = {}
    for remote_id, item in newest.items():
        conversation = conversations[remote_id]
        if item.created_at <= conversation.last_message_at and conversation.message_count:
            continue  # older than what we had: a backfill, not news
        ours = is_own(channel, item)
        if not ours and conversation.status != Status.NEW:
            moved[conversation.pk] = conversation.status = Status.NEW.value
        elif ours and conversation.status == Status.NEW:
            moved[conversation.pk] = conversation.status = Status.PENDING.value
    return moved


# -- messages ------------------------------------------------------------------------------------


def _store(
    channel: Channel,
    items: list[InboxItem],
    conversations: dict[str, Conversation],
    authors: dict[str, Author],
    now: datetime,
    classified: dict[str, Classification],
) -> list[Message]:
    """Theirs and ours in one insert; what the classifier said goes on theirs."""
    messages = [
        _message(channel, item, conversations, authors, now)
        for item in sorted(items, key=lambda i: (i.created_at, i.remote_id))
    ]
    for message in messages:
        if message.direction == Direction.INCOMING:
            _classified(message, classified[message.remote_id])
    if not messages:
        return []
    # Only rows this insert made count: one another writer slipped in between our check and our
    # insert (ignored by the insert) is not counted, nor ruled, twice.
    ids = insert_many(Message, messages, skip_existing=True, returning="remote_id")
    for message in messages:
        message.pk = ids.get(message.remote_id)
    return [message for message in messages if message.pk is not None]


def _message(
    channel: Channel,
    item: InboxItem,
    conversations: dict[str, Conversation],
    authors: dict[str, Author],
    now: datetime,
) -> Message:
    own = is_own(channel, item)
    conversation = conversations[item.conversation_id]
    author = None if own else authors.get(_author_key(item))
    values = {
        "workspace_id": channel.workspace_id,
        "conversation_id": conversation.pk,
        "channel_id": channel.pk,
        "remote_id": item.remote_id,
        "direction": Direction.OUTGOING if own else Direction.INCOMING,
        "kind": item.kind if item.kind in KINDS else "comment",
        "author_id": author.pk if author else None,
        "text": clean_text(item.text),
        "url": clean_link(item.url),
        "in_reply_to": item.in_reply_to[:MAX_ID_LENGTH],
        "extras": extras_of(item),
        "hidden": item.hidden,
        "created_at": item.created_at,
        "received_at": now,
    }
    message: Message = _NEW_MESSAGE(values, conversation, channel, author)
    return message


class _Maker:
    """Builds instances from positional values, the ORM's fast path (a third of the keyword
    path's cost); the related instances go in the relation caches, so rules and roll-ups
    reading them make no query. Fields with a callable default (dates) must be given."""

    def __init__(self, model: type[Model], related: tuple[str, ...]) -> None:
        fields = model._meta.concrete_fields
        self.model, self.names = model, [field.attname for field in fields]
        self.defaults = {
            f.attname: None if f.has_default() and callable(f.default) else f.get_default()
            for f in fields
        }
        self.related: list[Any] = [model._meta.get_field(name) for name in related]

    def __call__(self, values: dict[str, Any], *related: Model | None) -> Any:
        given = {**self.defaults, **values}
        made = self.model(*[given[name] for name in self.names])
        for relation, instance in zip(self.related, related, strict=True):
            relation.set_cached_value(made, instance)
        return made


_NEW_MESSAGE = _Maker(Message, ("conversation", "channel", "author"))
_NEW_CONVERSATION = _Maker(Conversation, ("channel", "author"))


def _classified(message: Message, classification: Classification) -> None:
    message.language = classification.language[:8]
    message.sentiment = classification.sentiment
    message.confidence = classification.confidence
    message.toxicity = classification.toxicity
    message.profanity = classification.profanity
    message.spam = classification.spam >= SPAM_THRESHOLD
    message.spam_score = classification.spam
    message.intent = classification.intent


def _apply_rules(channel: Channel, messages: list[Message]) -> list[RuleAction]:
    """A broken rule must not lose the messages: they stay stored, the failure is logged."""
    if not messages:
        return []
    try:
        with transaction.atomic():
            # The messages hold their conversation, author and channel as just written.
            return rules.apply_rules(channel.workspace, messages, as_written=True)
    except Exception:
        log.exception("rules failed on a batch of channel %s; messages kept", channel.pk)
        return []
