"""Benchmark of the verifiable draw (chorus-draw-v1) on a contest with a million entries.

1. Draw, through Chorus's own contest services (``chorus.engagement.contests``) on a real
   database: a contest is opened with a secret seed (the commitment stored), and once its
   closing time has passed, ``close_contest`` freezes ``--entries`` synthetic people
   (``mastodon:<n>``, in arrival order, some entered twice), ``draw_contest`` draws and
   ``certificate_of`` builds the certificate from the stored contest: ``draw_seconds``
   (target < 5 s). Gathering and judging entries from the inbox is not part of it
   (``bench/ingest.py`` measures the inbox): the million ids are handed to ``close_contest`` in
   place of the inbox's list. ``pure_draw_seconds``: the same draw with the pure functions of
   ``chorus.engagement.draw`` alone, no database.
2. Verify: the stand-alone verifier, taken from ``docs/contests-verify.md`` exactly as published,
   runs in its own bare interpreter on the certificate file: ``verify_seconds`` (target < 5 s,
   JSON reading included); and Chorus's own check of the stored draw (``problems_of``):
   ``chorus_verify_seconds``.
3. Baseline, in the same run: plain sorting and hashing of the same list, the least any draw over
   these entries must do: ``baseline_seconds``.

Each figure comes with its CPU time (``*_cpu_seconds``): on a shared machine wall-clock time
also counts the waits for a core. SQLite runs in a temporary folder; with DATABASE_URL the bench
uses that PostgreSQL database (its own workspace, left there). ``--out FILE`` writes the
certificate JSON (the stand-alone verifier accepts it; change an entry, the seed or a pick and it
refuses). The last output line is one JSON object.

    python bench/draw.py [--entries 1000000] [--winners 3] [--alternates 2] [--out cert.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chorus.engagement import draw  # noqa: E402 - after the path is set

VERIFIER_DOC = REPO / "docs" / "contests-verify.md"


class Clock:
    """Wall-clock and CPU seconds of what runs inside ``measure``."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall, self.cpu = time.perf_counter() - wall, time.process_time() - cpu


