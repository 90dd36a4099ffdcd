"""Migration 0004 drops the single-column indexes of foreign keys that composite indexes already
lead with: every foreign key of messages and conversations keeps an index starting with it (for
joins, lookups and ON DELETE), and the way back puts the dropped ones back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chorus.inbox.models import Conversation, Message

BEFORE = [("inbox", "0003_author_banned_at")]
AFTER = [("inbox", "0004_fk_indexes_covered_by_composites")]
DROPPED = {
    ("inbox_conversation", "channel_id"),
    ("inbox_conversation", "workspace_id"),
    ("inbox_message", "author_id"),
    ("inbox_message", "channel_id"),
    ("inbox_message", "conversation_id"),
    ("inbox_message", "workspace_id"),
}


def indexes(table: str) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [c for c in found.values() if c["index"] or c["unique"]]


def single_column(table: str) -> set[str]:
    """Columns with a plain (not unique) index of their own."""
    return {i["columns"][0] for i in indexes(table) if len(i["columns"]) == 1 and not i["unique"]}


def migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.mark.django_db
def test_every_foreign_key_still_leads_an_index() -> None:
    for model in (Message, Conversation):
        table = model._meta.db_table
        leading = {i["columns"][0] for i in indexes(table) if i["columns"]}
        for field in model._meta.concrete_fields:
            if field.is_relation:
                assert field.column in leading, f"{table}.{field.column} has no index"


@pytest.mark.django_db
def test_the_covered_single_column_indexes_are_gone() -> None:
    for table, column in DROPPED:
        assert column not in single_column(table)


@pytest.mark.django_db(transaction=True)
def test_the_way_back_puts_them_back() -> None:
    try:
        migrate(BEFORE)
        for table, column in DROPPED:
            assert column in single_column(table)
        migrate(AFTER)
        for table, column in DROPPED:
            assert column not in single_column(table)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
