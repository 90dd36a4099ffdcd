"""Shared by the draw's tests: the checked-in vectors, recorded drand rounds, the docs' verifier."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RECORDINGS = HERE / "recordings"
VERIFIER_DOCS = (
    REPO / "docs" / "contests-verify.md",
    REPO / "docs" / "fr" / "concours-verification.md",
)


def vectors() -> list[dict[str, Any]]:
    return json.loads((HERE / "draw_vectors.json").read_text(encoding="utf-8"))


def recorded_rounds() -> list[dict[str, Any]]:
    return json.loads((RECORDINGS / "quicknet-rounds.json").read_text(encoding="utf-8"))


def verifier_source(doc: Path = VERIFIER_DOCS[0]) -> str:
    """The one ```python block of the page: the stand-alone verifier, exactly as published."""
    blocks = re.findall(r"^```python\n(.*?)^```$", doc.read_text(encoding="utf-8"), re.S | re.M)
    assert len(blocks) == 1, f"{doc.name} must hold exactly one python block, the verifier"
    return blocks[0]


def run_verifier(tmp_path: Path, certificate: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    """Run the docs' verifier as a reader would: its own file, plain python, isolated (-I: no
    site-packages, no Chorus on the path), on a certificate file."""
    script = tmp_path / "verify_draw.py"
    script.write_text(verifier_source(), encoding="utf-8")
    cert = tmp_path / "certificate.json"
    cert.write_text(json.dumps(certificate, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(  # noqa: S603 - our own interpreter, our own files
        [sys.executable, "-I", str(script), str(cert)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
