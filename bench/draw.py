"""Benchmark of the verifiable draw (chorus-draw-v1) on a contest with a million entries.

1. Draw: ``--entries`` synthetic people (``mastodon:<n>``, in shuffled order, some entered twice)
   are frozen, drawn and certified by ``chorus.engagement.draw`` with a secret seed committed
   beforehand: ``draw_seconds`` (target < 5 s).
2. Verify: the stand-alone verifier, taken from ``docs/contests-verify.md`` exactly as published,
   runs in its own bare interpreter on the certificate file: ``verify_seconds`` (target < 5 s,
   JSON reading included); and Chorus's own ``verify``: ``chorus_verify_seconds``.
3. Baseline, in the same run: plain sorting and hashing of the same list, the least any draw over
   these entries must do: ``baseline_seconds``.

Each figure comes with its CPU time (``*_cpu_seconds``): on a shared machine wall-clock time
also counts the waits for a core.

``--out FILE`` writes the certificate JSON (the stand-alone verifier accepts it; change an entry,
the seed or a pick and it refuses). The last output line is one JSON object.

    python bench/draw.py [--entries 1000000] [--winners 3] [--alternates 2] [--out cert.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chorus.engagement import draw  # noqa: E402 - after the path is set

VERIFIER_DOC = REPO / "docs" / "contests-verify.md"


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


def run_draw(entry_ids: list[str], winners: int, alternates: int) -> dict[str, Any]:
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


def baseline(entry_ids: list[str]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    ordered = sorted(set(entry_ids))
    hashlib.sha256("\n".join(ordered).encode()).hexdigest()
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--winners", type=int, default=3)
    parser.add_argument("--alternates", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the certificate JSON here")
    args = parser.parse_args(argv)

    entry_ids = synthetic_entries(args.entries)
    print(f"{len(entry_ids)} entry ids ({args.entries} people)", flush=True)

    started, cpu = time.perf_counter(), time.process_time()
    certificate = run_draw(entry_ids, args.winners, args.alternates)
    draw_seconds, draw_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"draw: {draw_seconds:.2f} s, picks {certificate['picks']}", flush=True)

    started = time.perf_counter()
    problems = draw.verify(certificate)
    chorus_verify_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        path = args.out or Path(folder) / "certificate.json"
        path.write_text(json.dumps(certificate, ensure_ascii=False), encoding="utf-8")
        verify_seconds, verify_cpu, result = run_verifier(path)
    print(f"stand-alone verifier: {verify_seconds:.2f} s: {result.stdout.strip()}", flush=True)

    baseline_seconds, baseline_cpu = baseline(entry_ids)
    figures = {
        "entries": len(certificate["entries"]),
        "picks": len(certificate["picks"]),
        "draw_seconds": round(draw_seconds, 3),
        "draw_cpu_seconds": round(draw_cpu, 3),
        "verify_seconds": round(verify_seconds, 3),
        "verify_cpu_seconds": round(verify_cpu, 3),
        "verifier_says_valid": result.returncode == 0,
        "chorus_verify_seconds": round(chorus_verify_seconds, 3),
        "chorus_verify_problems": len(problems),
        "baseline_seconds": round(baseline_seconds, 3),
        "baseline_cpu_seconds": round(baseline_cpu, 3),
        "draw_target_seconds": 5,
        "verify_target_seconds": 5,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
