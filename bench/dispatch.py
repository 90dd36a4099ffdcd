"""Benchmark of the dispatcher (issue 3): at most once, never lost, on time.

Sets up a fresh database, a workspace with ``--channels`` channels on a stand-in Mastodon server
(bench/standin_mastodon.py, a real HTTP server on loopback), ``--posts`` posts due within one
minute, and runs the REAL dispatcher: two ``chorus worker`` processes (Huey on a temporary
SQLite file, or Redis when REDIS_URL is set). It waits until every target is published or failed,
then measures duplicates (statuses on the stand-in beyond one per target), lost targets (neither
published nor failed) and lateness (the stand-in's creation time minus the scheduled time).
The baseline sends the same posts with a bare loop of httpx calls at the same concurrency, to a
second stand-in. The last output line is one JSON object.

    python bench/dispatch.py --posts 10000 --channels 500 --latency-ms 50 [--faults] [--kill-worker]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/dispatch.py ...
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
# Publishing is I/O bound and a batch waits for its targets' times: many cheap threads.
THREADS_PER_WORKER = int(os.environ.get("BENCH_THREADS", "16"))
BASELINE_CONCURRENCY = 16  # what the first measurements used: keep figures comparable

SETTINGS = """
from chorus.settings import *  # noqa

HUEY = dict(HUEY)
HUEY.update({{"name": "bench", "immediate": False}})
if HUEY["huey_class"] == "huey.SqliteHuey":
    HUEY["filename"] = {queue!r}
HUEY["consumer"] = {{**HUEY["consumer"], "workers": {threads}}}
CHORUS_PUBLISH_LEASE_SECONDS = 20
CHORUS_ALLOW_PRIVATE_NETWORKS = ["127.0.0.1"]  # the stand-in runs on loopback
CHORUS_PUBLISH_TIMEOUT_SECONDS = 3
LOGGING["root"]["level"] = "WARNING"
# A handler of our own, so Huey does not add its INFO one: a log line per task costs CPU.
LOGGING["loggers"]["huey"] = {{"level": "WARNING", "handlers": ["console"], "propagate": False}}

import os as _os
if _os.environ.get("CHORUS_BENCH_PROFILE"):
    # cProfile sees one thread only: start one per worker thread and merge them at exit.
    import atexit, cProfile, pstats, sys, threading, time
    _profiles = []

    def _profile_this_thread(*_args):
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)  # CPU time: waiting is not the cost here
        _profiles.append(profile)
        profile.enable()

    def _dump_profiles():
        stats = None
        for profile in _profiles:
            try:
                profile.disable()
                stats = pstats.Stats(profile) if stats is None else (stats.add(profile) or stats)
            except Exception:
                pass
        if stats:
            stats.dump_stats(f"{{_os.environ['CHORUS_BENCH_PROFILE']}}.{{_os.getpid()}}")

    threading.setprofile(_profile_this_thread)
    atexit.register(_dump_profiles)
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dispatcher benchmark")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--timeout", type=float, default=900, help="give up after (seconds)")
    return parser.parse_args()


def fresh_postgres(url: str) -> tuple[str, str]:
    """A new database beside the one in DATABASE_URL; returns (its URL, its name)."""
    import psycopg

    name = f"chorus_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def environment(tmp: Path, database_url: str) -> dict[str, str]:
    (tmp / "bench_settings.py").write_text(
        SETTINGS.format(queue=str(tmp / "queue.sqlite3"), threads=THREADS_PER_WORKER)
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{tmp}{os.pathsep}{REPO}",
        "CHORUS_VAR_DIR": str(tmp),
        "CHORUS_SECRET_KEY": os.environ.get("CHORUS_SECRET_KEY", "bench-secret"),
        "CHORUS_SQLITE_PATH": str(tmp / "chorus.sqlite3"),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def start_standin(latency_ms: float, faults: bool) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, str(REPO / "bench" / "standin_mastodon.py"), "--port", "0"]
    command += ["--latency-ms", str(latency_ms), "--late-answer-s", "4"]
    if faults:
        command.append("--faults")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    return process, line.strip().removeprefix("listening on ")


def start_worker(env: dict[str, str], periodic: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "chorus.cli", "worker", "--workers", str(THREADS_PER_WORKER)]
    if not periodic:
        command.append("--no-periodic")
    return subprocess.Popen(command, env=env, cwd=tmp_cwd(env))


def tmp_cwd(env: dict[str, str]) -> str:
    return env["CHORUS_VAR_DIR"]


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_plan(args: argparse.Namespace, root: str, lead_s: float) -> float:
    """Workspace, channels, posts due within one minute from now + ``lead_s``; returns t0."""
    from django.utils import timezone

    from chorus.accounts.models import User
    from chorus.channels.models import Channel
    from chorus.publishing.models import Post, PostTarget, State
    from chorus.workspaces.models import Membership, Role, Workspace

    user = User.objects.create_user(email="bench@example.org", password="x" * 20, full_name="B")
    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="UTC")
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    channels = []
    for i in range(args.channels):
        channel = Channel(workspace=workspace, network="mastodon", name=f"c{i}", remote_id=str(i))
        channel.credentials = {"access_token": f"tok-{i}"}
        channel.settings = {"base_url": root}
        channels.append(channel)
    channels = Channel.objects.bulk_create(channels)
    posts = Post.objects.bulk_create(
        Post(workspace=workspace, author=user, text=post_text(i)) for i in range(args.posts)
    )
    start = timezone.now() + timedelta(seconds=lead_s)
    PostTarget.objects.bulk_create(
        (
            PostTarget(
                workspace=workspace,
                post=post,
                channel=channels[i % len(channels)],
                text=post.text,
                state=State.SCHEDULED,
                scheduled_at=(when := start + timedelta(seconds=60 * i / args.posts)),
                due_at=when,
            )
            for i, post in enumerate(posts)
        ),
        batch_size=1000,
    )
    return start.timestamp()


