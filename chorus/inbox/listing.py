"""The inbox list: what a filter selects, one page of it (keyset, no OFFSET), and cheap counts.

Built to stay fast with a million messages: the page reads only ``Conversation`` (everything a
row shows is rolled up on it, plus one correlated lookup of the latest intent through the
``message_thread`` index), pages by ``(last_message_at, id)`` on the ``inbox_*`` indexes, and the
counts in the filter column stop at :data:`COUNT_CAP` and are cached for a minute.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.inbox import search
from chorus.inbox.models import Conversation, Direction, Label, Message, Status
from chorus.inbox.previews import latest_incoming_state
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


ROW_NEVER_SHOWS = (
    "channel__settings",
    "channel__encrypted_credentials",
    "channel__last_error",
    "assignee__password",
)


def with_row_details(found: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """What a row shows, in the page's one query (labels come with one prefetch)."""
    latest_intent = (
        Message.objects.filter(conversation=OuterRef("pk"), direction=Direction.INCOMING)
        .order_by("-created_at")
        .values("intent")[:1]
    )
    return (
        found.select_related("author", "assignee", "channel")
        # Not what a row never shows: the channel's settings (JSON to decode) and sealed
        # credentials, the assignee's password hash.
        .defer(*ROW_NEVER_SHOWS)
        .prefetch_related("labels")
        .annotate(intent=Subquery(latest_intent), preview_state=latest_incoming_state())
    )


# -- keyset pages ------------------------------------------------------------------------------


def encode_cursor(conversation: Conversation) -> str:
    micros = int(conversation.last_message_at.timestamp() * 1_000_000)
    return f"{micros}.{conversation.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    micros, _dot, pk = cursor.partition(".")
    if not (micros.isdigit() and pk.isdigit()):
        return None
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)


def page(found: QuerySet[Conversation], cursor: str = "") -> tuple[list[Conversation], str]:
    """One page after ``cursor`` and the cursor of the next page ("" at the end)."""
    after = decode_cursor(cursor) if cursor else None
    if after:
        at, pk = after
        found = found.filter(Q(last_message_at__lt=at) | Q(last_message_at=at, pk__lt=pk))
    rows = list(with_row_details(found)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (encode_cursor(rows[-1]) if more and rows else "")


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
