"""Benchmark of analytics (issue 13): the year of data, and metric collection's speed.

Builds a fresh database (SQLite in a temporary folder, or a new PostgreSQL database beside the
one in DATABASE_URL) with ``bench/analytics_data.py``: 50 channels, 20,000 posts over 12
months, 1,000,000 metric snapshots and 1,000,000 inbox messages (``--scale`` shrinks it).

Then ``collect_posts_per_s``: the REAL collection (``collect_due``) reading ``--collect-posts``
due posts on Mastodon channels pointed at a stand-in Mastodon on loopback (a real HTTP server
in its own process, ``bench/standin_metrics.py``), beside ``bare_httpx_posts_per_s``: a bare
httpx loop fetching the same status URLs in the same run. Target: 200 posts/s on 2 cores.

Then, on the same data set: ``dashboard_p95_ms`` (the analytics pages through Django's test client,
signed in as the workspace's owner; target < 300 ms for the 30-day dashboard) and the monthly
report of the busiest month in PDF and PPTX (``pdf_report_seconds``, ``pptx_report_seconds``;
target < 10 s each). ``main()`` calls the ``measure_*`` functions in turn and puts what each
returns in the last line, one JSON object, with the load average (the machine may be shared).

    python bench/analytics.py [--scale 0.05] [--collect-posts 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/analytics.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
COLLECT_CHANNELS = 10

SETTINGS = """
from chorus.settings import *  # noqa

