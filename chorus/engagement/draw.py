"""The verifiable draw, algorithm ``chorus-draw-v1`` (issue 15), exactly as it is published.

Commit, then reveal:

1. When a contest opens, its *spec* (contest id, SHA-256 of the rules, closing time, number of
   winners and alternates, the algorithm, and the randomness to come) is serialised as canonical
   JSON and its SHA-256 is published: the *commitment*.
2. At closing the entries are frozen: one id per person (``network:author_id``), unique, sorted
   by their UTF-8 bytes, joined with ``\\n``; the SHA-256 of that text is ``entries_sha256``.
3. The seed is the committed drand round's randomness (its signature checked) or the secret
   whose SHA-256 was committed.
4. Pick ``i`` (0, 1, …) takes ``remaining[j]`` with
   ``j = int(SHA-256(seed ‖ entries_sha256 bytes ‖ i as 4-byte big-endian)) mod len(remaining)``
   and removes it; ``remaining`` stays sorted. Winners first, then alternates. With fewer
   entries than places, :func:`draw` and :func:`verify` pick everyone, in draw order.

Standard library only, no Django: workers, the ``chorus verify-draw`` command and the benchmark
use it, and it reads like the algorithm anyone can re-run. Nothing here may change once a
certificate has been published: a certificate must re-verify forever.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

ALGORITHM = "chorus-draw-v1"

# The closing time in the spec: ISO 8601, UTC, whole seconds, a literal "Z" — fixed forever.
CLOSES_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

SPEC_KEYS = frozenset(
    {"contest", "rules_sha256", "closes_at", "winners", "alternates", "algorithm", "randomness"}
)
CERTIFICATE_KEYS = frozenset(
    {
        "algorithm",
        "spec",
        "commitment",
        "entries",
        "entries_sha256",
        "seed",
        "proof",
        "picks",
        "substitutions",
    }
)
SUBSTITUTION_KEYS = frozenset({"winner", "replaced_by", "reason", "at"})
SEED_MIN_BYTES = 32

# beacon_check(randomness committed in the spec, proof) -> does the round's signature verify?
BeaconCheck = Callable[[dict[str, Any], dict[str, Any]], bool]


def gettext_noop(text: str) -> str:
    """Marks a problem's words for translation (``makemessages`` finds them) without Django."""
    return text


class Problem(str):
    """A problem found by :func:`verify`, in English words (what the CLI prints), keeping its
    template and values so a page can say it in the reader's language
    (``gettext(problem.template) % problem.values``)."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Problem:
        problem = super().__new__(cls, template % values if values else template)
        problem.template, problem.values = template, values
        return problem


class DrawError(ValueError):
    """The draw cannot be made as asked (no entries, more picks than entries, a bad id …)."""


def canonical_json(value: Any) -> bytes:
    """Keys sorted, no spaces, UTF-8 (not \\u escapes): the bytes that are hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def format_closes_at(closes_at: datetime) -> str:
    """The spec's closing time: converted to UTC, seconds kept, fractions dropped."""
    if closes_at.tzinfo is None:
        raise DrawError("The closing time must carry its time zone.")
    return closes_at.astimezone(UTC).strftime(CLOSES_AT_FORMAT)


def contest_spec(
    *,
    contest: str,
    rules_text: str,
    closes_at: datetime,
    winners: int,
    alternates: int,
    randomness: dict[str, Any],
) -> dict[str, Any]:
    """The object whose canonical JSON is committed when the contest opens.

    ``rules_sha256`` is the SHA-256 of the rules text exactly as published (UTF-8 bytes)."""
    _check_counts(winners, alternates)
    problems = _randomness_problems(randomness)
    if problems:
        raise DrawError(" ".join(problems))
    return {
        "contest": str(contest),
        "rules_sha256": sha256_hex(rules_text.encode("utf-8")),
        "closes_at": format_closes_at(closes_at),
        "winners": winners,
        "alternates": alternates,
        "algorithm": ALGORITHM,
        "randomness": dict(randomness),
    }


def commitment(spec: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(spec))


