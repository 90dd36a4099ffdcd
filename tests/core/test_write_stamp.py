"""The write stamp (chorus/core/writes.py) moves with every committed write to a table a page
shows, whichever way the write is sent, and only then."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction

from chorus.core import writes
from chorus.inbox.models import Label
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "inbox_label" ("name") VALUES (%s)',
        'UPDATE "inbox_conversation" SET "status" = %s',
        'DELETE FROM "publishing_post" WHERE "id" = %s',
        "  insert or replace into inbox_label (name) values (?)",
        'WITH moved AS (UPDATE "inbox_message" SET "hidden" = true RETURNING 1) SELECT 1',
        'TRUNCATE "inbox_label"',
        # a kept session (chorus/accounts/sessions.py) must end with its row
        'UPDATE "django_session" SET "session_data" = %s',
    ],
)
def test_writes_to_shown_tables_are_watched(sql: str) -> None:
    assert writes.writes_to_watched_table(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "id" FROM "inbox_label"',
        'SELECT "id" FROM "publishing_posttarget" FOR UPDATE SKIP LOCKED',
        'SAVEPOINT "s1"',
        'RELEASE SAVEPOINT "s1"',
        # moving the stamp writes the cache; heartbeats change while nothing happens
        'INSERT INTO "chorus_cache" ("cache_key", "value", "expires") VALUES (%s, %s, %s)',
        'UPDATE "core_workerheartbeat" SET "beat_at" = %s',
        'CREATE TABLE "x" ("id" integer)',
    ],
)
def test_reads_and_unshown_tables_are_not(sql: str) -> None:
    assert not writes.writes_to_watched_table(sql)


def test_an_orm_save_moves_the_stamp(workspace_a: Workspace) -> None:
    before = writes.stamp()
    assert writes.stamp() == before  # reading it twice moves nothing
    Label.objects.create(workspace=workspace_a, name="Urgent")
    assert writes.stamp() != before


def test_a_queryset_update_no_signal_sees_moves_it(workspace_a: Workspace) -> None:
    Label.objects.create(workspace=workspace_a, name="Urgent")
    before = writes.stamp()
    assert Label.objects.filter(workspace=workspace_a).update(name="Later") == 1
    assert writes.stamp() != before


def test_raw_sql_moves_it(workspace_a: Workspace) -> None:
    before = writes.stamp()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workspaces_workspace SET name = %s WHERE id = %s", ["Renamed", workspace_a.pk]
        )
    assert writes.stamp() != before


def test_a_lost_stamp_never_comes_back_as_an_old_one() -> None:
    before = writes.stamp()
    cache.delete(writes.STAMP_KEY)
    assert writes.stamp() != before


@pytest.mark.database("postgresql")  # SQLite's shared in-memory test database locks the reader
@pytest.mark.django_db(transaction=True)
def test_another_connection_learns_of_a_write_at_its_commit(workspace_a: Workspace) -> None:
    """A worker thread writes in a transaction: before the commit the web thread's stamp stands
    (it cannot see the write yet); after it, the stamp has moved."""
    seen: dict[str, str] = {}
    inside = threading.Event()
    go_on = threading.Event()

    def worker() -> None:
        try:
            with transaction.atomic():
                Label.objects.create(workspace_id=workspace_a.pk, name="From the worker")
                inside.set()
                go_on.wait(10)
        finally:
            connections.close_all()

    before = writes.stamp()
    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(10)
    seen["during"] = writes.stamp()
    go_on.set()
    thread.join(10)
    assert seen["during"] == before
    assert writes.stamp() != before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_no_promise_behind(workspace_a: Workspace) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Label.objects.create(workspace=workspace_a, name="Never")
        raise RuntimeError
    assert not any(entry[1] is writes._move_at_commit for entry in connection.run_on_commit)
    # the next write, in a new transaction, still announces itself at its commit
    before = writes.stamp()
    with transaction.atomic():
        Label.objects.create(workspace=workspace_a, name="Kept")
    assert writes.stamp() != before


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_announced_at_the_end_of_its_request_or_task(
    workspace_a: Workspace,
) -> None:
    """Autocommit: the write is visible to everyone at once, and announced by the end of the
    request (RequestStampMiddleware) or of the worker's task (the Huey signal)."""
    from huey import signals

    from chorus.core.tasks import announce_the_tasks_writes

    before = writes.stamp()
    with writes.request_scope():
        assert writes.for_this_request() == before
        Label.objects.create(workspace=workspace_a, name="Written in a request")
        assert writes.for_this_request() == before  # one reading per request
    after_request = cache.get(writes.STAMP_KEY)
    assert after_request != before

    Label.objects.create(workspace=workspace_a, name="Written in a task")
    announce_the_tasks_writes(signals.SIGNAL_COMPLETE, None)
    assert cache.get(writes.STAMP_KEY) != after_request


def test_without_a_working_cache_nothing_kept_is_served(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    first, second = writes.stamp(), writes.stamp()
    assert first != second
    writes._move_at_commit()  # a write still succeeds; only the stamp is not moved
