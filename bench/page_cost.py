"""CPU cost of one page, in-process: what a page costs the server whatever the neighbours do.

On a shared machine wrk's pages/s depend on everyone else's load; the CPU time the Django stack
spends on one page does not (much). This script builds the demo workspace in a fresh database
(a SQLite file in a temporary directory, or DATABASE_URL), signs in as the demo user through the
test client, then renders each page ``--renders`` times after a warm-up and reports, per page,
the median CPU milliseconds (``time.process_time``) of making the page (``cpu_ms``: kept pages are
forgotten first, as after any write) and of serving it kept (``kept_cpu_ms``: nothing written
since), the queries and the template nodes rendered when it is made.
/healthz is measured in the same run as a baseline: compare pages with it, not across days.

    python bench/page_cost.py --renders 50
    python bench/page_cost.py --profile inbox      # cProfile of that page, top 30 by own time
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_perf python bench/page_cost.py

The last output line is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
VAR = tempfile.mkdtemp(prefix="chorus-page-cost-")
os.environ.setdefault("CHORUS_VAR_DIR", VAR)
os.environ.setdefault("CHORUS_SECRET_KEY", "bench-only")
os.environ.setdefault("CHORUS_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("CHORUS_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402

from chorus.workspaces import kept  # noqa: E402

PAGES = {
    "healthz": "/healthz",
    "inbox": "/inbox/",
    "today": "/today/",
    "calendar": "/publishing/calendar/",
}


class NodeCounter:
    """Counts Node.render_annotated calls: every template node rendered, includes and loops too,
    except plain text (Django's TextNode skips render_annotated): tags and variables only."""

    def __init__(self) -> None:
        self.count = 0
        self._original = template_base.Node.render_annotated

    def __enter__(self) -> NodeCounter:
        original, counter = self._original, self

        def counted(node: Any, context: Any) -> Any:
            counter.count += 1
            return original(node, context)

        template_base.Node.render_annotated = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        template_base.Node.render_annotated = self._original  # type: ignore[method-assign]


class Recorder:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.into.append(sql)
        return execute(sql, params, many, context)


def prepare() -> Client:
    from chorus.accounts.models import User
    from chorus.today.demo import DEMO_EMAIL, create_demo

    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    create_demo("bench page cost 1", reset=True)
    client = Client()
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    return client


def fetch(client: Client, path: str) -> None:
    response = client.get(path)
    # /healthz says 503 when no worker beats (none runs here); it is still the same work.
    if response.status_code != 200 and not (path == "/healthz" and response.status_code == 503):
        raise SystemExit(f"{path} answered {response.status_code}")


def cost(client: Client, path: str, renders: int) -> dict[str, Any]:
    for _ in range(3):
        fetch(client, path)  # warm: caches, compiled templates, connections
    # Not CaptureQueriesContext: the request_started signal empties its log mid-page.
    kept.PAGES.clear()
    queries: list[str] = []
    with connection.execute_wrapper(Recorder(queries)), NodeCounter() as nodes:
        fetch(client, path)
    spent, kept_spent = [], []
    for _ in range(renders):
        kept.PAGES.clear()  # the page is made, as after any write
        started = time.process_time()
        fetch(client, path)
        spent.append((time.process_time() - started) * 1000)
        started = time.process_time()
        fetch(client, path)  # the same page again, kept: nothing was written
        kept_spent.append((time.process_time() - started) * 1000)
    return {
        "cpu_ms": round(statistics.median(spent), 2),
        "cpu_ms_min": round(min(spent), 2),
        "kept_cpu_ms": round(statistics.median(kept_spent), 2),
        "queries": len(queries),
        "writes": sum(1 for sql in queries if not sql.lstrip().upper().startswith("SELECT")),
        "template_nodes": nodes.count,
    }


def profile(client: Client, path: str, renders: int) -> None:
    fetch(client, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        kept.PAGES.clear()
        fetch(client, path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("chorus/", 40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--profile", choices=list(PAGES), help="print a cProfile of one page")
    args = parser.parse_args()
    client = prepare()
    if args.profile:
        profile(client, PAGES[args.profile], args.renders)
        return
    results = {}
    for name in args.pages.split(","):
        results[name] = cost(client, PAGES[name], args.renders)
        print(f"{name:9} {json.dumps(results[name])}", flush=True)
    print(
        json.dumps(
            {
                "bench": "page_cost",
                "database": connection.vendor,
                "debug": django.conf.settings.DEBUG,
                "renders": args.renders,
                "load": [round(x, 2) for x in os.getloadavg()],
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
