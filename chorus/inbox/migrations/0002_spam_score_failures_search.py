"""Spam as a score, failed polls counted, and an index for the inbox search.

- ``Message.spam_score``: the classifier's score, so rules choose their own threshold. Rows
  stored before it get 1.0 or 0.0 from the yes/no ``spam`` (no reclassification: the texts are
  there, but classifying a million of them is not a migration's job).
- ``ChannelInbox.failures``: failed polls in a row, for the backoff and the channel's page.
- The search indexes (see ``chorus.inbox.search``), which never change what a search finds:
  PostgreSQL gets trigram GIN indexes on ``UPPER(text)`` of messages and ``UPPER(handle)``,
  ``UPPER(display_name)`` of authors, the very expressions Django's ``icontains`` compares, so
  the planner can use them for ``LIKE '%…%'``. SQLite gets an FTS5 table with the trigram
  tokenizer whose content is ``inbox_message`` itself (nothing stored twice but the index),
  kept in step by triggers; the search still checks each message it proposes with the same
  ``LIKE`` as before. Older SQLite (< 3.34, no trigram tokenizer) or a build without FTS5 gets
  no index and keeps searching by scanning. (SQLite's authors are few enough to scan.)

Beware on SQLite: a later migration that rebuilds ``inbox_message`` (Django does, to add a NOT
NULL column or alter one) drops these triggers with the old table. The search then scans
rather than miss new messages (it checks the triggers are there), and
``tests/inbox/test_search_index.py`` fails: such a migration must run ``SQLITE_SEARCH`` of this
file again.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db import migrations, models

PG_TRIGRAM = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
PG_INDEXES = [
    "CREATE INDEX IF NOT EXISTS inbox_message_text_trgm"
    " ON inbox_message USING gin (UPPER(text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS inbox_author_handle_trgm"
    " ON inbox_author USING gin (UPPER(handle) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS inbox_author_name_trgm"
    " ON inbox_author USING gin (UPPER(display_name) gin_trgm_ops)",
]
PG_DROP_INDEXES = [
    "DROP INDEX IF EXISTS inbox_message_text_trgm",
    "DROP INDEX IF EXISTS inbox_author_handle_trgm",
    "DROP INDEX IF EXISTS inbox_author_name_trgm",
]

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS inbox_message_search USING fts5("
    " text, content='inbox_message', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_search_insert AFTER INSERT ON inbox_message"
    " BEGIN INSERT INTO inbox_message_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_search_delete AFTER DELETE ON inbox_message"
    " BEGIN INSERT INTO inbox_message_search(inbox_message_search, rowid, text)"
    " VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS inbox_message_search_update AFTER UPDATE OF text"
    " ON inbox_message BEGIN"
    " INSERT INTO inbox_message_search(inbox_message_search, rowid, text)"
    " VALUES ('delete', old.id, old.text);"
    " INSERT INTO inbox_message_search(rowid, text) VALUES (new.id, new.text); END",
    # Index what is already stored.
    "INSERT INTO inbox_message_search(inbox_message_search) VALUES ('rebuild')",
]
SQLITE_DROP_SEARCH = [
    "DROP TRIGGER IF EXISTS inbox_message_search_insert",
    "DROP TRIGGER IF EXISTS inbox_message_search_delete",
    "DROP TRIGGER IF EXISTS inbox_message_search_update",
    "DROP TABLE IF EXISTS inbox_message_search",
]


def sqlite_has_trigram(cursor: Any) -> bool:
    if sqlite3.sqlite_version_info < (3, 34):
        return False
    cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
    return bool(cursor.fetchone()[0])


def install_sqlite_search(schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        if not sqlite_has_trigram(cursor):
            return  # searching keeps scanning: slower, same results
        for statement in SQLITE_SEARCH:
            cursor.execute(statement)


def add_search_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_TRIGRAM)  # needs a role allowed to (see docs/deploy.md)
        for statement in PG_INDEXES:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        install_sqlite_search(schema_editor)


def drop_search_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_DROP_INDEXES:  # the extension stays: others may use it
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP_SEARCH:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="channelinbox",
            name="failures",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="message",
            name="spam_score",
            field=models.FloatField(default=0),
        ),
        # Every row got 0.0 from the default: only the few flagged ones change.
        migrations.RunSQL(
            "UPDATE inbox_message SET spam_score = 1.0 WHERE spam",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
