"""Benchmark of inbox ingestion, and of the inbox list page on a big inbox.

Default mode: ``--items`` messages made from real French and English posts
(../shared/data/sentiment) spread over a few channels and ~items/5 conversations with reply
chains, some of our own answers among them, and ~5% delivered twice (overlapping polls), go
through the whole path (:func:`chorus.inbox.ingest.ingest`: dedup, authors, threads,
classification with the workspace's adapters, a few realistic rules, roll-ups, SLA) in batches as
polls deliver them. The baseline, in the same run, bulk-inserts the same rows with no work at all.

``--inbox-page``: fill ``--messages`` messages (~messages/5 conversations) with raw bulk inserts,
then time the inbox list (GET /inbox/ signed in; if that page is not there yet, the query it will
run: the 50 latest conversations of a workspace by status, with labels and assignee).

SQLite runs in a temporary folder; with DATABASE_URL the bench uses (and empties, with
``--fresh``) that PostgreSQL database. The last output line is one JSON object.

    python bench/ingest.py --items 20000 [--batch 250] [--threads 1] [--processes 1]
    python bench/ingest.py --inbox-page --messages 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ingest CHORUS_SECRET_KEY=x \\
        python bench/ingest.py --fresh
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "sentiment"
sys.path.insert(0, str(REPO))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=250, help="items per poll page / batch")
    parser.add_argument("--channels", type=int, default=4)
    # Classifier processes: worth it only while classifying costs more than shipping texts and
    # results between processes (it did at ~1,700 texts/s; not at ~10,000).
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument(
        "--threads", type=int, default=1, help="channels ingested at once, as worker threads do"
    )
    parser.add_argument("--inbox-page", action="store_true")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--fresh", action="store_true", help="flush the PostgreSQL database first")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> None:
    scratch = tempfile.mkdtemp(prefix="chorus-bench-ingest-")
    os.environ.setdefault("CHORUS_VAR_DIR", scratch)
    os.environ.setdefault("CHORUS_SQLITE_PATH", str(Path(scratch) / "bench.sqlite3"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "chorus.settings"
    os.environ["CHORUS_CLASSIFY_PROCESSES"] = str(args.processes if args.processes > 1 else 0)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and args.fresh:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the inbox page caches its counts


# -- realistic messages --------------------------------------------------------------------------


def load_texts() -> list[str]:
    """French and English posts; French weighted up, as for a French-speaking brand."""
    texts: list[str] = []
    for language, weight in (("french", 3), ("english", 1)):
        for split in ("train", "val"):
            path = DATA / "xlm-t" / language / f"{split}_text.txt"
            texts += [
                line.strip() for line in path.read_text().splitlines() if line.strip()
            ] * weight
    offensive = DATA / "tweeteval" / "offensive" / "train_text.txt"
    texts += [line.strip() for line in offensive.read_text().splitlines()[:4000] if line.strip()]
    return texts


def build_stream(args: argparse.Namespace, channels: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Batches as polls deliver them: per channel, in time order, ~5% items seen twice."""
    from chorus.channels.base import Author, InboxItem

    rng = random.Random(args.seed)
    texts = load_texts()
    unique = int(args.items * 0.95)
    threads = max(1, args.items // 5)
    people = max(1, args.items // 4)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    last_in_thread: dict[int, str] = {}
    per_channel: dict[int, list[Any]] = {n: [] for n in range(len(channels))}
    for number in range(unique):
        thread = rng.randrange(threads)
        where = thread % len(channels)
        channel = channels[where]
        previous = last_in_thread.get(thread, "")
        ours = bool(previous) and rng.random() < 0.1
        who = min(int(rng.paretovariate(1.1)) - 1, people - 1)  # a few people write a lot
        author = (
            Author(remote_id=channel.remote_id, handle=channel.handle)
            if ours
            else Author(
                remote_id=f"person-{who}",
                handle=f"person{who}",
                display_name=f"Person {who}",
                url=f"https://social.example/@person{who}",
                followers=rng.randrange(20_000),
            )
        )
        remote_id = f"{channel.network}-{number}"
        per_channel[where].append(
            InboxItem(
                remote_id=remote_id,
                kind="direct" if thread % 10 == 0 else ("reply" if previous else "comment"),
                conversation_id=f"thread-{thread}",
                author=author,
                text=texts[rng.randrange(len(texts))],
                created_at=start + timedelta(seconds=number * 3),
                in_reply_to=previous,
                url=f"https://social.example/@person{who}/{remote_id}",
            )
        )
        last_in_thread[thread] = remote_id
    _add_redeliveries(per_channel, args.items - unique, rng)
    batches = []
    for where, items in per_channel.items():
        for first in range(0, len(items), args.batch):
            batches.append((where, channels[where], items[first : first + args.batch]))
    batches.sort(key=lambda b: b[2][0].created_at if b[2] else start)
    return [(channel, items) for _where, channel, items in batches]


def _add_redeliveries(per_channel: dict[int, list[Any]], count: int, rng: random.Random) -> None:
    """An overlapping poll delivers again something from a little earlier."""
    keys = list(per_channel)
    for _ in range(count):
        items = per_channel[rng.choice(keys)]
        if len(items) < 2:
            continue
        position = rng.randrange(1, len(items))
        items.insert(position, items[max(0, position - rng.randrange(1, 300))])


# -- the ingest run ------------------------------------------------------------------------------


def workspace_with_rules(slug: str) -> tuple[Any, Any]:
    from chorus.accounts.models import User
    from chorus.inbox.models import Label, Rule
    from chorus.workspaces.models import Membership, Role, Workspace

    owner = User.objects.create_user(email=f"{slug}@bench.example", password="bench-only-pw")
    workspace = Workspace.objects.create(name=slug, slug=slug, timezone="Europe/Paris")
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    labels = {name: Label.objects.create(workspace=workspace, name=name) for name in LABELS}
    for position, (name, conditions, actions) in enumerate(RULES(labels, owner), start=1):
        Rule.objects.create(
            workspace=workspace,
            name=name,
            position=position,
            conditions=conditions,
            actions=actions,
            created_by=owner,
        )
    _check_rules(workspace)
    return workspace, owner


LABELS = ("Remboursement", "Urgent", "Ventes", "Toxique")


def RULES(labels: dict[str, Any], owner: Any) -> list[tuple[str, list, list]]:  # noqa: N802
    words = ["remboursement", "rembourser", "refund", "arnaque", "scam", "cassé", "broken"]
    return [
        (
            "Refunds to the after-sales team",
            [{"type": "words", "words": words}],
            [
                {"type": "label", "label": labels["Remboursement"].pk},
                {"type": "priority", "priority": 2},
            ],
        ),
        (
            "Angry and influential",
            [
                {"type": "sentiment", "values": ["negative"]},
                {"type": "followers_at_least", "value": 10_000},
            ],
            [{"type": "label", "label": labels["Urgent"].pk}, {"type": "assign", "user": owner.pk}],
        ),
        (
            "Buyers",
            [{"type": "intent", "values": ["purchase_intent"]}],
            [{"type": "label", "label": labels["Ventes"].pk}],
        ),
        (
            "Toxic",
            [{"type": "toxicity", "min": 0.8}],
            [{"type": "label", "label": labels["Toxique"].pk}, {"type": "priority", "priority": 3}],
        ),
    ]


def _check_rules(workspace: Any) -> None:
    """The rules engineer's schema decides: report rules it refuses rather than bench nothing."""
    try:
        from chorus.inbox.rules import validate_rule
    except ImportError:
        return
    from chorus.inbox.models import Rule

    for rule in Rule.objects.filter(workspace=workspace):
        errors = validate_rule(rule.conditions, rule.actions, workspace)
        if errors:
            print(f"rule {rule.name!r} refused: {errors}", file=sys.stderr)


def make_channels(workspace: Any, count: int) -> list[Any]:
    from chorus.channels.models import Channel

    networks = ["mastodon", "bluesky", "matrix"]
    return [
        Channel.objects.create(
            workspace=workspace,
            network=networks[n % len(networks)],
            name=f"Channel {n}",
            remote_id=f"brand-{n}",
            handle=f"brand{n}",
        )
        for n in range(count)
    ]


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def run_ingest(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from chorus.classify import get_classifier
    from chorus.inbox.ingest import IngestResult
    from chorus.inbox.learning import base_classify
    from chorus.inbox.models import Conversation, Message, RuleAction

    stamp = int(time.time())
    workspace, _owner = workspace_with_rules(f"bench-ingest-{stamp}")
    channels = make_channels(workspace, args.channels)
    stream = build_stream(args, channels)
    get_classifier()
    base_classify(["warm up the classifier processes"] * 600)

    counter, classifying = QueryCounter(), time_classification()
    started = time.perf_counter()
    results = ingest_in_threads(stream, args.threads, counter)
    elapsed = time.perf_counter() - started
    total = sum(results, IngestResult())

    baseline_seconds = run_baseline(stream, f"bench-baseline-{stamp}", args)
    texts = [item.text for _channel, items in stream for item in items][:5000]
    classify_started = time.perf_counter()
    base_classify(texts)
    classify_rate = len(texts) / (time.perf_counter() - classify_started)
    stored = Message.objects.filter(workspace=workspace).count()
    return {
        "items": args.items,
        "items_per_s": round(args.items / elapsed, 1),
        "baseline_items_per_s": round(args.items / baseline_seconds, 1),
        "db": connection.vendor,
        "seconds": round(elapsed, 2),
        "batch": args.batch,
        "threads": args.threads,
        "batches": len(stream),
        "queries_per_batch": round(counter.count / len(stream), 1),
        "stored": stored,
        "incoming": total.new_messages,
        "outgoing": total.outgoing,
        "duplicates_skipped": total.duplicates,
        "conversations": Conversation.objects.filter(workspace=workspace).count(),
        "rule_actions": RuleAction.objects.filter(workspace=workspace).count(),
        "classifier_processes": args.processes if args.processes > 1 else 1,
        "classify_only_texts_per_s": round(classify_rate, 1),
        "classifying_seconds": round(classifying[0], 2),
        "items_per_s_without_classifying": round(args.items / (elapsed - classifying[0]), 1)
        if args.threads <= 1
        else None,
    }


def time_classification() -> list[float]:
    """Seconds spent in classification during ingest (the rest is dedup, storage, rules)."""
    from chorus.inbox import ingest as ingest_module

    spent = [0.0]
    classify = ingest_module.classify_for

    def timed(*args: Any) -> Any:
        started = time.perf_counter()
        try:
            return classify(*args)
        finally:
            spent[0] += time.perf_counter() - started

    ingest_module.classify_for = timed  # type: ignore[assignment]
    return spent


def ingest_in_threads(
    stream: list[tuple[Any, list[Any]]], threads: int, counter: QueryCounter
) -> list[Any]:
    """Each thread takes its own channels, in order, as Huey worker threads take poll tasks: one
    classifies (in the classifier processes) while another writes."""
    from django.db import connection

    from chorus.inbox.ingest import IngestResult, ingest

    lanes: dict[int, list[tuple[Any, list[Any]]]] = {n: [] for n in range(max(1, threads))}
    for channel, items in stream:
        lanes[channel.pk % len(lanes)].append((channel, items))

    def run(lane: list[tuple[Any, list[Any]]]) -> Any:
        total = IngestResult()
        try:
            with connection.execute_wrapper(counter):
                for channel, items in lane:
                    total += ingest(channel, items)
        finally:
            connection.close()
        return total

    if threads == 0:  # in this thread, for a profiler
        return [run(stream)]
    with ThreadPoolExecutor(len(lanes)) as pool:
        return list(pool.map(run, lanes.values()))


def run_baseline(stream: list[tuple[Any, list[Any]]], slug: str, args: argparse.Namespace) -> float:
    """The same rows, bulk-inserted with no dedup, no classification, no rules: the floor."""
    from chorus.inbox.models import Conversation, Message
    from chorus.workspaces.models import Workspace

    workspace = Workspace.objects.create(name=slug, slug=slug)
    channels = {c.pk: c for c in make_channels(workspace, args.channels)}
    by_position = {
        original.pk: copy
        for original, copy in zip(_originals(stream), channels.values(), strict=False)
    }
    started = time.perf_counter()
    threads: dict[tuple[int, str], int] = {}
    seen: set[tuple[int, str]] = set()
    for original, items in stream:
        channel = by_position[original.pk]
        fresh = []
        for i in items:
            if (channel.pk, i.remote_id) not in seen:
                seen.add((channel.pk, i.remote_id))
                fresh.append(i)
        new_threads = [
            Conversation(workspace=workspace, channel=channel, remote_id=key)
            for key in {i.conversation_id for i in fresh}
            if (channel.pk, key) not in threads
        ]
        for conversation in Conversation.objects.bulk_create(new_threads):
            threads[(channel.pk, conversation.remote_id)] = conversation.pk
        if not new_threads or new_threads[0].pk is None:  # backends that return no ids
            rows = Conversation.objects.filter(channel=channel).values_list("remote_id", "pk")
            threads.update({(channel.pk, key): pk for key, pk in rows})
        Message.objects.bulk_create(
            Message(
                workspace=workspace,
                channel=channel,
                conversation_id=threads[(channel.pk, i.conversation_id)],
                remote_id=i.remote_id,
                text=i.text,
                url=i.url,
                in_reply_to=i.in_reply_to,
                created_at=i.created_at,
            )
            for i in fresh
        )
    return time.perf_counter() - started


def _originals(stream: list[tuple[Any, list[Any]]]) -> list[Any]:
    found: dict[int, Any] = {}
    for channel, _items in stream:
        found.setdefault(channel.pk, channel)
    return sorted(found.values(), key=lambda c: c.pk)


def _made_page(client: Any, path: str, query: dict[str, str]) -> Any:
    """The search as made, not as kept (chorus/workspaces/kept.py): what it costs to run."""
    from chorus.workspaces import kept

    kept.PAGES.clear()
    return client.get(path, query)


def time_search(args: argparse.Namespace) -> dict[str, Any]:
    """``--inbox-page``: the inbox searched (GET /inbox/?q=…) on the filled inbox, for a word
    every message has, a handle a few authors have and a word none has; each through the
    search indexes and, for comparison, by scanning as before them."""
    from functools import partial

    from django.test import Client

    from bench.ingest_page import timed
    from chorus.inbox import search
    from chorus.workspaces.models import Membership, Role

    owner = Membership.objects.filter(
        workspace__slug__startswith="bench-page-", role=Role.OWNER
    ).latest("pk")
    client = Client()
    client.force_login(owner.user)
    result: dict[str, Any] = {}
    indexed_from = search.MIN_CHARS
    for name, q in (("matching", "commande"), ("handle", "person12345"), ("none", "zzqx")):
        for way, min_chars in (("", indexed_from), ("scan_", 10**9)):
            search.MIN_CHARS = min_chars  # 10**9: no query is long enough for the index
            p50, p95 = timed(partial(_made_page, client, "/inbox/", {"q": q}), args.requests)
            result[f"search_{way}{name}_p50_ms"], result[f"search_{way}{name}_p95_ms"] = p50, p95
    search.MIN_CHARS = indexed_from
    return result


if __name__ == "__main__":
    from bench.ingest_page import run_inbox_page

    arguments = parse_args()
    prepare(arguments)
    outcome = run_inbox_page(arguments) if arguments.inbox_page else run_ingest(arguments)
    if arguments.inbox_page and outcome.get("page_status") == 200:
        outcome |= time_search(arguments)
    print(json.dumps(outcome))