def frozen_entries(entry_ids: Iterable[str]) -> tuple[list[str], str]:
    """One id per person, sorted by UTF-8 bytes; and the SHA-256 of the ids joined with \\n.

    Python orders texts by code point, which for any text UTF-8 can encode is the order of
    their UTF-8 bytes: a plain sort is the published order, at C speed for a million ids."""
    try:
        unique = set(entry_ids)
        if "" in unique:
            raise DrawError("An entry id is empty.")
        entries = sorted(unique)
        joined = "\n".join(entries)
        data = joined.encode("utf-8")
    except (TypeError, UnicodeEncodeError) as error:
        raise DrawError(f"Entry ids must be texts that UTF-8 can encode ({error}).") from error
    if joined.count("\n") != len(entries) - 1:
        raise DrawError("An entry id spans more than one line.")
    return entries, sha256_hex(data)


def entries_digest(entries: list[str]) -> str:
    return sha256_hex("\n".join(entries).encode("utf-8"))


def picks(seed: bytes, entries: list[str], entries_sha256: str, count: int) -> list[str]:
    """Step 4: ``count`` distinct entries, in pick order (winners first, then alternates)."""
    if not entries:
        raise DrawError("There are no entries to draw from.")
    if count < 1 or count > len(entries):
        raise DrawError(f"Cannot pick {count} from {len(entries)} entries.")
    salt = seed + bytes.fromhex(entries_sha256)
    remaining = list(entries)
    chosen = []
    for i in range(count):
        h = hashlib.sha256(salt + i.to_bytes(4, "big")).digest()
        j = int.from_bytes(h, "big") % len(remaining)
        chosen.append(remaining.pop(j))
    return chosen


def secret_randomness() -> tuple[bytes, dict[str, Any]]:
    """A fresh 32-byte secret seed, and what the spec commits to: its SHA-256."""
    seed = secrets.token_bytes(SEED_MIN_BYTES)
    return seed, {"source": "secret", "sha256": sha256_hex(seed)}


def substitution(*, winner: str, replaced_by: str, reason: str, at: datetime) -> dict[str, Any]:
    """A later change of winner (unreachable, ineligible …): listed, never re-drawn."""
    return {"winner": winner, "replaced_by": replaced_by, "reason": reason, "at": _iso(at)}


def certificate(
    *,
    spec: dict[str, Any],
    entries: list[str],
    seed: bytes,
    proof: dict[str, Any] | None,
    picks: list[str],
    substitutions: list[dict[str, Any]],
) -> dict[str, Any]:
    """The public certificate, with exactly the keys of the issue."""
    return {
        "algorithm": ALGORITHM,
        "spec": copy.deepcopy(spec),
        "commitment": commitment(spec),
        "entries": list(entries),
        "entries_sha256": entries_digest(entries),
        "seed": seed.hex(),
        "proof": copy.deepcopy(proof),
        "picks": list(picks),
        "substitutions": copy.deepcopy(substitutions),
    }


def draw(
    *,
    spec: dict[str, Any],
    entry_ids: Iterable[str],
    seed: bytes,
    proof: dict[str, Any] | None,
) -> dict[str, Any]:
    """Freeze, pick and certify in one go (the caller has checked the seed against the spec)."""
    entries, entries_sha256 = frozen_entries(entry_ids)
    count = spec["winners"] + spec["alternates"]
    chosen = picks(seed, entries, entries_sha256, min(count, len(entries)))
    return certificate(
        spec=spec, entries=entries, seed=seed, proof=proof, picks=chosen, substitutions=[]
    )


def verify(cert: dict[str, Any], *, beacon_check: BeaconCheck | None = None) -> list[str]:
    """Re-run everything; the problems found, in words. An empty list means the draw is valid.

    ``beacon_check`` verifies a drand round's signature (``chorus.engagement.drand`` gives one);
    without it the signature itself is not checked, only that the seed derives from it."""
    if not isinstance(cert, dict):
        return [Problem(gettext_noop("The certificate is not a JSON object."))]
    problems = _shape_problems(cert)
    if problems:
        return problems
    spec = cert["spec"]
    if commitment(spec) != cert["commitment"]:
        problems.append(
            Problem(gettext_noop("The commitment is not the SHA-256 of the spec's canonical JSON."))
        )
    problems += _entries_problems(cert)
    seed = _seed(cert, problems)
    if seed is not None:
        problems += _randomness_match(spec["randomness"], cert["proof"], seed, beacon_check)
        problems += _picks_problems(cert, seed)
    problems += _substitution_problems(cert)
    return problems