CHORUS_ALLOW_PRIVATE_NETWORKS = ["127.0.0.1"]  # the stand-in runs on loopback
LOGGING["root"]["level"] = "WARNING"
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Analytics benchmark")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's data set")
    parser.add_argument("--collect-posts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20, help="renders of each dashboard page")
    return parser.parse_args()


def fresh_postgres(url: str) -> tuple[str, str]:
    import psycopg

    name = f"chorus_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(tmp: Path, database_url: str) -> None:
    (tmp / "bench_settings.py").write_text(SETTINGS)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        CHORUS_VAR_DIR=str(tmp),
        CHORUS_SQLITE_PATH=str(tmp / "chorus.sqlite3"),
        CHORUS_SECRET_KEY=os.environ.get("CHORUS_SECRET_KEY", "bench-secret"),
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path[:0] = [str(tmp), str(REPO)]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def start_standin() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, str(REPO / "bench" / "standin_metrics.py"), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    return process, line.strip().removeprefix("listening on ")


# -- figures ------------------------------------------------------------------------------------


def measure_build(scale: float) -> dict[str, Any]:
    from bench.analytics_data import build_dataset

    began, cpu = time.perf_counter(), time.process_time()
    dataset = build_dataset(scale)
    return {
        "build_seconds": round(time.perf_counter() - began, 1),
        "build_cpu_seconds": round(time.process_time() - cpu, 1),
        "build_steps_seconds": dataset.seconds,
        "workspace_id": dataset.workspace_id,
        "rows": dataset.counts,
    }


def due_posts(root: str, count: int) -> list[str]:
    """``count`` posts on Mastodon channels at ``root``, published 70 minutes ago, tracked."""
    from django.utils import timezone

    from bench.analytics_data import insert_rows, next_id, reset_sequences
    from chorus.analytics.collection import track_new_publications
    from chorus.channels.models import Channel
    from chorus.publishing.models import Post, PostTarget, State
    from chorus.workspaces.models import Workspace

    workspace = Workspace.objects.create(name="Collect", slug="bench-collect", timezone="UTC")
    channels = []
    for number in range(COLLECT_CHANNELS):
        channel = Channel(workspace=workspace, network="mastodon", remote_id=f"c{number}")
        channel.credentials = {"access_token": f"tok-{number}"}
        channel.settings = {"base_url": root}
        channel.save()
        channels.append(channel.pk)
    at = timezone.now() - timedelta(hours=1, minutes=10)
    first_post, first_target = next_id(Post), next_id(PostTarget)
    ids = [str(120_000_000_000 + n) for n in range(count)]
    insert_rows(
        Post,
        ("id", "workspace_id", "text"),
        ((first_post + n, workspace.pk, "x") for n in range(count)),
    )
    key = PostTarget._meta.get_field("idempotency_key")
    from django.db import connection

    insert_rows(
        PostTarget,
        ("id", "workspace_id", "post_id", "channel_id", "state", "remote_id", "published_at",
         "idempotency_key"),
        ((first_target + n, workspace.pk, first_post + n, channels[n % len(channels)],
          State.PUBLISHED.value, ids[n], at, key.get_db_prep_value(uuid.uuid4(), connection))
         for n in range(count)),
    )  # fmt: skip
    reset_sequences(Post, PostTarget)
    track_new_publications(limit=count)
    return ids


def measure_collection(count: int) -> dict[str, Any]:
    from django.utils import timezone

    from chorus.analytics.collection import collect_due
    from chorus.analytics.models import PostMetrics

    process, root = start_standin()
    try:
        ids = due_posts(root, count)
        # The data set's own due posts are on channels with no server: they fail quickly and
        # are not counted; the budget leaves room for them.
        others = PostMetrics.objects.filter(next_read_at__lte=timezone.now()).count() - count
        began, cpu = time.perf_counter(), time.process_time()
        run = collect_due(budget=count + others)
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        read = PostMetrics.objects.filter(step__gte=1, channel__workspace__slug="bench-collect")
        assert run.read == count == read.count(), (run, read.count())
        bare = bare_httpx(root, ids)
    finally:
        process.terminate()
        process.wait()
    return {
        "collect_posts": count,
        "collect_seconds": round(elapsed, 2),
        "collect_posts_per_s": round(count / elapsed, 1),
        # The collector's own CPU per read: what the figure would be on an idle machine.
        "collect_cpu_ms_per_post": round(cpu * 1000 / count, 2),
        "bare_httpx_posts_per_s": round(bare, 1),
        "collect_target_posts_per_s": 200,
    }


def bare_httpx(root: str, ids: list[str]) -> float:
    """The same status reads with nothing but httpx: the floor of what a read costs here."""
    with httpx.Client(base_url=root, headers={"Authorization": "Bearer tok-0"}) as http:
        began = time.perf_counter()
        for remote_id in ids:
            http.get(f"/api/v1/statuses/{remote_id}").json()
        return len(ids) / (time.perf_counter() - began)


def measure_dashboard(workspace_id: int, rounds: int) -> dict[str, Any]:
    from datetime import UTC, datetime

    from django.conf import settings

    from bench.analytics_dashboard import _time_pages
    from chorus.workspaces.models import Membership, Role

    settings.ALLOWED_HOSTS = ["*"]  # the test client's "testserver"
    owner = Membership.objects.filter(workspace_id=workspace_id, role=Role.OWNER).get().user
    pages = _time_pages(owner, owner_workspace(workspace_id), rounds, datetime.now(UTC))
    return {
        "dashboard_pages": pages,
        "dashboard_p95_ms": pages["dashboard_30d"]["p95_ms"],
    }


def owner_workspace(workspace_id: int) -> Any:
    from chorus.workspaces.models import Workspace

    return Workspace.objects.get(pk=workspace_id)


def measure_reports(workspace_id: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from bench.analytics_reports import time_report
    from chorus.analytics.models import PostMetrics
    from chorus.analytics.reports.periods import ReportPeriod

    busiest = (
        PostMetrics.objects.filter(workspace_id=workspace_id)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(posts=Count("id"))
        .order_by("-posts")
        .first()
    )
    assert busiest is not None, "the data set has published posts"
    month = busiest["month"]
    period = ReportPeriod.month(month.year, month.month)
    workspace = owner_workspace(workspace_id)
    figures: dict[str, Any] = {"report_month": f"{month:%Y-%m}", "report_posts": busiest["posts"]}
    for fmt in ("pdf", "pptx"):
        seconds, cpu, size = time_report(workspace, period, fmt)
        figures[f"{fmt}_report_seconds"] = round(seconds, 2)
        figures[f"{fmt}_report_cpu_seconds"] = round(cpu, 2)
        figures[f"{fmt}_report_bytes"] = size
    return figures


def main() -> None:
    args = parse_args()
    base_url = os.environ.get("DATABASE_URL", "")
    fresh_url, fresh_name = fresh_postgres(base_url) if base_url else ("", "")
    try:
        with tempfile.TemporaryDirectory(prefix="chorus-bench-analytics-") as folder:
            setup_django(Path(folder), fresh_url)
            from django.db import connection

            result: dict[str, Any] = {"bench": "analytics", "database": connection.vendor}
            result["scale"] = args.scale
            result.update(measure_build(args.scale))
            print(json.dumps(result), flush=True)  # the data set's figures, before the rest
            result.update(measure_collection(args.collect_posts))
            result.update(measure_dashboard(result["workspace_id"], args.rounds))
            result.update(measure_reports(result["workspace_id"]))
            result["load_average"] = round(os.getloadavg()[0], 2)
            connection.close()
    finally:
        if fresh_name:
            drop_postgres(base_url, fresh_name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