def synthetic_entries(count: int) -> list[str]:
    """A million people as a contest would gather them: ids in arrival order, not sorted, and
    a few who entered twice (the freeze keeps one entry per person)."""
    chance = random.Random(15)  # noqa: S311 - the entry list's order, not the draw's chance
    ids = [f"mastodon:{n}" for n in range(1, count + 1)]
    chance.shuffle(ids)
    return ids + ids[: max(1, count // 1000)]


def verifier_source() -> str:
    text = VERIFIER_DOC.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, re.S | re.M)[0]


# --- through the contest services ---------------------------------------------------------------


def prepare_database() -> None:
    from django.apps import apps

    if apps.ready:
        return  # the caller (the tests) set Django up and owns the database
    scratch = tempfile.mkdtemp(prefix="chorus-bench-draw-")
    os.environ.setdefault("CHORUS_VAR_DIR", scratch)
    os.environ.setdefault("CHORUS_SQLITE_PATH", str(Path(scratch) / "bench.sqlite3"))
    os.environ.setdefault("CHORUS_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "chorus.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def open_contest(winners: int, alternates: int, closes_in: timedelta) -> Any:
    from django.utils import timezone

    from chorus.engagement import contests
    from chorus.engagement.models import Contest
    from chorus.workspaces.models import Workspace

    slug = f"bench-draw-{uuid.uuid4().hex[:8]}"
    workspace = Workspace.objects.create(name="Bench draw", slug=slug, timezone="Europe/Paris")
    now = timezone.now()
    contest = Contest.objects.create(
        workspace=workspace,
        title="A million entries",
        organiser="Chorus bench",
        prizes="A mug",
        opens_at=now,
        closes_at=now + closes_in,
        winners=winners,
        alternates=alternates,
        randomness_source="secret",
        rules_text="Benchmark contest rules.",
    )
    return contests.open_contest(contest, None)


@contextmanager
def entries_handed_over(entry_ids: list[str]) -> Iterator[None]:
    """close_contest reads the contest's entries from the inbox; here it gets the synthetic
    list instead (the inbox has its own benchmark)."""
    from chorus.engagement import contests

    gather: Callable[..., Any] = contests.contest_entries.entries_of
    contests.contest_entries.entries_of = lambda _contest: SimpleNamespace(counting_ids=entry_ids)
    try:
        yield
    finally:
        contests.contest_entries.entries_of = gather


def draw_through_services(
    entry_ids: list[str], winners: int, alternates: int, clock: Clock, check: Clock
) -> dict[str, Any]:
    from chorus.engagement import contests
    from chorus.engagement.models import Contest

    closes_in = timedelta(seconds=2)
    contest = open_contest(winners, alternates, closes_in)
    time.sleep(max(0.0, (contest.closes_at - datetime.now(UTC)).total_seconds()) + 0.1)
    with clock.measure(), entries_handed_over(entry_ids):
        contests.close_contest(contest, None)
        contests.draw_contest(Contest.objects.get(pk=contest.pk), None)
        certificate = contests.certificate_of(Contest.objects.get(pk=contest.pk))
    assert certificate is not None
    with check.measure():
        problems = contests.problems_of(Contest.objects.get(pk=contest.pk))
    certificate["_problems"] = problems
    return certificate


def draw_pure(entry_ids: list[str], winners: int, alternates: int) -> dict[str, Any]:
    seed, randomness = draw.secret_randomness()
    spec = draw.contest_spec(
        contest="0b7e5f0e-3c55-4d1a-9d8e-5a3b2c1d0e9f",
        rules_text="Benchmark contest rules.",
        closes_at=datetime(2026, 12, 24, 18, 0, tzinfo=UTC),
        winners=winners,
        alternates=alternates,
        randomness=randomness,
    )
    return draw.draw(spec=spec, entry_ids=entry_ids, seed=seed, proof=None)


# --- verifying and the baseline -----------------------------------------------------------------


def run_verifier(
    certificate_path: Path,
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall-clock and CPU seconds of the published verifier (the CPU figure is what the
    machine would take unshared)."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "verify_draw.py"
        script.write_text(verifier_source(), encoding="utf-8")
        before = _children_cpu()
        started = time.perf_counter()
        result = subprocess.run(  # noqa: S603 - our interpreter, the published verifier
            [sys.executable, "-I", str(script), str(certificate_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        return time.perf_counter() - started, _children_cpu() - before, result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(entry_ids: list[str], clock: Clock) -> None:
    with clock.measure():
        ordered = sorted(set(entry_ids))
        hashlib.sha256("\n".join(ordered).encode()).hexdigest()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--winners", type=int, default=3)
    parser.add_argument("--alternates", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the certificate JSON here")
    args = parser.parse_args(argv)

    prepare_database()
    entry_ids = synthetic_entries(args.entries)
    print(f"{len(entry_ids)} entry ids ({args.entries} people)", flush=True)

    drawn, checked, pure, plain = Clock(), Clock(), Clock(), Clock()
    certificate = draw_through_services(entry_ids, args.winners, args.alternates, drawn, checked)
    problems = certificate.pop("_problems")
    print(f"draw through the services: {drawn.wall:.2f} s, picks {certificate['picks']}")
    with pure.measure():
        draw_pure(entry_ids, args.winners, args.alternates)
    print(f"draw with the pure functions: {pure.wall:.2f} s", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        path = args.out or Path(folder) / "certificate.json"
        path.write_text(json.dumps(certificate, ensure_ascii=False), encoding="utf-8")
        verify_seconds, verify_cpu, result = run_verifier(path)
    print(f"stand-alone verifier: {verify_seconds:.2f} s: {result.stdout.strip()}", flush=True)
    baseline(entry_ids, plain)

    figures = {
        "entries": len(certificate["entries"]),
        "picks": len(certificate["picks"]),
        "draw_seconds": round(drawn.wall, 3),
        "draw_cpu_seconds": round(drawn.cpu, 3),
        "pure_draw_seconds": round(pure.wall, 3),
        "pure_draw_cpu_seconds": round(pure.cpu, 3),
        "verify_seconds": round(verify_seconds, 3),
        "verify_cpu_seconds": round(verify_cpu, 3),
        "verifier_says_valid": result.returncode == 0,
        "chorus_verify_seconds": round(checked.wall, 3),
        "chorus_verify_problems": len(problems),
        "baseline_seconds": round(plain.wall, 3),
        "baseline_cpu_seconds": round(plain.cpu, 3),
        "draw_target_seconds": 5,
        "verify_target_seconds": 5,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