# --- checks -------------------------------------------------------------------------------------


def _check_counts(winners: Any, alternates: Any) -> None:
    if type(winners) is not int or winners < 1:
        raise DrawError(
            Problem(gettext_noop("The number of winners must be a whole number, at least 1."))
        )
    if type(alternates) is not int or alternates < 0:
        raise DrawError(
            Problem(gettext_noop("The number of alternates must be a whole number, 0 or more."))
        )


def _is_hex(value: Any, length: int | None = None) -> bool:
    if not isinstance(value, str) or (length is not None and len(value) != length):
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return len(value) % 2 == 0


def _randomness_problems(randomness: Any) -> list[str]:
    if not isinstance(randomness, dict):
        return [Problem(gettext_noop("The spec's randomness is not an object."))]
    source = randomness.get("source")
    if source == "secret" and set(randomness) == {"source", "sha256"}:
        if _is_hex(randomness["sha256"], 64):
            return []
        return [Problem(gettext_noop("The committed secret's SHA-256 is not 64 hex digits."))]
    if source == "drand" and set(randomness) == {"source", "chain_hash", "round"}:
        round_ = randomness["round"]
        if _is_hex(randomness["chain_hash"], 64) and type(round_) is int and round_ > 0:
            return []
        return [
            Problem(
                gettext_noop(
                    "The committed drand round needs a 64-hex-digit chain hash and a round above 0."
                )
            )
        ]
    return [
        Problem(
            gettext_noop("The spec's randomness is neither a drand round nor a secret's SHA-256.")
        )
    ]


