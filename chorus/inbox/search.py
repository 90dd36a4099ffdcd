"""The inbox search: which conversations a query finds, and how each database finds them fast.

A conversation matches when one of its messages, its preview, or its author's handle or display
name holds the query, case aside: the database's own ``icontains`` (``UPPER(…) LIKE`` on
PostgreSQL, ``LIKE`` on SQLite, which folds ASCII letters only) decides, whatever the path.

Two paths, chosen per query, give the same results:

- *From the index*, for a query of three characters or more found in few messages and authors:
  the matching messages come from a trigram index (PostgreSQL: GIN on ``UPPER(text)``; SQLite:
  the FTS5 table ``inbox_message_search``, whose proposals are re-checked with the same LIKE),
  the matching authors from a short list, and only their conversations are read and sorted.
  The preview needs no test of its own there: it is the start of one of the conversation's
  stored messages (see ``ingest_rollup``), so a query in the preview is in that message.
- *By scanning*, as before the index: the newest conversations are read in order until a page
  is full. That is the fastest way when the query is everywhere ("merci", a brand's name), and
  the only way for a query under three characters (no trigram in it) or without the index.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from chorus.inbox.models import Author, Conversation, Message
from chorus.workspaces.models import Workspace

MIN_CHARS = 3  # trigrams: the index knows nothing shorter
# More than this and the query is common: scanning the newest conversations finds a page of
# it at once, sooner than reading and sorting all of them would. (Counting up to the cap costs
# too: on PostgreSQL, ~2 ms per 1,000 messages of a common word, so the cap stays low.)
MAX_MESSAGES = 2_000
MAX_AUTHORS = 500

# SQLite's index of message texts, made, filled and kept in step by migration 0002.
SQLITE_READY = (
    "SELECT count(*) FROM sqlite_master WHERE name IN ('inbox_message_search',"
    " 'inbox_message_search_insert', 'inbox_message_search_delete', 'inbox_message_search_update')"
)
SQLITE_PARTS = 4  # the table and its three triggers
SQLITE_MATCH = "SELECT rowid FROM inbox_message_search WHERE inbox_message_search MATCH %s"
SQLITE_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM inbox_message_search"
    " WHERE inbox_message_search MATCH %s LIMIT %s)"
)


def conversations_matching(workspace: Workspace, q: str) -> QuerySet[Conversation]:
    """The workspace's conversations that ``q`` finds (any order, unfiltered otherwise)."""
    handle = q.lstrip("@")
    # Messages first: counting a common word's stops early, and then authors need no look.
    messages = _few_messages(workspace, q) if len(q) >= MIN_CHARS else None
    authors = _few_authors(workspace, q, handle) if messages is not None else None
    if messages is None or authors is None:
        return Conversation.objects.filter(workspace=workspace).filter(_scanned(q, handle))
    by_author = _in_workspace(workspace).filter(author_id__in=authors)
    found = messages.order_by().values("conversation_id")
    found = found.union(by_author.order_by().values("pk"), all=True)
    return _in_workspace(workspace).filter(pk__in=found)


def _in_workspace(workspace: Workspace) -> QuerySet[Conversation]:
    """The workspace's conversations, the workspace stated as ``workspace_id + 0``.

    SQLite's planner, without statistics, takes the workspace indexes for narrow ones and would
    walk the whole inbox with them, checking each conversation against the few found; this
    way it starts from those. They are all the workspace's already (found through its messages
    and authors): this is the second lock on the door, not the first.
    """
    return Conversation.objects.alias(workspace_key=F("workspace_id") + 0).filter(
        workspace_key=workspace.pk
    )


def _scanned(q: str, handle: str) -> Q:
    # A message deleted on the network no longer finds its conversation: its words are gone.
    in_messages = Message.objects.filter(
        conversation=OuterRef("pk"), text__icontains=q, deleted=False
    )
    return (
        Q(preview__icontains=q)
        | Q(author__handle__icontains=handle)
        | Q(author__display_name__icontains=q)
        | Q(Exists(in_messages))
    )


def _few_authors(workspace: Workspace, q: str, handle: str) -> list[int] | None:
    """The ids of the authors ``q`` finds, or None if there are too many to list."""
    found = Author.objects.filter(workspace=workspace).filter(
        Q(handle__icontains=handle) | Q(display_name__icontains=q)
    )
    ids = list(found.order_by().values_list("pk", flat=True)[: MAX_AUTHORS + 1])
    return ids if len(ids) <= MAX_AUTHORS else None


def _few_messages(workspace: Workspace, q: str) -> QuerySet[Message] | None:
    """The messages ``q`` finds, read through the index; None if they are too many, or if
    the index is missing (SQLite without FTS5) or no longer kept up to date."""
    found = Message.objects.filter(workspace=workspace, text__icontains=q, deleted=False)
    if connection.vendor == "postgresql":
        many = found.order_by()[: MAX_MESSAGES + 1].count() > MAX_MESSAGES
        return None if many else found
    if connection.vendor != "sqlite":
        return None
    phrase = '"' + q.replace('"', '""') + '"'  # one FTS5 string: matched as a substring
    with connection.cursor() as cursor:
        # A later migration that rebuilds inbox_message drops the triggers with the old
        # table: the index would then miss new messages, so it is not used at all.
        cursor.execute(SQLITE_READY)
        if cursor.fetchone()[0] != SQLITE_PARTS:
            return None
        cursor.execute(SQLITE_COUNT, [phrase, MAX_MESSAGES + 1])
        if cursor.fetchone()[0] > MAX_MESSAGES:
            return None
    # The index folds case beyond ASCII, LIKE does not: it proposes, the LIKE decides. The
    # workspace as ``workspace_id + 0``, as in _in_workspace: given the bare column, SQLite
    # walks every message of the workspace through message_recent to meet the few proposed.
    proposed = Message.objects.alias(workspace_key=F("workspace_id") + 0)
    return proposed.filter(
        workspace_key=workspace.pk,
        text__icontains=q,
        deleted=False,
        pk__in=RawSQL(SQLITE_MATCH, [phrase]),  # noqa: S611 (constant SQL)
    )
