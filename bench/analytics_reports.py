"""Report timings for the analytics benchmark: a monthly report as PDF and as PPTX (issue 13:
each under 10 s on the big data set).

``time_pdf_report(workspace, period)`` and ``time_pptx_report(workspace, period)`` are the
hooks ``bench/analytics.py`` calls on its data set; each builds the whole report (every section,
one format) exactly as a schedule does and returns the seconds it took. Run alone, this script
sets up a fresh database (a temporary SQLite, or a fresh PostgreSQL database when DATABASE_URL
is set), fills it with the analytics data set (``bench/analytics_data.py`` at ``--scale``, or
the demo workspace when that module is absent), times the busiest full month, and prints one
JSON object on its last line. The machine may be shared: the load average is in the JSON.

    python bench/analytics_reports.py --scale 0.1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/analytics_reports.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.analytics import drop_postgres, fresh_postgres  # noqa: E402  (one copy of each)


def time_report(workspace: Any, period: Any, fmt: str) -> tuple[float, float, int]:
    """Seconds (wall clock, then CPU of this process) to build every section of ``period`` in
    ``fmt``, and the file's size. On a shared machine the CPU time says what the report costs;
    the wall clock what a person waits there and then."""
    from chorus.analytics.reports.building import build_report
    from chorus.analytics.reports.sections import SECTION_KEYS

    began, cpu = time.perf_counter(), time.process_time()
    report = build_report(workspace, period, SECTION_KEYS, [fmt])
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    return seconds, cpu_seconds, report.files.get(format=fmt).size


def time_pdf_report(workspace: Any, period: Any) -> float:
    return time_report(workspace, period, "pdf")[0]


def time_pptx_report(workspace: Any, period: Any) -> float:
    return time_report(workspace, period, "pptx")[0]


def setup_django(tmp: Path, database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="chorus.settings",
        CHORUS_VAR_DIR=str(tmp),
        CHORUS_SQLITE_PATH=str(tmp / "chorus.sqlite3"),
        CHORUS_MEDIA_ROOT=str(tmp / "media"),
        CHORUS_SECRET_KEY=os.environ.get("CHORUS_SECRET_KEY", "bench-secret"),
        CHORUS_LOG_LEVEL="WARNING",
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(scale: float) -> tuple[Any, str]:
    """The workspace to report on, and which data set it holds."""
    from chorus.workspaces.models import Workspace

    try:
        from bench.analytics_data import build_dataset  # type: ignore[import-not-found]
    except ImportError:
        from chorus.today.demo import create_demo

        workspace, _password = create_demo("bench pass phrase 42")
        return workspace, "demo"
    dataset = build_dataset(scale)
    return Workspace.objects.get(pk=dataset.workspace_id), f"analytics_data scale {scale}"


def busiest_month(workspace: Any) -> Any:
    """The full month with the most posts (a report of an empty month proves nothing)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from chorus.analytics.models import PostMetrics
    from chorus.analytics.reports.periods import ReportPeriod

    today = date.today()
    months = (
        PostMetrics.objects.filter(workspace=workspace)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    for row in months:
        start = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        if (start.year, start.month) != (today.year, today.month):
            return ReportPeriod.month(start.year, start.month), row["n"]
    return ReportPeriod.month_before(today), 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's data set")
    args = parser.parse_args()
    given_url = os.environ.pop("DATABASE_URL", "")
    url, made = fresh_postgres(given_url) if given_url else ("", "")
    try:
        with tempfile.TemporaryDirectory(prefix="chorus-reports-") as tmp:
            setup_django(Path(tmp), url)
            workspace, data = fill(args.scale)
            period, posts = busiest_month(workspace)
            result: dict[str, Any] = {
                "database": "postgresql" if url else "sqlite",
                "data": data,
                "period": period.code,
                "posts_in_period": posts,
            }
            for fmt in ("pdf", "pptx", "csv"):
                seconds, cpu_seconds, size = time_report(workspace, period, fmt)
                result[f"{fmt}_seconds"] = round(seconds, 2)
                result[f"{fmt}_cpu_seconds"] = round(cpu_seconds, 2)
                result[f"{fmt}_bytes"] = size
            result["targets_met"] = result["pdf_seconds"] < 10 and result["pptx_seconds"] < 10
            result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if made:
            drop_postgres(given_url, made)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
