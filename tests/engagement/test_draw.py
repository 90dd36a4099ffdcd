"""chorus-draw-v1 against fixed vectors, and every way a certificate can be wrong."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from chorus.engagement import draw
from tests.engagement.draw_helpers import REPO, vectors

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


def secret_certificate() -> dict[str, Any]:
    return certificate_of(VECTORS[0])


# --- the vectors --------------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_algorithm_gives_the_checked_in_vectors(vector: dict[str, Any]) -> None:
    spec = draw.contest_spec(
        contest=vector["spec"]["contest"],
        rules_text=vector["rules_text"],
        closes_at=datetime.fromisoformat(vector["closes_at_input"]),
        winners=vector["spec"]["winners"],
        alternates=vector["spec"]["alternates"],
        randomness=vector["spec"]["randomness"],
    )
    assert spec == vector["spec"]
    assert draw.canonical_json(spec).decode("utf-8") == vector["canonical_spec"]
    assert draw.commitment(spec) == vector["commitment"]
    entries, entries_sha256 = draw.frozen_entries(vector["raw_entries"])
    assert (entries, entries_sha256) == (vector["entries"], vector["entries_sha256"])
    count = spec["winners"] + spec["alternates"]
    assert (
        draw.picks(bytes.fromhex(vector["seed"]), entries, entries_sha256, count)
        == (vector["picks"])
    )


def test_the_vectors_spell_the_issue_out_by_hand() -> None:
    """The first vector recomputed with hashlib alone, step by step as issue 15 writes it."""
    vector = VECTORS[0]
    assert vector["spec"]["closes_at"] == "2026-12-24T18:00:00Z"  # 19:00 in Paris, in UTC
    assert (
        vector["spec"]["rules_sha256"] == hashlib.sha256(vector["rules_text"].encode()).hexdigest()
    )
    text = json.dumps(vector["spec"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == vector["commitment"]
    entries = vector["entries"]
    assert len(entries) == len(set(vector["raw_entries"])) == 11  # one person entered twice
    joined = "\n".join(entries).encode("utf-8")
    assert hashlib.sha256(joined).hexdigest() == vector["entries_sha256"]
    seed = bytes.fromhex(vector["seed"])
    remaining = list(entries)
    for i, expected in enumerate(vector["picks"]):
        h = hashlib.sha256(seed + bytes.fromhex(vector["entries_sha256"]) + i.to_bytes(4, "big"))
        j = int.from_bytes(h.digest(), "big") % len(remaining)
        assert remaining.pop(j) == expected


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_a_vector_certificate_verifies(vector: dict[str, Any]) -> None:
    assert draw.verify(certificate_of(vector)) == []


def test_draw_freezes_picks_and_certifies_in_one_go() -> None:
    vector = VECTORS[0]
    cert = draw.draw(
        spec=vector["spec"],
        entry_ids=reversed(vector["raw_entries"]),
        seed=bytes.fromhex(vector["seed"]),
        proof=None,
    )
    assert cert == certificate_of(vector)
    assert set(cert) == draw.CERTIFICATE_KEYS


# --- the parts ----------------------------------------------------------------------------------


def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_utf8() -> None:
    assert draw.canonical_json({"b": 1, "a": ["é", {"d": None, "c": True}]}) == (
        '{"a":["é",{"c":true,"d":null}],"b":1}'.encode()
    )


def test_entries_are_unique_and_sorted_by_their_utf8_bytes() -> None:
    entries, digest = draw.frozen_entries(["mastodon:b", "mastodon:é", "Mastodon:z", "mastodon:b"])
    assert entries == ["Mastodon:z", "mastodon:b", "mastodon:é"]
    assert digest == hashlib.sha256(b"Mastodon:z\nmastodon:b\nmastodon:\xc3\xa9").hexdigest()


def test_a_plain_sort_is_the_utf8_byte_order_even_beyond_the_basic_plane() -> None:
    ids = ["x:\U0001f600", "x:\uffff", "x:\u00e9", "x:z", "x:\U0010fffd", "x:\ud7ff", "x:\ue000"]
    entries, _ = draw.frozen_entries(ids)
    assert entries == sorted(ids, key=lambda entry: entry.encode("utf-8"))


@pytest.mark.parametrize("bad", ["", "two\nlines", 42, "x:\ud800", ["a"]])
def test_an_entry_id_must_be_one_line_of_text(bad: Any) -> None:
    with pytest.raises(draw.DrawError):
        draw.frozen_entries(["mastodon:1", bad])


def test_picks_refuse_no_entries_and_more_picks_than_entries() -> None:
    entries, digest = draw.frozen_entries(["a:1", "a:2"])
    with pytest.raises(draw.DrawError):
        draw.picks(bytes(32), [], draw.entries_digest([]), 1)
    with pytest.raises(draw.DrawError):
        draw.picks(bytes(32), entries, digest, 3)
    with pytest.raises(draw.DrawError):
        draw.picks(bytes(32), entries, digest, 0)
    assert sorted(draw.picks(bytes(32), entries, digest, 2)) == entries


def test_fewer_entries_than_places_picks_everyone_in_draw_order() -> None:
    spec = dict(VECTORS[0]["spec"], winners=3, alternates=2)
    cert = draw.draw(spec=spec, entry_ids=["a:1", "a:2"], seed=bytes(range(32)), proof=None)
    assert sorted(cert["picks"]) == ["a:1", "a:2"]
    assert draw.verify(cert) == []


def spec_with(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "contest": "4f0c8a2e-6b1d-4c3a-9e7f-2d5b8a1c0e93",
        "rules_text": "Rules",
        "closes_at": datetime(2026, 12, 24, 18, 0, tzinfo=UTC),
        "winners": 1,
        "alternates": 0,
        "randomness": {"source": "secret", "sha256": "0" * 64},
    }
    return draw.contest_spec(**{**arguments, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"closes_at": datetime(2026, 12, 24, 18, 0)},  # no time zone: which 18:00?
        {"winners": 0},
        {"winners": True},
        {"winners": 1.0},
        {"alternates": -1},
        {"randomness": {"source": "secret", "sha256": "not hex"}},
        {"randomness": {"source": "drand", "chain_hash": "0" * 64, "round": 0}},
        {"randomness": {"source": "dice"}},
    ],
)
def test_a_spec_refuses_what_could_not_be_verified(changes: dict[str, Any]) -> None:
    with pytest.raises(draw.DrawError):
        spec_with(**changes)


def test_the_closing_time_is_utc_to_the_second_with_a_z() -> None:
    paris = timezone(timedelta(hours=1))
    spec = spec_with(closes_at=datetime(2026, 12, 24, 19, 0, 59, 999999, tzinfo=paris))
    assert spec["closes_at"] == "2026-12-24T18:00:59Z"
    assert set(spec) == draw.SPEC_KEYS
    assert spec["algorithm"] == "chorus-draw-v1"


def test_a_secret_seed_is_fresh_and_committed_by_its_sha256() -> None:
    seed, randomness = draw.secret_randomness()
    other, _ = draw.secret_randomness()
    assert len(seed) == 32 and seed != other
    assert randomness == {"source": "secret", "sha256": hashlib.sha256(seed).hexdigest()}


# --- verify: every change is caught -------------------------------------------------------------


def problems_after(change: Any, cert: dict[str, Any] | None = None) -> list[str]:
    changed = copy.deepcopy(cert or secret_certificate())
    change(changed)
    return draw.verify(changed)


def test_changing_an_entry_is_caught() -> None:
    def swap_one(cert: dict[str, Any]) -> None:
        cert["entries"][0] = "mastodon:1"

    assert any("entries_sha256" in p for p in problems_after(swap_one))


def test_adding_an_entry_even_with_its_hash_updated_changes_the_picks_and_is_caught() -> None:
    def add_one(cert: dict[str, Any]) -> None:
        cert["entries"], cert["entries_sha256"] = draw.frozen_entries([*cert["entries"], "a:new"])

    assert problems_after(add_one) == ["The picks are not the ones the seed and the entries give."]


def test_an_unsorted_entry_list_is_caught() -> None:
    def reverse(cert: dict[str, Any]) -> None:
        cert["entries"].reverse()

    assert any("sorted" in p for p in problems_after(reverse))


def test_another_seed_is_caught() -> None:
    def reseed(cert: dict[str, Any]) -> None:
        cert["seed"] = "ff" * 32

    assert "The revealed seed's SHA-256 is not the one committed." in problems_after(reseed)


def test_a_short_seed_is_caught() -> None:
    def shorten(cert: dict[str, Any]) -> None:
        cert["seed"] = cert["seed"][:40]

    assert any("shorter" in p for p in problems_after(shorten))


def test_changed_picks_are_caught() -> None:
    def swap(cert: dict[str, Any]) -> None:
        cert["picks"][0], cert["picks"][1] = cert["picks"][1], cert["picks"][0]

    def replace(cert: dict[str, Any]) -> None:
        cert["picks"][0] = next(e for e in cert["entries"] if e not in cert["picks"])

    for change in (swap, replace):
        assert problems_after(change) == [
            "The picks are not the ones the seed and the entries give."
        ]


def test_a_changed_spec_no_longer_matches_its_commitment() -> None:
    def more_winners(cert: dict[str, Any]) -> None:
        cert["spec"]["winners"] = 4

    problems = problems_after(more_winners)
    assert "The commitment is not the SHA-256 of the spec's canonical JSON." in problems


@pytest.mark.parametrize("key", sorted(draw.CERTIFICATE_KEYS))
def test_a_missing_key_is_caught(key: str) -> None:
    def drop(cert: dict[str, Any]) -> None:
        del cert[key]

    assert any("keys are wrong" in p for p in problems_after(drop))


def test_digests_that_are_not_hex_are_caught_not_crashed_on() -> None:
    def garble(cert: dict[str, Any]) -> None:
        cert["entries_sha256"] = "zz"

    assert problems_after(garble) == [
        "commitment and entries_sha256 must be SHA-256 digests in hex."
    ]


def test_not_an_object_is_caught() -> None:
    assert draw.verify([]) == ["The certificate is not a JSON object."]  # type: ignore[arg-type]


def test_a_secret_draw_carries_no_proof() -> None:
    def add_proof(cert: dict[str, Any]) -> None:
        cert["proof"] = {"round": 1, "signature": "00"}

    assert problems_after(add_proof) == ["A secret seed has no proof: proof must be null."]


def drand_certificate() -> dict[str, Any]:
    return certificate_of(VECTORS[1])


def test_a_drand_proof_must_be_for_the_committed_round() -> None:
    def other_round(cert: dict[str, Any]) -> None:
        cert["proof"]["round"] = 1001

    problems = problems_after(other_round, drand_certificate())
    assert problems == ["The proof is for drand round 1001, but round 1000 was committed."]


def test_a_drand_seed_must_be_the_sha256_of_the_signature() -> None:
    def other_signature(cert: dict[str, Any]) -> None:
        cert["proof"]["signature"] = "a" * 96

    problems = problems_after(other_signature, drand_certificate())
    assert problems == ["The seed is not the SHA-256 of the drand round's signature."]


def test_the_beacon_check_is_asked_and_heard() -> None:
    asked: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def refuse(randomness: dict[str, Any], proof: dict[str, Any]) -> bool:
        asked.append((randomness, proof))
        return False

    cert = drand_certificate()
    assert draw.verify(cert, beacon_check=refuse) == [
        "The drand round's signature does not verify against the chain's key."
    ]
    assert asked == [(cert["spec"]["randomness"], cert["proof"])]


def test_a_substitution_is_listed_and_never_changes_the_picks() -> None:
    cert = secret_certificate()
    winners = cert["spec"]["winners"]
    cert["substitutions"].append(
        draw.substitution(
            winner=cert["picks"][0],
            replaced_by=cert["picks"][winners],
            reason="Did not answer within 7 days",
            at=datetime(2027, 1, 3, 9, 30, tzinfo=UTC),
        )
    )
    assert cert["substitutions"][0]["at"] == "2027-01-03T09:30:00Z"
    assert draw.verify(cert) == []


def test_a_substitution_outside_the_picks_is_caught() -> None:
    cert = secret_certificate()
    cert["substitutions"].append(
        draw.substitution(
            winner=cert["picks"][0],
            replaced_by=next(e for e in cert["entries"] if e not in cert["picks"]),
            reason="Friend of the manager",
            at=datetime(2027, 1, 3, tzinfo=UTC),
        )
    )
    assert any("who is no alternate" in p for p in draw.verify(cert))


def test_the_draw_module_needs_nothing_but_the_standard_library() -> None:
    """Workers, the CLI and anyone reading it run the same code: no Django, no third party."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import chorus.engagement.draw; "
        "names = {m.split('.')[0] for m in sys.modules if not m.startswith('_')}; "
        "print(sorted(names - set(sys.stdlib_module_names)))"
    )
    result = subprocess.run(  # noqa: S603 - our interpreter, our module
        [sys.executable, "-I", "-S", "-c", code, str(REPO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "['chorus']"


def test_a_page_says_the_problems_in_the_readers_language() -> None:
    from django.utils import translation

    from chorus.engagement.draw_words import in_words

    cert = drand_certificate()
    cert["proof"]["round"] = 1001
    cert["seed"] = "ff" * 32
    problems = draw.verify(cert)
    with translation.override("fr"):
        said = in_words(problems)
    assert said == [
        "La preuve porte sur le tour drand 1001, mais c'est le tour 1000 qui a été engagé.",
        "La graine n'est pas le SHA-256 de la signature du tour drand.",
        "Les personnes tirées ne sont pas celles que donnent la graine et les participations.",
    ]
    with translation.override("en"):
        assert in_words(problems) == problems
