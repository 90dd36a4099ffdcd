"""The inbox list: what a filter selects, one page of it (keyset, no OFFSET), and cheap counts.

Built to stay fast with a million messages: the page reads only ``Conversation`` (everything a
row shows is rolled up on it, plus one correlated lookup of the latest incoming message through
the ``message_thread`` index), pages by ``(last_message_at, id)`` on the ``inbox_*`` indexes, and
the counts in the filter column stop at :data:`COUNT_CAP` and are cached for a minute.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.inbox import search
from chorus.inbox.models import Author, Conversation, Direction, Label, Message, Status
from chorus.inbox.previews import DELETED, HIDDEN
from chorus.workspaces.models import Workspace

PAGE_SIZE = 50
COUNT_CAP = 999  # "999+" beyond: an exact count of a huge inbox helps nobody and costs a scan
COUNTS_SECONDS = 60
OPEN = (Status.NEW, Status.PENDING)
VIEWS = ("all", "mine", "unassigned")
STATUSES = ("open", "new", "pending", "resolved", "any")
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class InboxFilter:
    view: str = "all"
    status: str = "open"
    label: int | None = None
    network: str = ""
    sentiment: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> InboxFilter:
        """From ``request.GET``; anything unknown falls back to the default, never an error."""
        label = str(query.get("label", ""))
        sentiment = str(query.get("sentiment", ""))
        return cls(
            view=_one_of(query.get("view"), VIEWS),
            status=_one_of(query.get("status"), STATUSES),
            label=int(label) if label.isdigit() else None,
            network=str(query.get("network", ""))[:32],
            sentiment=sentiment if sentiment in SENTIMENTS else "",
            q=" ".join(str(query.get("q", "")).split())[:100],
        )

    def query(self, **changes: Any) -> str:
        """The query string of this filter with ``changes``, defaults left out."""
        changed = replace(self, **changes)
        defaults = InboxFilter()
        params = {
            name: value
            for name, value in vars(changed).items()
            if value not in (None, "") and value != getattr(defaults, name)
        }
        return urlencode(params)


def _one_of(value: Any, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


def conversations(workspace: Workspace, chosen: InboxFilter, user: User) -> QuerySet[Conversation]:
    """The workspace's conversations the filter selects, newest activity first."""
    if chosen.q:
        found = search.conversations_matching(workspace, chosen.q)
    else:
        found = Conversation.objects.filter(workspace=workspace)
    if chosen.view == "mine":
        found = found.filter(assignee=user)
    elif chosen.view == "unassigned":
        found = found.filter(assignee__isnull=True)
    if chosen.status == "open":
        found = found.filter(status__in=OPEN)
    elif chosen.status in Status.values:
        found = found.filter(status=chosen.status)
    if chosen.label:
        found = found.filter(labels__id=chosen.label)
    if chosen.network:
        found = found.filter(channel__network=chosen.network)
    if chosen.sentiment:
        found = found.filter(sentiment=chosen.sentiment)
    return found.order_by("-last_message_at", "-pk")


# -- one page of rows --------------------------------------------------------------------------


def _cursor(last_message_at: datetime, pk: int) -> str:
    return f"{int(last_message_at.timestamp() * 1_000_000)}.{pk}"


def encode_cursor(conversation: Conversation) -> str:
    return _cursor(conversation.last_message_at, conversation.pk)


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    micros, _dot, pk = cursor.partition(".")
    if not (micros.isdigit() and pk.isdigit()):
        return None
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)


