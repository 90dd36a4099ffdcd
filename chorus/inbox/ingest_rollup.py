"""Rolling a batch's messages up into their conversations, so inbox lists never join messages.

Counts and times come from the database (one grouped query for the whole batch, one more for
conversations with news after our answer), not from adding the batch to what was stored: a late or
backfilled message lands in the right place and the figures stay true whatever order the network
delivered things in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q

from chorus.channels.models import Channel
from chorus.inbox import sla
from chorus.inbox.ingest_sql import update_many
from chorus.inbox.models import Conversation, Direction, Message
from chorus.workspaces.models import Workspace

PREVIEW_LENGTH = 300
ROLLED_UP = [
    "preview",
    "sentiment",
    "language",
    "message_count",
    "first_message_at",
    "last_message_at",
    "waiting_since",
    "response_due_at",
    "first_response_at",
    "author",
]


def roll_up(
    workspace: Workspace, conversations: list[Conversation], incoming: list[Message]
) -> None:
    """Refresh the rolled-up fields of ``conversations`` (status, labels, assignee untouched)."""
    if not conversations:
        return
    ids = [conversation.pk for conversation in conversations]
    stats = _stats(ids)
    waiting = _waiting_since(stats)
    newest = _newest_incoming(incoming)
    settings = sla.settings_for(workspace)
    zone = ZoneInfo(workspace.timezone)
    connected = _connected_at({conversation.channel_id for conversation in conversations})
    for conversation in conversations:
        row = stats.get(conversation.pk)
        if row is None:
            continue
        conversation.message_count = row["n"]
        conversation.first_message_at = row["first"]
        conversation.last_message_at = row["last"]
        _show_latest(conversation, newest.get(conversation.pk), row["last_in"])
        if conversation.first_response_at is None and row["first_out"] is not None:
            conversation.first_response_at = row["first_out"]  # answered from the network's app
        since = waiting.get(conversation.pk)
        conversation.waiting_since = since
        # The clock starts when Chorus could first show the message: a months-old comment brought
        # in by a new channel's backfill is not "overdue 112 days" on its first morning.
        start = max(since, connected[conversation.channel_id]) if since else None
        conversation.response_due_at = sla.response_due(start, settings, zone) if start else None
    update_many(Conversation, conversations, ROLLED_UP)


def _connected_at(channel_ids: set[int]) -> dict[int, datetime]:
    return dict(Channel.objects.filter(pk__in=channel_ids).values_list("pk", "created_at"))


def _stats(ids: list[int]) -> dict[int, dict[str, Any]]:
    incoming, outgoing = Q(direction=Direction.INCOMING), Q(direction=Direction.OUTGOING)
    rows = (
        Message.objects.filter(conversation_id__in=ids)
        .order_by()
        .values("conversation_id")
        .annotate(
            n=Count("pk"),
            first=Min("created_at"),
            last=Max("created_at"),
            first_in=Min("created_at", filter=incoming),
            last_in=Max("created_at", filter=incoming),
            first_out=Min("created_at", filter=outgoing),
            last_out=Max("created_at", filter=outgoing),
        )
    )
    return {row["conversation_id"]: row for row in rows}


def _waiting_since(stats: dict[int, dict[str, Any]]) -> dict[int, datetime]:
    """The oldest incoming message after our latest answer, per conversation.

    Most conversations are settled by the grouped figures alone (never answered: their first
    message; nothing since our answer: not waiting). Only those with news after an answer need
    the database, in one query of index range scans (conversation, after that time): a
    correlated sub-query per message was planned badly on PostgreSQL with stale statistics and
    paid for JIT compilation on every batch.
    """
    since: dict[int, datetime] = {}
    after_answer = Q()
    for pk, row in stats.items():
        if row["first_in"] is None:
            continue  # only our own messages: nobody waits
        if row["last_out"] is None:
            since[pk] = row["first_in"]
        elif row["last_in"] > row["last_out"]:
            after_answer |= Q(conversation_id=pk, created_at__gt=row["last_out"])
    if after_answer:
        rows = (
            Message.objects.filter(after_answer, direction=Direction.INCOMING)
            .order_by()
            .values("conversation_id")
            .annotate(since=Min("created_at"))
        )
        since.update((row["conversation_id"], row["since"]) for row in rows)
    return since


def _newest_incoming(messages: list[Message]) -> dict[int, Message]:
    newest: dict[int, Message] = {}
    for message in messages:
        current = newest.get(message.conversation_id)
        if current is None or message.created_at >= current.created_at:
            newest[message.conversation_id] = message
    return newest


def _show_latest(
    conversation: Conversation, message: Message | None, last_in: datetime | None
) -> None:
    """Preview, sentiment and language follow the latest incoming message, if the batch has it."""
    if message is None or (last_in is not None and message.created_at < last_in):
        return
    conversation.preview = message.text[:PREVIEW_LENGTH]
    conversation.sentiment = message.sentiment
    conversation.language = message.language
    if conversation.author_id is None:
        conversation.author_id = message.author_id
