"""bench/draw.py, run small through the contest services: its certificate is one the published
verifier accepts, and any change to an entry, the seed or a pick makes it refuse."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from chorus.engagement.models import Contest
from tests.engagement.draw_helpers import REPO, run_verifier


def load_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_draw", REPO / "bench" / "draw.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def change_entry(cert: dict[str, Any]) -> None:
    cert["entries"][10] = "mastodon:999999"


def change_seed(cert: dict[str, Any]) -> None:
    cert["seed"] = cert["seed"][:-2] + ("00" if cert["seed"][-2:] != "00" else "01")


def change_pick(cert: dict[str, Any]) -> None:
    cert["picks"][0] = next(e for e in cert["entries"] if e not in cert["picks"])


@pytest.mark.django_db
def test_the_bench_draws_through_the_contest_services_and_its_certificate_holds(
    tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "cert.json"
    figures = load_bench().main(
        ["--entries", "2000", "--winners", "3", "--alternates", "2", "--out", str(out)]
    )
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last_line) == figures
    assert figures["entries"] == 2000 and figures["picks"] == 5
    assert figures["verifier_says_valid"] is True and figures["chorus_verify_problems"] == 0
    for key in ("draw_seconds", "verify_seconds", "baseline_seconds"):
        assert figures[key] > 0

    certificate = json.loads(out.read_text(encoding="utf-8"))
    drawn = Contest.objects.get(title="A million entries")
    assert drawn.status == "drawn" and drawn.picks == certificate["picks"]
    assert len(certificate["entries"]) == 2000
    assert certificate["entries"][0] == "mastodon:1"  # frozen: sorted, duplicates gone

    # The published verifier accepts the written certificate and refuses any change to an
    # entry, the seed or a pick.
    assert run_verifier(tmp_path, certificate).returncode == 0
    for change in (change_entry, change_seed, change_pick):
        changed = copy.deepcopy(certificate)
        change(changed)
        result = run_verifier(tmp_path, changed)
        assert result.returncode == 1, f"{change.__name__}: {result.stdout}"