def _shape_problems(cert: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if set(cert) != CERTIFICATE_KEYS:
        missing = sorted(CERTIFICATE_KEYS - set(cert))
        extra = sorted(set(cert) - CERTIFICATE_KEYS)
        problems.append(
            Problem(
                gettext_noop(
                    "The certificate's keys are wrong (missing %(missing)s, unexpected %(extra)s)."
                ),
                missing=missing,
                extra=extra,
            )
        )
        return problems
    if cert["algorithm"] != ALGORITHM:
        problems.append(
            Problem(
                gettext_noop("The algorithm is %(found)r, not %(expected)r."),
                found=cert["algorithm"],
                expected=ALGORITHM,
            )
        )
    spec = cert["spec"]
    if not isinstance(spec, dict) or set(spec) != SPEC_KEYS:
        return [
            *problems,
            Problem(gettext_noop("The spec does not have exactly the keys of chorus-draw-v1.")),
        ]
    if spec["algorithm"] != ALGORITHM:
        problems.append(
            Problem(
                gettext_noop("The spec's algorithm is %(found)r, not %(expected)r."),
                found=spec["algorithm"],
                expected=ALGORITHM,
            )
        )
    try:
        _check_counts(spec["winners"], spec["alternates"])
    except DrawError as error:
        problems.append(error.args[0])
    problems += _randomness_problems(spec["randomness"])
    if not (_is_hex(cert["commitment"], 64) and _is_hex(cert["entries_sha256"], 64)):
        problems.append(
            Problem(gettext_noop("commitment and entries_sha256 must be SHA-256 digests in hex."))
        )
    lists = ("entries", "picks", "substitutions")
    if not all(isinstance(cert[key], list) for key in lists):
        problems.append(Problem(gettext_noop("entries, picks and substitutions must be lists.")))
    elif not all(isinstance(item, str) for item in cert["entries"] + cert["picks"]):
        problems.append(Problem(gettext_noop("Entries and picks must be texts.")))
    return problems


def _entries_problems(cert: dict[str, Any]) -> list[str]:
    entries = cert["entries"]
    problems: list[str] = []
    try:
        expected, digest = frozen_entries(entries)
    except DrawError:
        return [Problem(gettext_noop("The entries are not one-line texts UTF-8 can encode."))]
    if expected != entries:
        problems.append(
            Problem(gettext_noop("The entries are not unique and sorted by their UTF-8 bytes."))
        )
        digest = entries_digest(entries)
    if digest != cert["entries_sha256"]:
        problems.append(
            Problem(
                gettext_noop(
                    "entries_sha256 is not the SHA-256 of the entries joined with newlines."
                )
            )
        )
    return problems


def _seed(cert: dict[str, Any], problems: list[str]) -> bytes | None:
    if not _is_hex(cert["seed"]):
        problems.append(Problem(gettext_noop("The seed is not hexadecimal.")))
        return None
    seed = bytes.fromhex(cert["seed"])
    if len(seed) < SEED_MIN_BYTES:
        problems.append(
            Problem(gettext_noop("The seed is shorter than %(bytes)s bytes."), bytes=SEED_MIN_BYTES)
        )
    return seed


def _randomness_match(
    randomness: dict[str, Any],
    proof: Any,
    seed: bytes,
    beacon_check: BeaconCheck | None,
) -> list[str]:
    if randomness["source"] == "secret":
        no_proof = Problem(gettext_noop("A secret seed has no proof: proof must be null."))
        problems: list[str] = [] if proof is None else [no_proof]
        if sha256_hex(seed) != randomness["sha256"]:
            problems.append(
                Problem(gettext_noop("The revealed seed's SHA-256 is not the one committed."))
            )
        return problems
    if not isinstance(proof, dict) or not _is_hex(proof.get("signature")):
        return [Problem(gettext_noop("The drand proof (round and signature) is missing."))]
    problems = []
    if proof.get("round") != randomness["round"]:
        problems.append(
            Problem(
                gettext_noop(
                    "The proof is for drand round %(proof_round)s, "
                    "but round %(round)s was committed."
                ),
                proof_round=proof.get("round"),
                round=randomness["round"],
            )
        )
    if hashlib.sha256(bytes.fromhex(proof["signature"])).digest() != seed:
        problems.append(
            Problem(gettext_noop("The seed is not the SHA-256 of the drand round's signature."))
        )
    if beacon_check is not None and not beacon_check(randomness, proof):
        problems.append(
            Problem(
                gettext_noop("The drand round's signature does not verify against the chain's key.")
            )
        )
    return problems


def _picks_problems(cert: dict[str, Any], seed: bytes) -> list[str]:
    spec, entries = cert["spec"], cert["entries"]
    count = min(spec["winners"] + spec["alternates"], len(entries))
    if not entries:
        return [Problem(gettext_noop("There are no entries."))]
    # With the published entries_sha256, as the stand-alone verifier does (a wrong one is
    # reported on its own).
    expected = picks(seed, entries, cert["entries_sha256"], count)
    if expected != cert["picks"]:
        return [Problem(gettext_noop("The picks are not the ones the seed and the entries give."))]
    return []


def _substitution_problems(cert: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    winners = cert["spec"]["winners"] if isinstance(cert["spec"], dict) else 0
    chosen = cert["picks"] if isinstance(cert["picks"], list) else []
    for number, item in enumerate(cert["substitutions"] or [], start=1):
        if not isinstance(item, dict) or set(item) != SUBSTITUTION_KEYS:
            problems.append(
                Problem(
                    gettext_noop("Substitution %(number)s does not have the keys %(keys)s."),
                    number=number,
                    keys=sorted(SUBSTITUTION_KEYS),
                )
            )
            continue
        if item["winner"] not in chosen[:winners]:
            problems.append(
                Problem(
                    gettext_noop("Substitution %(number)s replaces %(entry)r, who is no winner."),
                    number=number,
                    entry=item["winner"],
                )
            )
        if item["replaced_by"] not in chosen[winners:]:
            problems.append(
                Problem(
                    gettext_noop(
                        "Substitution %(number)s brings in %(entry)r, who is no alternate."
                    ),
                    number=number,
                    entry=item["replaced_by"],
                )
            )
    return problems


def _iso(moment: datetime) -> str:
    return format_closes_at(moment)
