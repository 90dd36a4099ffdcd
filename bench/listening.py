"""Benchmark of listening: matching a firehose, storing mentions, and spike alerts end to end.

1. Matching: ``--posts`` real texts (../shared/data/sentiment), a share of them carrying a
   brand's words, against ``--queries`` queries of ``--match-workspaces`` workspaces, on one core
   with the matcher (one Aho-Corasick automaton, ``chorus.listening.matcher``), and beside it
   the naive way (one regular expression per query, every query tried on every post) on a
   sample of the same posts.
2. Storing: ``--bulk`` posts in batches of 250 through ``ingest.store_heard`` (dedupe, authors,
   classification, matches, then spike checks): ``mentions_per_s``.
3. Alerts: a stand-in source on loopback (``bench/listening_stream.py``) serves each workspace's
   stream, polled every 15 simulated minutes: 7 steady days with a daily rhythm (quiet nights,
   busy afternoons, calmer weekends), then, on day 8, one spike per query at a known instant.
   Figures: alert latency from the crossing mention's storage (``crossed_at``) to the alert,
   false alerts over the steady days, missed spikes, duplicates stored.

SQLite runs in a temporary folder; with DATABASE_URL the bench uses (and empties, with
``--fresh``) that PostgreSQL database. The last output line is one JSON object.

    python bench/listening.py [--posts 200000] [--queries 1000] [--workspaces 4]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "sentiment"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from listening_stream import START, Plan, StreamServer, make_stream, query_words  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--match-workspaces", type=int, default=100)
    parser.add_argument("--naive-sample", type=int, default=500)
    parser.add_argument("--bulk", type=int, default=20_000)
    parser.add_argument("--workspaces", type=int, default=2, help="workspaces of the alert run")
    parser.add_argument("--per-hour", type=float, default=16.0, help="mentions/hour per query")
    parser.add_argument("--spike", type=int, default=60, help="extra mentions in a spike")
    parser.add_argument("--fresh", action="store_true", help="flush the PostgreSQL database first")
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> None:
    scratch = tempfile.mkdtemp(prefix="chorus-bench-listening-")
    os.environ.setdefault("CHORUS_VAR_DIR", scratch)
    os.environ.setdefault("CHORUS_SQLITE_PATH", str(Path(scratch) / "bench.sqlite3"))
    os.environ.setdefault("CHORUS_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "chorus.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.CHORUS_BLOCK_EXTERNAL_HTTP = True  # loopback only: the stand-in source
    if connection.vendor == "postgresql" and args.fresh:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def load_texts() -> list[str]:
    escaped = re.compile(r"\\u([0-9a-fA-F]{4})")
    texts = []
    for line in (DATA / "semeval" / "english_train.tsv").read_text().splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 3:
            texts.append(escaped.sub(lambda m: chr(int(m.group(1), 16)), parts[2]))
    for language in ("english", "french"):
        path = DATA / "xlm-t" / language / "train_text.txt"
        texts += [t.strip() for t in path.read_text().splitlines() if t.strip()]
    return texts


# -- 1. matching --------------------------------------------------------------------------------


def expressions(workspace: int, vocabulary: list[str], count: int) -> list[str]:
    """A workspace's queries: its brand, products, people, campaigns and competitors."""
    rng = random.Random(workspace)
    brand = f"brand{workspace}"
    made = [
        f'{brand} OR "{brand} coffee" OR #{brand}',
        f"{brand} AND (refund OR broken OR late OR angry)",
        f'@{brand}help OR "{brand} support" -job',
        f"gadget{workspace}* NOT giveaway",
        f"rival{workspace} OR #rival{workspace}",
    ]
    while len(made) < count:
        a, b, c = rng.sample(vocabulary, 3)
        made.append(f'({a} AND {b}) OR "{a} {c}"')
    return made[:count]