def page(found: QuerySet[Conversation], cursor: str = "") -> tuple[list[dict[str, Any]], str]:
    """One page after ``cursor`` (rows as :func:`page_rows` reads them) and the cursor of the
    next page ("" at the end)."""
    after = decode_cursor(cursor) if cursor else None
    if after:
        at, pk = after
        found = found.filter(Q(last_message_at__lt=at) | Q(last_message_at=at, pk__lt=pk))
    rows = page_rows(found[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    last = rows[-1] if more and rows else None
    return rows, (_cursor(last["last_message_at"], last["pk"]) if last else "")


ROW_COLUMNS = (
    "pk", "kind", "preview", "status", "priority", "sentiment", "last_message_at",
    "response_due_at", "network", "author_id", "handle", "display_name", "author_remote_id",
    "assignee_id", "assignee_full_name", "assignee_email", "latest",
)  # fmt: skip


def page_rows(picked: QuerySet[Conversation]) -> list[dict[str, Any]]:
    """What the rows of ``picked`` (a page of :func:`conversations`, in its order) show, as
    dicts: the conversation's own columns, its channel's network, its author and assignee, the
    state and intent of its latest incoming message, and ``labels`` ((name, colour), by name).

    The ORM builds only the page's selection, a small statement whatever the filter; what a row
    shows is read around it by :func:`_row_statement`, written once per process. Compiling the
    same joins and correlated look-up for every page cost more CPU than running them.
    """
    try:
        picked_sql, picked_params = picked.values(page_id=F("pk")).query.sql_with_params()
    except EmptyResultSet:  # a filter that can find nothing (search without a match)
        return []
    head, tail = _row_statement()
    params = [DELETED, HIDDEN, Direction.INCOMING.value, *picked_params]
    with connection.cursor() as cursor:
        cursor.execute(head + picked_sql + tail, params)
        rows = [dict(zip(ROW_COLUMNS, found, strict=True)) for found in cursor.fetchall()]
    labels = _labels_of([row["pk"] for row in rows])
    for row in rows:
        row["last_message_at"] = _aware(row["last_message_at"])
        row["response_due_at"] = _aware(row["response_due_at"])
        row["preview_state"], _bar, row["intent"] = (row.pop("latest") or "|").partition("|")
        row["labels"] = labels.get(row["pk"], [])
    return rows


@functools.cache
def _row_statement() -> tuple[str, str]:
    """The statement around a page's selection, cut where the selection goes. Only our own table
    and column names go into it, quoted; values are parameters. The latest incoming message is
    one look-up on the ``message_thread`` index for its state and intent together ("deleted",
    "hidden" or "" then "|" then the intent)."""
    quote = connection.ops.quote_name

    def column(alias: str, model: type[Model], field: str) -> str:
        concrete: Any = model._meta.get_field(field)  # a column of its own, never a relation
        return f"{alias}.{quote(concrete.column)}"

    def table(model: type[Model], alias: str) -> str:
        return f"{quote(model._meta.db_table)} {alias}"

    talk = [column("c", Conversation, name) for name in ("id", *ROW_COLUMNS[1:8])]
    author = [column("a", Author, name) for name in ("id", "handle", "display_name", "remote_id")]
    assignee = [column("u", User, name) for name in ("id", "full_name", "email")]
    latest = (
        f"(SELECT CASE WHEN {column('m', Message, 'deleted')} THEN %s"  # noqa: S608
        f" WHEN {column('m', Message, 'hidden')} THEN %s ELSE '' END"
        f" || '|' || COALESCE({column('m', Message, 'intent')}, '') FROM {table(Message, 'm')}"
        f" WHERE {column('m', Message, 'conversation')} = {column('c', Conversation, 'id')}"
        f" AND {column('m', Message, 'direction')} = %s"
        f" ORDER BY {column('m', Message, 'created_at')} DESC LIMIT 1)"
    )
    selected = [*talk, column("ch", Channel, "network"), *author, *assignee, latest]
    head = f"SELECT {', '.join(selected)} FROM ("  # noqa: S608
    tail = (
        f") picked INNER JOIN {table(Conversation, 'c')} ON c.{quote('id')} = picked.page_id"
        f" INNER JOIN {table(Channel, 'ch')} ON {column('ch', Channel, 'id')}"
        f" = {column('c', Conversation, 'channel')}"
        f" LEFT OUTER JOIN {table(Author, 'a')} ON {column('a', Author, 'id')}"
        f" = {column('c', Conversation, 'author')}"
        f" LEFT OUTER JOIN {table(User, 'u')} ON {column('u', User, 'id')}"
        f" = {column('c', Conversation, 'assignee')}"
        f" ORDER BY {column('c', Conversation, 'last_message_at')} DESC,"
        f" {column('c', Conversation, 'id')} DESC"
    )
    return head, tail


def _labels_of(pks: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Each conversation's labels as (name, colour), by name as ``Label`` orders them: one
    statement for the page."""
    if not pks:
        return {}
    through = Conversation.labels.through
    quote = connection.ops.quote_name
    linked = quote(through._meta.get_field("conversation").column)
    label = quote(through._meta.get_field("label").column)
    statement = (
        f"SELECT t.{linked}, l.{quote('name')}, l.{quote('color')}"  # noqa: S608
        f" FROM {quote(through._meta.db_table)} t INNER JOIN {quote(Label._meta.db_table)} l"
        f" ON l.{quote('id')} = t.{label} WHERE t.{linked} IN ({', '.join(['%s'] * len(pks))})"
        f" ORDER BY l.{quote('name')}"
    )
    found: dict[int, list[tuple[str, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, pks)
        for pk, name, color in cursor.fetchall():
            found.setdefault(pk, []).append((name, color))
    return found


def _aware(value: datetime | str | None) -> datetime | None:
    """A date read by hand as the ORM reads it: SQLite gives it naive (or as text), in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
        assert value is not None
    return value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)


# -- counts for the filter column ---------------------------------------------------------------


def _capped(found: QuerySet[Conversation]) -> int:
    return found.order_by()[: COUNT_CAP + 1].count()


def _label_count(label_id: int) -> int:
    """Counted from the label's side (its index), not by scanning the workspace's conversations;
    the label is the workspace's own, so its links are too."""
    through = Conversation.labels.through.objects.filter(
        label_id=label_id, conversation__status__in=OPEN
    )
    return through.order_by()[: COUNT_CAP + 1].count()


def _version_key(workspace_id: int) -> str:
    return f"inbox-counts-v:{workspace_id}"


def change_stamp(workspace_id: int) -> str:
    """Changes when the inbox does, for an open list to poll: an action (the counts version) or
    a newer message (ingest does not touch the cache; the newest time is one index seek). A
    message that arrives late, older than the newest one, waits for the next change."""
    return _stamp(workspace_id, cache.get(_version_key(workspace_id), 0))


def _stamp(workspace_id: int, version: object) -> str:
    newest = (
        Conversation.objects.filter(workspace_id=workspace_id)
        .order_by("-last_message_at")
        .values_list("last_message_at", flat=True)
        .first()
    )
    return f"{version}-{int(newest.timestamp() * 1000) if newest else 0}"


def forget_counts(workspace_id: int) -> None:
    """Something changed in this workspace's inbox: the next page counts afresh."""
    cache.set(_version_key(workspace_id), time.time_ns(), None)


def _counts_key(workspace: Workspace, user: User, live: bool) -> str:
    return f"inbox-counts:{workspace.pk}:{user.pk}:{'live' if live else 'page'}"


def counts(workspace: Workspace, user: User, stamp: str = "") -> dict[str, Any]:
    """Cached until the next action, or with ``stamp`` (change_stamp, the live list) until the
    next message. The workspace's version and this person's counts come in one cache round trip
    (one query on the database cache); the counts carry the version they were made at."""
    version_key = _version_key(workspace.pk)
    key = _counts_key(workspace, user, live=bool(stamp))
    # With a stamp the caller has just read the version (change_stamp): not read twice.
    found = cache.get_many([key] if stamp else [version_key, key])
    version = stamp or str(found.get(version_key, 0))
    return _kept_or_fresh(found.get(key), version, key, workspace, user)


def stamp_and_counts(workspace: Workspace, user: User) -> tuple[str, dict[str, Any]]:
    """The live list's stamp and its counts, the version and the counts in one cache round trip:
    the same as change_stamp() then counts(stamp=...), one query fewer on every inbox page."""
    version_key = _version_key(workspace.pk)
    key = _counts_key(workspace, user, live=True)
    found = cache.get_many([version_key, key])
    stamp = _stamp(workspace.pk, found.get(version_key, 0))
    return stamp, _kept_or_fresh(found.get(key), stamp, key, workspace, user)


def _kept_or_fresh(
    kept: dict[str, Any] | None, version: str, key: str, workspace: Workspace, user: User
) -> dict[str, Any]:
    if kept is not None and kept.get("version") == version:
        return kept["counts"]
    fresh = _count(workspace, user)
    cache.set(key, {"version": version, "counts": fresh}, COUNTS_SECONDS)
    return fresh


def _count(workspace: Workspace, user: User) -> dict[str, Any]:
    base = Conversation.objects.filter(workspace=workspace)
    open_ = base.filter(status__in=OPEN)
    networks = sorted(set(Channel.objects.of(workspace).values_list("network", flat=True)))
    labels = list(Label.objects.filter(workspace=workspace).values("id", "name", "color")[:40])
    return {
        "views": {
            "all": _capped(open_),
            "mine": _capped(open_.filter(assignee=user)),
            "unassigned": _capped(open_.filter(assignee__isnull=True)),
        },
        "statuses": {s: _capped(base.filter(status=s)) for s in Status.values},
        "labels": [{**label, "count": _label_count(label["id"])} for label in labels],
        "networks": {n: _capped(open_.filter(channel__network=n)) for n in networks},
        "sentiments": {s: _capped(open_.filter(sentiment=s)) for s in SENTIMENTS},
    }