def post_text(i: int) -> str:
    return f"Bench post #{i}: the community meetup is on Thursday."


def counts() -> dict[str, int]:
    from django.db.models import Count

    from chorus.publishing.models import PostTarget

    rows = PostTarget.objects.values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def wait_until_done(args: argparse.Namespace, env: dict[str, str], workers: list[Any]) -> float:
    """Poll until every target is published or failed; kill and restart a worker half-way."""
    started = time.monotonic()
    killed = False
    while time.monotonic() - started < args.timeout:
        state = counts()
        done = state.get("published", 0) + state.get("failed", 0)
        print(f"  {time.monotonic() - started:6.1f}s {state}", file=sys.stderr, flush=True)
        if done >= args.posts:
            break
        if args.kill_worker and not killed and done >= args.posts // 2:
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            print("  killed worker 0 (SIGKILL), restarting it", file=sys.stderr, flush=True)
            time.sleep(1)
            workers[0] = start_worker(env, periodic=True)
            killed = True
        time.sleep(1)
    return time.time()


def lateness(root: str) -> tuple[dict[str, Any], list[float]]:
    from chorus.publishing.models import PostTarget, State

    stats = httpx.get(f"{root}/_standin/stats", timeout=60).json()
    first_made: dict[str, float] = {}
    for text, created in stats["created"]:
        first_made.setdefault(text, created)
    late = []
    by_second: dict[int, float] = {}
    for text, scheduled_at in PostTarget.objects.filter(state=State.PUBLISHED).values_list(
        "text", "scheduled_at"
    ):
        if text in first_made:
            late.append(max(0.0, first_made[text] - scheduled_at.timestamp()))
            second = int(scheduled_at.timestamp())
            by_second[second] = max(by_second.get(second, 0.0), late[-1])
    # The latest seconds of the plan (wall-clock second % 60, worst lateness): a spike at the
    # same second every minute points at periodic work (the minute's sweep, inbox polling).
    worst = sorted(by_second.items(), key=lambda item: -item[1])[:5]
    stats["worst_seconds"] = [[second % 60, round(value, 2)] for second, value in worst]
    return stats, late


def baseline(args: argparse.Namespace) -> float:
    """The same posts by a bare loop of httpx calls, same concurrency, no database, no queue."""
    process, root = start_standin(args.latency_ms, faults=False)
    concurrency = BASELINE_CONCURRENCY
    try:
        with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as http:

            def send(i: int) -> None:
                http.post(
                    f"{root}/api/v1/statuses",
                    json={"status": post_text(i)},
                    headers={
                        "Authorization": f"Bearer tok-{i % args.channels}",
                        "Idempotency-Key": str(uuid.uuid4()),
                    },
                )

            started = time.monotonic()
            with ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(send, range(args.posts)))
            return time.monotonic() - started
    finally:
        process.terminate()
        process.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far (Linux /proc), 0 if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def run(args: argparse.Namespace, tmp: Path, database_url: str) -> dict[str, Any]:
    env = environment(tmp, database_url)
    setup_django(env)
    standin, root = start_standin(args.latency_ms, args.faults)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        lead = 10 + args.posts / 2000  # time to create the rows and start the workers
        t0 = create_plan(args, root, lead)
        workers = [start_worker(env, periodic=True), start_worker(env, periodic=False)]
        from chorus.publishing import sweeper, tasks

        # What the web process does when posts are scheduled: hand the due ones to the queue.
        sweeper.dispatch_due(enqueue_batch=tasks.enqueue_batch)
        finished = wait_until_done(args, env, workers)
        state = counts()
        stats, late = lateness(root)
        cpu = {
            "workers": sum(cpu_seconds(worker.pid) for worker in workers),
            "standin": cpu_seconds(standin.pid),
        }
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
        standin.terminate()
        standin.wait()
    published, failed = state.get("published", 0), state.get("failed", 0)
    return {
        "db": "postgresql" if database_url else "sqlite",
        "posts": args.posts,
        "published": published,
        "failed": failed,
        "duplicates": stats["duplicate_texts"],
        "lost": args.posts - published - failed,
        "lateness_p50_s": round(percentile(late, 50), 3),
        "lateness_p99_s": round(percentile(late, 99), 3),
        "lateness_max_s": round(max(late, default=0.0), 3),
        "baseline_s": round(baseline(args), 2),
        "chorus_s": round(finished - t0, 2),
        "channels": args.channels,
        "latency_ms": args.latency_ms,
        "faults": args.faults,
        "kill_worker": args.kill_worker,
        "statuses_on_standin": stats["statuses"],
        "worst_seconds": stats["worst_seconds"],
        # CPU of the surviving workers per published post, and of the stand-in, for profiling.
        "load_avg_1m": round(os.getloadavg()[0], 1),  # other work on the machine skews lateness
        "worker_cpu_ms_per_post": round(1000 * cpu["workers"] / max(published, 1), 2),
        "standin_cpu_s": round(cpu["standin"], 1),
    }


def main() -> None:
    args = parse_args()
    given = os.environ.get("DATABASE_URL", "")
    database_url, db_name = fresh_postgres(given) if given else ("", "")
    try:
        with tempfile.TemporaryDirectory(prefix="chorus-bench-") as tmp:
            result = run(args, Path(tmp), database_url)
    finally:
        if db_name:
            from django.db import connections

            connections.close_all()
            drop_postgres(given, db_name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