def bench_matching(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    from chorus.listening.matcher import Matcher, PostToMatch, QuerySpec
    from chorus.listening.query_language import parse

    vocabulary = sorted({w for t in texts[:5000] for w in re.findall(r"[a-z]{5,}", t.lower())})
    per_workspace = max(1, args.queries // args.match_workspaces)
    specs = [
        QuerySpec(id=w * per_workspace + i, workspace_id=w, tree=parse(expression))
        for w in range(args.match_workspaces)
        for i, expression in enumerate(expressions(w, vocabulary, per_workspace))
    ]
    rng = random.Random(3)
    posts = []
    for n in range(args.posts):
        text = texts[n % len(texts)]
        if rng.random() < 0.2:  # a fifth of the firehose talks about one of the brands
            text = f"{text} brand{rng.randrange(args.match_workspaces)}"
        posts.append(PostToMatch(text=text))
    started = time.perf_counter()
    matcher = Matcher(specs)
    built = time.perf_counter() - started
    started = time.perf_counter()
    matched = sum(1 for post in posts if matcher.match(post))
    fast = time.perf_counter() - started
    sample = posts[: args.naive_sample]
    naive_rate, agree = _naive(specs, sample, matcher)
    return {
        "match_posts": args.posts,
        "match_queries": len(specs),
        "match_workspaces": args.match_workspaces,
        "match_build_s": round(built, 3),
        "match_posts_per_s": round(args.posts / fast),
        "match_posts_matched": matched,
        "naive_posts_per_s": round(naive_rate),
        "naive_sample": len(sample),
        "naive_agrees": agree,
    }


def _naive(specs: list[Any], sample: list[Any], matcher: Any) -> tuple[float, bool]:
    """One regular expression per term, every query evaluated on every post."""
    from chorus.listening.matcher import fold_text

    compiled = [(spec, _regexes(spec.tree)) for spec in specs]
    started = time.perf_counter()
    results = []
    for post in sample:
        text = fold_text(post.text)
        results.append(sorted(s.id for s, tree in compiled if _holds(tree, text)))
    rate = len(sample) / (time.perf_counter() - started)
    return rate, results == [matcher.match(p) for p in sample]


def _regexes(node: Any) -> Any:
    from chorus.listening.query_language import And, Not, Or, TermKind

    if isinstance(node, And):
        return ("and", [_regexes(p) for p in node.parts])
    if isinstance(node, Or):
        return ("or", [_regexes(p) for p in node.parts])
    if isinstance(node, Not):
        return ("not", _regexes(node.part))
    value = re.escape(node.value)
    tail = r"\w*" if node.kind == TermKind.PREFIX else ""
    return ("term", re.compile(rf"(?<![\w#@]){value}{tail}(?!\w)"))


def _holds(tree: Any, text: str) -> bool:
    kind, part = tree
    if kind == "term":
        return part.search(text) is not None
    if kind == "and":
        return all(_holds(p, text) for p in part)
    if kind == "or":
        return any(_holds(p, text) for p in part)
    return not _holds(part, text)


# -- 2. storing ---------------------------------------------------------------------------------


def bench_storing(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    from chorus.listening import ingest
    from chorus.listening.models import ListeningQuery, ListeningSource, Mention
    from chorus.listening.sources.base import Batch, HeardPost
    from chorus.workspaces.models import Workspace

    workspace = Workspace.objects.create(name="Bulk", slug="bench-bulk")
    source = ListeningSource.objects.create(workspace=workspace, kind="rss", name="Firehose")
    for i, expression in enumerate(["brand OR #brand", "coffee", "love OR hate", "game*"]):
        ListeningQuery.objects.create(
            workspace=workspace, name=f"q{i}", kind="brand", expression=expression
        )
    rng = random.Random(5)
    posts = [
        HeardPost(
            network="rss",
            remote_id=f"bulk-{n}",
            url=f"https://blog.example.net/{n}",
            text=f"{texts[n % len(texts)]} {rng.choice(['brand', 'coffee', 'tea', 'game'])} {n}",
            published_at=START + timedelta(seconds=n),
            author_id=f"a{n % 300}",
            author_handle=f"fan{n % 300}",
            reach=n % 300,
        )
        for n in range(args.bulk)
    ]
    warm = [HeardPost("rss", f"warm-{n}", "", f"warm up brand {n}", START) for n in range(5)]
    ingest.store_heard(source, Batch(posts=warm, cursor={}))  # loads the classifier's models
    started = time.perf_counter()
    for first in range(0, len(posts), 250):
        ingest.store_heard(source, Batch(posts=posts[first : first + 250], cursor={"n": first}))
    took = time.perf_counter() - started
    stored = Mention.objects.filter(workspace=workspace).count() - len(warm)
    return {"mentions_stored_bulk": stored, "mentions_per_s": round(stored / took)}


# -- 3. alerts ----------------------------------------------------------------------------------


def bench_alerts(args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    from chorus.core import http as chorus_http
    from chorus.listening.models import Alert, Mention

    plan = Plan(args.workspaces, args.per_hour, steady_days=7, spike_size=args.spike)
    stream = make_stream(plan, _unique(texts))
    sources, queries = _alert_workspaces(plan)
    timings: list[float] = []
    with StreamServer(stream, plan.workspaces) as server, chorus_http.client() as http:
        cursor = [0] * plan.workspaces
        at, end = START, START + timedelta(days=8)
        while at < end:
            at += timedelta(minutes=15)
            for ws, source in enumerate(sources):
                cursor[ws] = _poll(http, server.root, source, ws, cursor[ws], at, timings)
    alerts = list(Alert.objects.filter(query__in=[q for qs in queries for q in qs]))
    served = {(p["workspace"], p["remote_id"]) for p in stream}
    mine = Mention.objects.filter(workspace__in=[s.workspace_id for s in sources])
    stored = mine.count()
    figures = _judge(plan, queries, alerts)
    figures |= {
        "stream_posts": len(stream),
        "stream_batches": len(timings),
        "stream_mentions_per_s": round(stored / sum(timings)),
        # Stored twice: the same post (network id) or the same text (fingerprint) in one workspace.
        "duplicates": _duplicates(mine),
        "stored_of_served": f"{stored}/{len(served)}",  # the rest: near-duplicate texts dropped
    }
    return figures


def _duplicates(mentions: Any) -> int:
    from django.db.models import Count

    repeated = 0
    for fields in (("workspace", "network", "remote_id"), ("workspace", "fingerprint")):
        # A text too short to fingerprint has an empty one: that is not a repeat.
        groups = (
            mentions.exclude(fingerprint="").values(*fields).annotate(n=Count("pk")).filter(n__gt=1)
        )
        repeated += sum(group["n"] - 1 for group in groups)
    return repeated


def _unique(texts: list[str]) -> list[str]:
    seen, kept = set(), []
    for text in texts:
        if text not in seen:
            seen.add(text)
            kept.append(text)
    random.Random(11).shuffle(kept)
    return kept


def _alert_workspaces(plan: Plan) -> tuple[list[Any], list[list[Any]]]:
    from chorus.listening.models import ListeningQuery, ListeningSource
    from chorus.workspaces.models import Workspace

    sources, queries = [], []
    for ws in range(plan.workspaces):
        workspace = Workspace.objects.create(name=f"Brand {ws}", slug=f"bench-brand-{ws}")
        sources.append(
            ListeningSource.objects.create(workspace=workspace, kind="rss", name="Stand-in")
        )
        queries.append(
            [
                ListeningQuery.objects.create(
                    workspace=workspace,
                    name=word,
                    kind="brand",
                    expression=word,
                    created_at=START,
                )
                for word in query_words(ws)
            ]
        )
    return sources, queries


def _poll(
    http: Any, root: str, source: Any, ws: int, after: int, until: datetime, timings: list[float]
) -> int:
    from chorus.listening import ingest
    from chorus.listening.sources.base import Batch, HeardPost

    page = http.get(
        f"{root}/ws/{ws}/posts", params={"after": after, "until": until.isoformat()}
    ).json()
    posts = [
        HeardPost(
            network="standin",
            remote_id=p["remote_id"],
            url=f"https://standin.example/{p['remote_id']}",
            text=p["text"],
            published_at=datetime.fromisoformat(p["published_at"]),
            author_id=p["author"],
            author_handle=p["author"],
            reach=p["reach"],
        )
        for p in page["posts"]
    ]
    if posts:
        started = time.perf_counter()
        ingest.store_heard(source, Batch(posts=posts, cursor={"after": page["next"]}))
        timings.append(time.perf_counter() - started)
    return int(page["next"])


def _judge(plan: Plan, queries: list[list[Any]], alerts: list[Any]) -> dict[str, Any]:
    """An alert is right when its window meets its query's spike; any other is false."""
    spike_of = {}
    for ws, qs in enumerate(queries):
        for index, q in enumerate(qs):
            spike_of[q.pk] = plan.spike_at(ws * 3 + index)
    caught, false, latencies = set(), [], []
    for alert in alerts:
        spike = spike_of[alert.query_id]
        if alert.window_end >= spike and alert.window_start <= spike + timedelta(minutes=10):
            caught.add(alert.query_id)
        else:
            false.append(
                f"{alert.query.name} {alert.kind} {alert.window_end:%a %H:%M} "
                f"{alert.count}>={alert.threshold:g} (λ={alert.baseline})"
            )
        if alert.crossed_at:
            latencies.append((alert.created_at - alert.crossed_at).total_seconds())
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None
    return {
        "alerts": len(alerts),
        "spikes": len(spike_of),
        "missed_spikes": len(spike_of) - len(caught),
        "false_alerts": len(false),
        "false_alert_list": false[:10],
        "alert_latency_p50_s": round(statistics.median(latencies), 4) if latencies else None,
        "alert_latency_p99_s": round(p99, 4) if p99 is not None else None,
    }


def main() -> None:
    args = parse_args()
    prepare(args)
    from django.db import connection

    texts = load_texts()
    figures: dict[str, Any] = {"database": connection.vendor}
    figures |= bench_matching(args, texts)
    print("matching", json.dumps(figures), flush=True)
    figures |= bench_storing(args, texts)
    print("storing", figures["mentions_per_s"], flush=True)
    figures |= bench_alerts(args, texts)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
