"""One stamp that moves whenever anything shown on a page may have changed.

Every statement that writes Chorus's tables goes through Django's connection, whoever sends it: a
form, an ingest batch in bulk SQL, a worker marking a post published, a ``queryset.update()``
that no signal sees. A wrapper on every connection watches those statements; once the write is
committed (or at once, outside a transaction) it moves the *write stamp*, kept in the shared
cache so every web process on every machine reads the same one.

A page, or anything else derived from the database, that was worked out under stamp S is still
exact while the stamp reads S. Process-local caches key on it (``chorus/workspaces/kept.py``), so
reading the stamp (one cache read) replaces the page's queries and rendering while nothing moves.

Why the stamp moves twice around a transaction: a write inside ``atomic`` is visible to its own
connection at once but to the others only at commit. The connection that wrote moves the stamp
before its own next read (``stamp()`` checks ``pending``), and the commit moves it again, so a
page another process rendered between the two is never filed under the stamp after the commit.

Tables whose rows no page shows are not watched: the cache's own table (moving the stamp writes
it) and the workers' heartbeats, which change every few seconds while nothing happens. Sessions
are watched: a kept session (``chorus/accounts/sessions.py``) must end with its row.

Within one web request the stamp is read once (``for_this_request``): the session, the person,
their memberships and the page all key on the same reading.
"""

from __future__ import annotations

import logging
import pickle
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

STAMP_KEY = "chorus:write-stamp"
UNWATCHED_TABLES = frozenset({"chorus_cache", "core_workerheartbeat"})
# Schema changes (migrations) are not watched: they come with a restart, and their data moves
# come as INSERT and UPDATE statements.
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE")
_TABLE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


def writes_to_watched_table(sql: str) -> bool:
    """Whether a statement may change what a page shows. Errs towards yes: a needless move of
    the stamp costs one render, a missed one shows an old page."""
    head = sql.lstrip()[:12].upper()
    if head.startswith(("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA", "SET ")):
        return False
    if head.startswith("WITH"):
        return any(word in sql.upper() for word in _WRITE_WORDS)
    if not head.startswith(_WRITE_WORDS):
        return False
    table = _TABLE.match(sql)
    return table is None or table[1] not in UNWATCHED_TABLES


def move() -> str:
    """A new stamp, random so that two processes moving it at once still leave it changed."""
    fresh = secrets.token_hex(8)
    cache.set(STAMP_KEY, fresh, None)
    return fresh


def _this_thread(connection: BaseDatabaseWrapper | None) -> BaseDatabaseWrapper:
    from django.db import connection as default

    return connection if connection is not None else default


def stamp(connection: BaseDatabaseWrapper | None = None) -> str:
    """The current stamp; this connection's own uncommitted writes move it first. Without a
    working cache the stamp is new at every reading: nothing kept is ever served then."""
    try:
        return _read_or_move(_this_thread(connection))
    except Exception:  # any cache backend's failure (Redis down): pages are made afresh
        logger.warning("the write stamp could not be read: nothing kept is served", exc_info=True)
        return "unknown-" + secrets.token_hex(8)


def _read_or_move(connection: BaseDatabaseWrapper) -> str:
    if getattr(connection, "chorus_unannounced_write", False):
        # Its own writes, committed or not, are visible to this connection: pages it makes now
        # must not be filed under the stamp from before them.
        connection.chorus_unannounced_write = False  # type: ignore[attr-defined]
        return move()
    found = cache.get(STAMP_KEY)
    if found is None:
        # A cache that lost the key (restarted, flushed) must not give back an old stamp.
        cache.add(STAMP_KEY, secrets.token_hex(8), None)
        found = cache.get(STAMP_KEY)
    return str(found)


def _remember_write(connection: BaseDatabaseWrapper) -> None:
    # Never moved here, in the middle of the statement: the caller has not read its result yet
    # (an INSERT ... RETURNING on SQLite is not finished until then, and a cache write on the
    # same connection in between loses it). The connection's own next stamp() moves it, and so
    # does the end of the request or of the worker's task (``announce``).
    connection.chorus_unannounced_write = True  # type: ignore[attr-defined]
    # In a transaction, once per transaction: the commit moves it for every other process.
    if connection.in_atomic_block and not any(
        entry[1] is _move_at_commit for entry in connection.run_on_commit
    ):
        connection.on_commit(_move_at_commit)


def announce(connection: BaseDatabaseWrapper | None = None) -> None:
    """Move the stamp if this connection wrote since it last did: the end of every request and
    of every worker task calls this, so other processes learn of a write before the answer is
    sent (a kept page also lasts a minute at most, for writers that end otherwise)."""
    connection = _this_thread(connection)
    if getattr(connection, "chorus_unannounced_write", False) and not connection.in_atomic_block:
        connection.chorus_unannounced_write = False  # type: ignore[attr-defined]
        _move_at_commit()


def _move_at_commit() -> None:
    # Outside any transaction here, so a failure cannot spoil one: during the first migrations
    # the cache's table does not exist yet, and a database write must not fail for its stamp.
    try:
        move()
    except DatabaseError:
        logger.debug("write stamp not moved: the cache's table is not there yet", exc_info=True)
    except Exception:  # any cache backend's failure (Redis down): readers see no stamp either
        logger.warning("the write stamp could not be moved", exc_info=True)


def _watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if writes_to_watched_table(sql):
        _remember_write(context["connection"])
    return result


def watch(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """Installed on every connection as it opens (``CoreConfig.ready``)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def start_watching() -> None:
    connection_created.connect(watch, dispatch_uid="chorus-write-stamp")


# -- one reading per request ---------------------------------------------------------------------

_this_request: ContextVar[dict[str, str] | None] = ContextVar("chorus_write_stamp", default=None)


def for_this_request() -> str:
    """The stamp read once for the whole request; outside a request, read afresh each time."""
    scope = _this_request.get()
    if scope is None:
        return stamp()
    if "stamp" not in scope:
        scope["stamp"] = stamp()
    return scope["stamp"]


@contextmanager
def request_scope() -> Iterator[None]:
    token = _this_request.set({})
    try:
        yield
    finally:
        _this_request.reset(token)
        # Before the answer leaves: the next request, in any process, sees the new stamp.
        announce()


class RequestStampMiddleware:
    """Outermost after static files: every request reads the stamp at most once, and announces
    its writes before its answer is sent."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with request_scope():
            return self.get_response(request)


class Shelf:
    """A bounded least-recently-used store, shared by the threads of one process, for what is
    exact while the stamp stands (keys include the stamp)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._kept: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        SHELVES.append(self)

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    # Objects are kept pickled: every request gets its own copy, so a view that changes one in
    # memory (a form that fails validation) cannot change what the next request sees.
    def take(self, key: Any) -> Any:
        """A fresh copy of what is kept under ``key``, or None."""
        found = self.get(key)
        return None if found is None else pickle.loads(found)  # noqa: S301  (our own bytes)

    def keep(self, key: Any, value: Any) -> None:
        self.put(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


SHELVES: list[Shelf] = []


def forget_everything_kept() -> None:
    """Tests start each from an empty process: what was kept belongs to another database."""
    for shelf in SHELVES:
        shelf.clear()
