"""Benchmark of listening's matcher and ingest: posts matched per second against 1,000 queries of
100 workspaces, beside a naive baseline in the same run, and mentions stored and classified per
second.

Posts are real English and French tweets (../shared/data/sentiment), a few percent of them
carrying a brand's name, hashtag, handle or link, as a firehose would. Queries are written the
way people write them (names, phrases, hashtags, handles, domains, exclusions, groups), stored in
the database, and the matcher is built from them. The baseline, in the same run, is one compiled
regular expression per query (its terms, with word boundaries) tried on every post, then the
query's logic on what it found; both must agree on every post of the sample they share.

SQLite runs in a temporary folder; with DATABASE_URL the bench uses (and empties, with
``--fresh``) that PostgreSQL database. The last output line is one JSON object.

    python bench/listening_match.py [--posts 200000] [--workspaces 100] [--mentions 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / ".." / "shared" / "data" / "sentiment"
sys.path.insert(0, str(REPO))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--workspaces", type=int, default=100)
    parser.add_argument("--queries-per-workspace", type=int, default=10)
    parser.add_argument("--naive-posts", type=int, default=4_000, help="posts the baseline tries")
    parser.add_argument("--mentions", type=int, default=10_000, help="posts stored by ingest")
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--fresh", action="store_true", help="flush the PostgreSQL database first")
    parser.add_argument("--seed", type=int, default=12)
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> None:
    scratch = tempfile.mkdtemp(prefix="chorus-bench-listening-")
    os.environ.setdefault("CHORUS_VAR_DIR", scratch)
    os.environ.setdefault("CHORUS_SQLITE_PATH", str(Path(scratch) / "bench.sqlite3"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "chorus.settings"
    os.environ["CHORUS_CLASSIFY_PROCESSES"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and args.fresh:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def load_texts() -> list[str]:
    texts: list[str] = []
    for language in ("english", "french"):
        for split in ("train", "val"):
            path = DATA / "xlm-t" / language / f"{split}_text.txt"
            texts += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    return texts


def vocabulary(texts: list[str], rng: random.Random) -> list[str]:
    """Words of the posts themselves, rare ones: what product names and campaign words look like
    in a stream (neither "the" nor a one-off typo)."""
    counts = Counter(
        word for text in texts[:20_000] for word in re.findall(r"\b[a-z]{5,}\b", text.lower())
    )
    # Product names and campaign words are rare in a stream: two to ten times in these posts.
    middling = [word for word, count in counts.items() if 2 <= count <= 10]
    rng.shuffle(middling)
    return middling


# -- the queries ------------------------------------------------------------------------------


def query_texts(brand: str, words: list[str]) -> list[str]:
    """Ten queries of one workspace, the way a community manager writes them."""
    w = words
    return [
        f'{brand} OR "{brand} {w[0]}"',
        f"#{brand} OR @{brand}",
        f"({brand} OR {w[1]}) -{w[2]}",
        f"site:{brand}.com OR {brand}.com",
        f'"{w[3]} {w[4]}" OR {w[5]}',
        f"{w[6]} {w[7]}",
        f"{w[8]}* NOT {brand}",
        f"@{w[9]} OR #{w[10]}",
        f"({w[11]} OR {w[12]}) ({w[13]} OR {brand})",
        f"{w[14]} OR {w[15]} OR {w[16]} -{w[17]}",
    ]


def store_queries(args: argparse.Namespace, words: list[str]) -> list[str]:
    from chorus.listening.models import ListeningQuery
    from chorus.workspaces.models import Workspace

    brands = [f"brand{n}{words[n]}"[:20] for n in range(args.workspaces)]
    queries = []
    for number, brand in enumerate(brands):
        workspace = Workspace.objects.create(name=f"Bench {number}", slug=f"bench-l-{number}")
        own = words[100 + number * 18 : 100 + (number + 1) * 18]
        for index, text in enumerate(query_texts(brand, own)[: args.queries_per_workspace]):
            queries.append(
                ListeningQuery(workspace=workspace, name=f"q{index}", kind="brand", expression=text)
            )
    ListeningQuery.objects.bulk_create(queries)
    return brands


def posts_to_match(args: argparse.Namespace, texts: list[str], brands: list[str]) -> list[Any]:
    """Real posts; one in twenty names a brand the ways people do."""
    from chorus.listening.matcher import PostToMatch

    rng = random.Random(args.seed)
    made = []
    for number in range(args.posts):
        text = texts[number % len(texts)]
        url = ""
        if rng.random() < 0.05:
            brand = rng.choice(brands)
            form = rng.choice([brand, f"#{brand}", f"@{brand}", f'"{brand.title()}"'])
            text = f"{text} {form}"
            if rng.random() < 0.2:
                url = f"https://www.{brand}.com/p/{number}"
        made.append(PostToMatch(text=text, url=url, language="en"))
    return made


# -- the two ways of matching -----------------------------------------------------------------


class Rate:
    """Per second of the clock, and per second of this process's CPU: on a machine shared with
    other work the second says what one core does, the first what this run got."""

    def __init__(self, count: int, wall: float, cpu: float) -> None:
        self.wall, self.cpu = count / wall, count / max(cpu, 1e-9)


def time_matcher(posts: list[Any]) -> tuple[Rate, list[list[int]], int]:
    from chorus.listening.matcher import cached_matcher

    started = time.perf_counter()
    matcher = cached_matcher(None)
    built = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    results = [matcher.match(post) for post in posts]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"matcher built in {built:.2f} s; {len(posts)} posts in {elapsed:.2f} s", flush=True)
    return Rate(len(posts), elapsed, cpu), results, len(matcher.queries)


class NaiveQuery:
    """One regular expression per query: its terms with word boundaries, then its logic."""

    def __init__(self, query: Any) -> None:
        from chorus.listening.matcher import spec_of
        from chorus.listening.query_language import TermKind, evaluate, terms_of

        self.id, self.spec = query.pk, spec_of(query)
        self.evaluate = evaluate
        self.terms = {}
        for term in terms_of(self.spec.tree):
            value = re.escape(term.value)
            if term.kind == TermKind.SITE:
                pattern = rf"https?://(?:[\w-]+\.)*{value}\b"
            elif term.kind == TermKind.PREFIX:
                pattern = rf"(?<!\w){value}"
            else:
                pattern = rf"(?<!\w){value}(?!\w)"
            self.terms[term] = pattern
        joined = "|".join(f"(?P<t{n}>{p})" for n, p in enumerate(self.terms.values()))
        self.regex = re.compile(joined)
        self.by_group = {f"t{n}": term for n, term in enumerate(self.terms)}
        self.site = TermKind.SITE

    def match(self, text: str, url: str) -> bool:
        """Words in the text; domains in the text's links and the post's own address."""
        found = set()
        for hit in self.regex.finditer(text):
            found.add(self.by_group[hit.lastgroup or ""])
        if url:
            found.update(
                self.by_group[hit.lastgroup or ""]
                for hit in self.regex.finditer(url)
                if self.by_group[hit.lastgroup or ""].kind == self.site
            )
        return self.evaluate(self.spec.tree, found)


def time_naive(posts: list[Any]) -> tuple[Rate, list[list[int]]]:
    from chorus.listening.matcher import fold_text
    from chorus.listening.models import ListeningQuery

    naive = [NaiveQuery(q) for q in ListeningQuery.objects.prefetch_related("sources")]
    started, cpu = time.perf_counter(), time.process_time()
    results = []
    for post in posts:
        text, url = fold_text(post.text), post.url.lower()
        results.append(sorted(q.id for q in naive if q.match(text, url)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"naive: {len(posts)} posts in {elapsed:.2f} s", flush=True)
    return Rate(len(posts), elapsed, cpu), results


# -- ingest -----------------------------------------------------------------------------------


def time_ingest(args: argparse.Namespace, texts: list[str], brands: list[str]) -> Rate:
    """Mentions stored and classified per second: batches of one source of the first workspace,
    as polls deliver them (every post new)."""
    from chorus.listening.ingest import store_heard
    from chorus.listening.models import ListeningQuery, ListeningSource, Mention
    from chorus.listening.sources.base import Batch, HeardPost

    workspace_id = ListeningQuery.objects.order_by("pk").values_list("workspace_id", flat=True)[0]
    source = ListeningSource.objects.create(workspace_id=workspace_id, kind="rss", name="Bench")
    rng = random.Random(args.seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    heard = []
    for number in range(args.mentions):
        text = texts[(number * 7) % len(texts)]
        if rng.random() < 0.2:
            text = f"{text} {brands[0]}"
        heard.append(
            HeardPost(
                network="bench",
                remote_id=f"m{number}",
                url=f"https://news.example.org/{number}",
                text=f"{text} #{number}",
                published_at=start + timedelta(seconds=number),
                author_id=f"a{number % 997}",
                author_handle=f"writer{number % 997}",
                reach=number % 5000,
            )
        )
    from chorus.classify import get_classifier

    get_classifier().classify_many(["warm up the model", "chauffer le modèle"])  # loaded once
    started, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(heard), args.batch):
        store_heard(source, Batch(heard[first : first + args.batch], {"n": first}))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    stored = Mention.objects.filter(source=source).count()
    print(f"ingest: {stored} mentions stored in {elapsed:.2f} s", flush=True)
    # On PostgreSQL the server's own work is not in this process's CPU time: read the clock.
    return Rate(stored, elapsed, cpu)


def main() -> None:
    args = parse_args()
    prepare(args)
    from django.db import connection

    rng = random.Random(args.seed)
    texts = load_texts()
    words = vocabulary(texts, rng)
    brands = store_queries(args, words)
    posts = posts_to_match(args, texts, brands)
    match_rate, matched, query_count = time_matcher(posts)
    naive_rate, naive_matched = time_naive(posts[: args.naive_posts])
    disagree = sum(a != b for a, b in zip(matched, naive_matched, strict=False))
    mentions_rate = time_ingest(args, texts, brands)
    figures = {
        "database": connection.vendor,
        "posts": len(posts),
        "queries": query_count,
        "posts_with_a_match": sum(bool(found) for found in matched),
        "match_posts_per_s": round(match_rate.wall),
        "naive_posts_per_s": round(naive_rate.wall),
        "match_posts_per_cpu_s": round(match_rate.cpu),
        "naive_posts_per_cpu_s": round(naive_rate.cpu),
        "naive_disagreements": disagree,
        "mentions_per_s": round(mentions_rate.wall),
        "mentions_per_cpu_s": round(mentions_rate.cpu),
        "load_average": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
