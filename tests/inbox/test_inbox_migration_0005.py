"""Migration 0005 adds Message.extras as one ALTER TABLE ... ADD COLUMN (no table rebuild on
SQLite, no rewrite on PostgreSQL: quick on an inbox of millions), and the way back drops it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("inbox", "0004_fk_indexes_covered_by_composites")]
AFTER = [("inbox", "0005_message_extras")]


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_extras_is_added_in_place_and_removed_on_the_way_back() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        assert "extras" not in columns("inbox_message")
        executor = MigrationExecutor(connection)
        statements = executor.loader.collect_sql(executor.migration_plan(AFTER))
        touching = [s for s in statements if "inbox_message" in s]
        assert len(touching) == 1 and "ADD COLUMN" in touching[0]
        executor.migrate(AFTER)
        assert "extras" in columns("inbox_message")
    finally:
        MigrationExecutor(connection).migrate(latest)
