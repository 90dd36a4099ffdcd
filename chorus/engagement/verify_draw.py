"""``chorus verify-draw CERT.json``: re-run a published draw and say, in words, whether it holds.

Everything is re-computed from the certificate alone (commitment, entries, seed, picks) and a
drand round's BLS signature is checked against the chain's key. No database, no sign-in: anyone
with Chorus installed can run it on a certificate downloaded from a contest's public page.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from chorus.engagement import drand
from chorus.engagement.draw import verify


def run(path: str, out: TextIO, stdin: TextIO | None = None) -> int:
    """0 and "valid" when the draw holds; 1 and each problem, one a line, when it does not."""
    try:
        certificate = _read(path, stdin)
    except (OSError, ValueError) as error:
        out.write(f"invalid: cannot read the certificate {path}: {error}\n")
        return 1
    problems = verify(certificate, beacon_check=drand.check_proof)
    if problems:
        out.write(f"invalid: {len(problems)} problem(s) in {path}\n")
        out.writelines(f"- {problem}\n" for problem in problems)
        return 1
    out.write(_summary(certificate))
    return 0


def _read(path: str, stdin: TextIO | None) -> Any:
    if path == "-" and stdin is not None:
        return json.load(stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _summary(certificate: dict[str, Any]) -> str:
    spec = certificate["spec"]
    randomness = spec["randomness"]
    if randomness["source"] == "drand":
        source = f"drand round {randomness['round']}, its signature verified"
    else:
        source = "the secret seed committed before the draw"
    winners = certificate["picks"][: spec["winners"]]
    alternates = certificate["picks"][spec["winners"] :]
    lines = [
        f"valid: contest {spec['contest']} was drawn as committed ({certificate['commitment']}).",
        f"  entries: {len(certificate['entries'])}, sha256 {certificate['entries_sha256']}",
        f"  randomness: {source}",
        f"  winners: {', '.join(winners)}",
        f"  alternates: {', '.join(alternates) or 'none'}",
    ]
    for item in certificate["substitutions"]:
        change = f"{item['winner']} -> {item['replaced_by']}"
        lines.append(f"  substitution at {item['at']}: {change}, {item['reason']}")
    return "\n".join(lines) + "\n"
