"""``bench/ingest.py --inbox-page``: a big inbox filled fast, then the inbox list timed.

Rows go in with plain executemany INSERTs (no model instances: a million of them would take
longer than the database does). A second, smaller workspace shares the tables, so the page's
workspace filter has something to skip.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

CHUNK = 20_000
STATUSES = ["new"] * 20 + ["pending"] * 15 + ["resolved"] * 65
SENTIMENTS = ["negative", "neutral", "neutral", "positive"]


def fill_rows(model: Any, rows: Iterator[dict[str, Any]]) -> int:
    """INSERT every row (a dict of attnames; the rest take the field's default)."""
    from django.db import connection, models

    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    dates = {f.attname for f in fields if isinstance(f, models.DateTimeField)}
    adapt = connection.ops.adapt_datetimefield_value
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    names = [f.attname for f in fields]
    count, chunk = 0, []
    for row in rows:
        values = {**defaults, **row}
        chunk.append([adapt(values[n]) if n in dates else values[n] for n in names])
        if len(chunk) >= CHUNK:
            count += _flush(sql, chunk)
    return count + _flush(sql, chunk)


def _flush(sql: str, chunk: list[list[Any]]) -> int:
    from django.db import connection, transaction

    if not chunk:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, chunk)
    done = len(chunk)
    chunk.clear()
    return done


def fill_workspace(slug: str, messages: int, rng: random.Random) -> tuple[Any, Any]:
    from chorus.accounts.models import User
    from chorus.channels.models import Channel
    from chorus.inbox.models import Author, Conversation, Label, Message
    from chorus.workspaces.models import Membership, Role, Workspace

    workspace = Workspace.objects.create(name=slug, slug=slug, timezone="Europe/Paris")
    team = [
        User.objects.create_user(email=f"{slug}-{n}@bench.example", password="bench-only-pw")
        for n in range(4)
    ]
    for n, user in enumerate(team):
        role = Role.OWNER if n == 0 else Role.EDITOR
        Membership.objects.create(workspace=workspace, user=user, role=role)
    channels = [
        Channel.objects.create(
            workspace=workspace, network=net, name=net, remote_id=f"{slug}-{net}", handle=net
        )
        for net in ("mastodon", "bluesky", "matrix", "mastodon")[:3]
    ]
    labels = [Label.objects.create(workspace=workspace, name=f"Label {n}") for n in range(8)]
    threads, people = max(1, messages // 5), max(1, messages // 20)
    now = datetime.now(tz=UTC)
    fill_rows(Author, _authors(workspace.pk, people, now))
    author_ids = list(Author.objects.filter(workspace=workspace).values_list("pk", flat=True))
    fill_rows(
        Conversation,
        _conversations(workspace.pk, channels, team, author_ids, threads, now, rng),
    )
    conversations = list(
        Conversation.objects.filter(workspace=workspace).values_list("pk", "channel_id")
    )
    fill_rows(Message, _messages(workspace.pk, conversations, author_ids, messages, now, rng))
    _label_some(conversations, labels, rng)
    return workspace, team[0]


def _authors(workspace_id: int, count: int, now: datetime) -> Iterator[dict[str, Any]]:
    for n in range(count):
        yield {
            "workspace_id": workspace_id,
            "network": "mastodon",
            "remote_id": f"p{n}",
            "handle": f"person{n}",
            "display_name": f"Person {n}",
            "first_seen_at": now,
            "last_seen_at": now,
        }


def _conversations(
    workspace_id: int,
    channels: list[Any],
    team: list[Any],
    author_ids: list[int],
    count: int,
    now: datetime,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    for n in range(count):
        last = now - timedelta(seconds=rng.randrange(180 * 86400))
        status = rng.choice(STATUSES)
        yield {
            "workspace_id": workspace_id,
            "channel_id": channels[n % len(channels)].pk,
            "remote_id": f"t{n}",
            "author_id": rng.choice(author_ids),
            "preview": "Bonjour, ma commande n'est toujours pas arrivée, que se passe-t-il ?",
            "status": status,
            "assignee_id": rng.choice(team).pk if rng.random() < 0.3 else None,
            "sentiment": rng.choice(SENTIMENTS),
            "language": "fr",
            "message_count": 5,
            "first_message_at": last - timedelta(hours=2),
            "last_message_at": last,
            "waiting_since": last if status == "new" else None,
            "response_due_at": last + timedelta(hours=4) if status == "new" else None,
        }


def _messages(
    workspace_id: int,
    conversations: list[tuple[int, int]],
    author_ids: list[int],
    count: int,
    now: datetime,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    for n in range(count):
        conversation_id, channel_id = conversations[n % len(conversations)]
        at = now - timedelta(seconds=rng.randrange(180 * 86400))
        yield {
            "workspace_id": workspace_id,
            "conversation_id": conversation_id,
            "channel_id": channel_id,
            "remote_id": f"m{n}",
            "author_id": rng.choice(author_ids),
            "text": "Bonjour, ma commande n'est toujours pas arrivée, que se passe-t-il ?",
            "created_at": at,
            "received_at": at,
            "sentiment": rng.choice(SENTIMENTS),
            "language": "fr",
        }


def _label_some(
    conversations: list[tuple[int, int]], labels: list[Any], rng: random.Random
) -> None:
    from chorus.inbox.models import Conversation

    through = Conversation.labels.through
    rows = (
        {"conversation_id": pk, "label_id": rng.choice(labels).pk}
        for pk, _channel in conversations
        if rng.random() < 0.2
    )
    fill_rows(through, rows)


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    for _ in range(3):
        call()  # warm caches: the first requests load templates and translations
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return round(statistics.median(samples), 1), round(p95, 1)


def run_inbox_page(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from chorus.inbox.models import Conversation

    rng = random.Random(args.seed)
    stamp = int(time.time())
    started = time.perf_counter()
    workspace, owner = fill_workspace(f"bench-page-{stamp}", args.messages, rng)
    fill_workspace(f"bench-other-{stamp}", args.messages // 10, rng)
    fill_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def query() -> list[Any]:
        rows = (
            Conversation.objects.filter(workspace=workspace, status="new")
            .select_related("author", "assignee", "channel")
            .prefetch_related("labels")
            .order_by("-last_message_at")[:50]
        )
        return list(rows)

    setup_test_environment()
    client = Client()
    client.force_login(owner)
    page_status = client.get("/inbox/").status_code
    result: dict[str, Any] = {
        "messages": args.messages,
        "db": connection.vendor,
        "fill_seconds": round(fill_seconds, 1),
        "page_status": page_status,
    }
    result["query_p50_ms"], result["query_p95_ms"] = timed(query, args.requests)
    if page_status == 200:
        result["page_p50_ms"], result["page_p95_ms"] = timed(
            lambda: client.get("/inbox/"), args.requests
        )
        result["page_new_p50_ms"], result["page_new_p95_ms"] = timed(
            lambda: client.get("/inbox/", {"status": "new"}), args.requests
        )
    return result
