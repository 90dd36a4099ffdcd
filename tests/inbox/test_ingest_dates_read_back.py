"""Dates ingest reads back through its own cursors (psycopg's C loader on PostgreSQL, not the
Python one Django registers) are aware UTC datetimes, the very instants stored; the loader is
changed on those cursors only."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from chorus.channels.base import Author, InboxItem
from chorus.core.bulk_sql import reading_dates, rows_among
from chorus.inbox.ingest import RECOMPUTED, ingest
from chorus.inbox.ingest_rollup import _stats
from chorus.inbox.models import Conversation
from tests.inbox.ingest_support import ME, item, make_channel

PARIS = ZoneInfo("Europe/Paris")
# Summer time, a leap day, microseconds: what a lossy or zone-confused reader would get wrong.
SENT = datetime(2028, 2, 29, 23, 59, 59, 999999, tzinfo=PARIS)
ANSWERED = datetime(2028, 7, 1, 1, 30, 0, 123, tzinfo=PARIS)


def at(remote_id: str, when: datetime, author: Author | None = None) -> InboxItem:
    return replace(item(remote_id, author=author), created_at=when)


def assert_utc(value: datetime | None, expected: datetime) -> None:
    assert value is not None and value.tzinfo is not None
    assert value.utcoffset() == timedelta(0)
    assert value == expected


def test_rolled_up_dates_are_the_instants_stored(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [at("m1", SENT), at("r1", ANSWERED, author=ME)])

    conversation = Conversation.objects.get(channel=channel)
    [row] = _stats([conversation.pk]).values()
    assert_utc(row["first"], SENT)
    assert_utc(row["last"], ANSWERED)
    assert_utc(row["first_out"], ANSWERED)
    assert (conversation.first_message_at, conversation.last_message_at) == (SENT, ANSWERED)
    assert conversation.first_response_at == ANSWERED


def test_conversations_read_by_ingest_match_the_orm(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [at("m1", SENT), at("r1", ANSWERED, author=ME)])
    stored = Conversation.objects.get(channel=channel)

    [read] = rows_among(
        Conversation, RECOMPUTED, {"channel": channel.pk}, "remote_id", ["thread-1"]
    )

    assert read.pk == stored.pk
    assert_utc(read.last_message_at, stored.last_message_at)
    assert_utc(read.first_response_at, ANSWERED)
    assert set(RECOMPUTED) <= read.get_deferred_fields()


@pytest.mark.database("postgresql")  # the loaders are psycopg's
@pytest.mark.django_db
def test_the_fast_loader_stays_on_ingest_cursors() -> None:
    from psycopg import adapters
    from psycopg.pq import Format

    oid = adapters.types["timestamptz"].oid
    with reading_dates() as cursor:
        fast = cursor.cursor.adapters.get_loader(oid, Format.TEXT)
    with connection.cursor() as cursor:
        django = cursor.cursor.adapters.get_loader(oid, Format.TEXT)
    assert fast is adapters.get_loader(oid, Format.TEXT)
    assert django is not fast  # Django's own, as it registered it
