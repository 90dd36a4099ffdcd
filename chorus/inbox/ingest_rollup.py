"""Rolling a batch's messages up into their conversations, so inbox lists never join messages.

Counts and times come from the database (one grouped query for the whole batch), not from adding
the batch to what was stored: a late or backfilled message lands in the right place and the
figures stay true whatever order the network delivered things in. The statuses the batch moved
are written by the same UPDATE as the figures.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from chorus.channels.models import Channel
from chorus.core.bulk_sql import (
    array_type,
    as_datetime,
    one_of,
    reading_dates,
    update_many,
)
from chorus.inbox import sla
from chorus.inbox.models import Conversation, Direction, Message

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
    channel: Channel,
    connected: datetime,
    conversations: list[Conversation],
    incoming: list[Message],
    moved: dict[int, str],
) -> None:
    """Refresh the rolled-up fields of ``conversations`` of ``channel`` (``connected`` then),
    and write the statuses the batch ``moved`` (by conversation id); labels, assignee and other
    statuses untouched."""
    if not conversations:
        return
    stats = _stats([conversation.pk for conversation in conversations])
    newest = _newest_incoming(incoming)
    settings = sla.settings_for(channel.workspace)
    zone = ZoneInfo(channel.workspace.timezone)
    # A conversation without messages has nothing to roll up (and ingest did not read the
    # figures recomputed here).
    rolled = [conversation for conversation in conversations if conversation.pk in stats]
    for conversation in rolled:
        row = stats[conversation.pk]
        conversation.message_count = row["n"]
        conversation.first_message_at = row["first"]
        conversation.last_message_at = row["last"]
        _show_latest(conversation, newest.get(conversation.pk), row["last_in"])
        if conversation.first_response_at is None and row["first_out"] is not None:
            conversation.first_response_at = row["first_out"]  # answered from the network's app
        since = row["waiting"]
        conversation.waiting_since = since
        # The clock starts when Chorus could first show the message: a months-old comment brought
        # in by a new channel's backfill is not "overdue 112 days" on its first morning.
        start = max(since, connected) if since else None
        conversation.response_due_at = sla.response_due(start, settings, zone) if start else None
    statuses = [moved.get(conversation.pk) for conversation in rolled]
    update_many(Conversation, rolled, ROLLED_UP, changed={"status": statuses})


# Per conversation: counts and times, and the oldest incoming message after our latest answer
# (waiting since). The window gives each message its conversation's latest answer, so the one
# scan of the batch's conversations settles it all; a correlated sub-query per message was
# planned badly on PostgreSQL with stale statistics.
STATS = """
SELECT conversation_id, COUNT(*), MIN(created_at), MAX(created_at),
       MAX(CASE WHEN direction = %s THEN created_at END),
       MIN(CASE WHEN direction = %s THEN created_at END),
       MIN(CASE WHEN direction = %s AND (last_out IS NULL OR created_at > last_out)
           THEN created_at END)
FROM (
    SELECT conversation_id, direction, created_at,
           MAX(CASE WHEN direction = %s THEN created_at END)
               OVER (PARTITION BY conversation_id) AS last_out
    FROM {table} WHERE {where}
) AS thread
GROUP BY conversation_id
"""
# The same on PostgreSQL, one conversation at a time (LATERAL): always planned as lookups in
# message_thread, where the scan above was planned on a table not analysed yet (a new install,
# the bench) and read every message of the table for each batch.
STATS_PG = """
SELECT c.id, s.n, s.first, s.last, s.last_in, s.first_out,
       (SELECT MIN(created_at) FROM {table} AS m WHERE m.conversation_id = c.id
           AND m.direction = %s AND (s.last_out IS NULL OR m.created_at > s.last_out))
FROM unnest(%s::{ids}) AS c(id)
CROSS JOIN LATERAL (
    SELECT COUNT(*) AS n, MIN(created_at) AS first, MAX(created_at) AS last,
           MAX(CASE WHEN direction = %s THEN created_at END) AS last_in,
           MIN(CASE WHEN direction = %s THEN created_at END) AS first_out,
           MAX(CASE WHEN direction = %s THEN created_at END) AS last_out
    FROM {table} WHERE conversation_id = c.id
) AS s
WHERE s.n > 0
"""
STATS_NAMES = ("n", "first", "last", "last_in", "first_out", "waiting")


def _stats(ids: list[int]) -> dict[int, dict[str, Any]]:
    conversation: Any = Message._meta.get_field("conversation")
    table = connection.ops.quote_name(Message._meta.db_table)
    incoming, outgoing = Direction.INCOMING.value, Direction.OUTGOING.value
    params: list[Any]
    if connection.vendor == "postgresql":
        sql = STATS_PG.format(table=table, ids=array_type(conversation))
        params = [incoming, ids, incoming, outgoing, outgoing]
    else:
        where, listed = one_of(conversation.column, ids, conversation)
        sql = STATS.format(table=table, where=where)
        params = [incoming, outgoing, incoming, outgoing, listed]
    with reading_dates() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {row[0]: _figures(row[1:]) for row in rows}


def _figures(values: tuple[Any, ...]) -> dict[str, Any]:
    count, *dates = values
    return dict(zip(STATS_NAMES, [count, *map(as_datetime, dates)], strict=True))


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
    conversation.preview = (message.text or _media_preview(message))[:PREVIEW_LENGTH]
    conversation.sentiment = message.sentiment
    conversation.language = message.language
    if conversation.author_id is None:
        conversation.author_id = message.author_id


# A message with only a picture or a file has no text: the list shows what it holds instead,
# in signs any language reads, with the author's description.
MEDIA_SIGNS = {"image": "🖼", "video": "🎞", "gifv": "🎞", "audio": "🔊", "link": "🔗"}


def _media_preview(message: Message) -> str:
    parts = [
        f"{MEDIA_SIGNS.get(media.get('kind', ''), '📎')} {media.get('alt_text') or ''}".strip()
        for media in message.media
    ]
    return " ".join(parts)
