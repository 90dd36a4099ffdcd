"""The two ways to check a draw: ``chorus verify-draw`` and the docs' stand-alone verifier.

The stand-alone verifier is taken from the docs page itself and run with a bare interpreter, so
the page cannot drift from the algorithm; it must agree with Chorus's own ``verify`` on valid
certificates and on every tampering.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from chorus.cli import main
from chorus.engagement import draw
from tests.engagement.draw_helpers import VERIFIER_DOCS, run_verifier, vectors, verifier_source

VECTORS = vectors()


def certificate_of(vector: dict[str, Any]) -> dict[str, Any]:
    return draw.certificate(
        spec=vector["spec"],
        entries=vector["entries"],
        seed=bytes.fromhex(vector["seed"]),
        proof=vector["proof"],
        picks=vector["picks"],
        substitutions=[],
    )


def change_entry(cert: dict[str, Any]) -> None:
    cert["entries"][3] = cert["entries"][3] + "0"


def change_seed(cert: dict[str, Any]) -> None:
    cert["seed"] = "ff" + cert["seed"][2:]


def change_pick(cert: dict[str, Any]) -> None:
    cert["picks"][-1] = next(e for e in cert["entries"] if e not in cert["picks"])


def change_spec(cert: dict[str, Any]) -> None:
    cert["spec"]["alternates"] += 1


def change_round(cert: dict[str, Any]) -> None:
    if cert["proof"]:
        cert["proof"]["round"] += 1
    else:
        cert["spec"]["randomness"]["sha256"] = "0" * 64


TAMPERINGS = [change_entry, change_seed, change_pick, change_spec, change_round]


def test_the_french_page_publishes_the_same_verifier() -> None:
    assert verifier_source(VERIFIER_DOCS[1]) == verifier_source(VERIFIER_DOCS[0])


def test_the_verifier_is_about_thirty_lines_of_standard_library() -> None:
    source = verifier_source()
    assert len(source.splitlines()) <= 40
    imports = {line for line in source.splitlines() if line.startswith(("import", "from"))}
    assert imports == {"import hashlib, json, sys"}


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_stand_alone_verifier_accepts_the_vectors(
    tmp_path: Path, vector: dict[str, Any]
) -> None:
    result = run_verifier(tmp_path, certificate_of(vector))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid")


@pytest.mark.parametrize("vector", VECTORS, ids=["secret", "drand"])
@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_both_verifiers_reject_every_tampering(
    tmp_path: Path, vector: dict[str, Any], tamper: Any
) -> None:
    cert = copy.deepcopy(certificate_of(vector))
    tamper(cert)
    assert draw.verify(cert) != []
    result = run_verifier(tmp_path, cert)
    assert result.returncode == 1
    assert result.stdout.strip() and not result.stdout.startswith("valid")


# --- chorus verify-draw -------------------------------------------------------------------------


def run_cli(tmp_path: Path, cert: dict[str, Any], capsys: Any) -> tuple[int, str]:
    path = tmp_path / "certificate.json"
    path.write_text(json.dumps(cert, ensure_ascii=False), encoding="utf-8")
    code = main(["verify-draw", str(path)])
    return code, capsys.readouterr().out


def test_verify_draw_says_valid_and_checks_the_drand_signature(tmp_path: Path, capsys: Any) -> None:
    code, out = run_cli(tmp_path, certificate_of(VECTORS[1]), capsys)
    assert code == 0
    assert out.startswith("valid: contest c9a1d7e0-1f2b-4e3d-8a5c-6b7d9e0f1a2b")
    assert "drand round 1000, its signature verified" in out
    assert f"winners: {VECTORS[1]['picks'][0]}" in out


def test_verify_draw_lists_each_problem_and_exits_1(tmp_path: Path, capsys: Any) -> None:
    cert = certificate_of(VECTORS[0])
    change_seed(cert)
    change_spec(cert)
    code, out = run_cli(tmp_path, cert, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("invalid: 3 problem(s)")
    assert "- The commitment is not the SHA-256 of the spec's canonical JSON." in lines
    assert "- The revealed seed's SHA-256 is not the one committed." in lines


def test_verify_draw_refuses_a_forged_drand_signature(tmp_path: Path, capsys: Any) -> None:
    """A forger who picks any 48 bytes as the "signature" and derives the seed and picks from
    them passes the stand-alone checks — only the BLS check catches it."""
    vector = VECTORS[1]
    forged_signature = "b3" + vector["proof"]["signature"][2:]
    seed = draw.hashlib.sha256(bytes.fromhex(forged_signature)).digest()
    cert = draw.draw(
        spec=vector["spec"],
        entry_ids=vector["entries"],
        seed=seed,
        proof={"round": 1000, "signature": forged_signature},
    )
    assert draw.verify(cert) == []  # everything else holds
    code, out = run_cli(tmp_path, cert, capsys)
    assert code == 1
    assert "- The drand round's signature does not verify against the chain's key." in out


def test_verify_draw_reads_standard_input_and_says_when_it_cannot_read(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(certificate_of(VECTORS[0]))))
    assert main(["verify-draw", "-"]) == 0
    assert capsys.readouterr().out.startswith("valid")
    (tmp_path / "broken.json").write_text("{not json")
    assert main(["verify-draw", str(tmp_path / "broken.json")]) == 1
    assert "cannot read the certificate" in capsys.readouterr().out
    assert main(["verify-draw", str(tmp_path / "missing.json")]) == 1
