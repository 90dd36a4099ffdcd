"""drand quicknet: real recorded rounds verify, tampered ones do not; rounds fetched over HTTP."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from chorus.core.network_errors import Transient
from chorus.engagement import drand
from chorus.engagement.drand import QUICKNET, Beacon
from tests.engagement.draw_helpers import RECORDINGS, recorded_rounds
from tests.loopback import Loopback, Reply, serving

ROUNDS = {item["round"]: item for item in recorded_rounds()}
PATH = f"/{QUICKNET.hash}/public/1000"
AFTER_ROUND_1000 = datetime(2024, 1, 1, tzinfo=UTC)


def recorded(round_: int) -> Beacon:
    return Beacon(round=round_, signature=ROUNDS[round_]["signature"])


def test_the_chain_constants_are_drands_published_chain_info() -> None:
    info = json.loads((RECORDINGS / "quicknet-info.json").read_text())
    assert (info["hash"], info["public_key"]) == (QUICKNET.hash, QUICKNET.public_key)
    assert (info["genesis_time"], info["period"]) == (QUICKNET.genesis, QUICKNET.period)
    assert info["schemeID"] == QUICKNET.scheme


@pytest.mark.parametrize("round_", [1000, 1004, 1009])
def test_recorded_rounds_verify_against_the_leagues_key(round_: int) -> None:
    assert drand.verify_beacon(QUICKNET, recorded(round_))


def test_a_rounds_randomness_is_the_sha256_of_its_signature_as_drand_publishes_it() -> None:
    assert recorded(1000).randomness == ROUNDS[1000]["randomness"]


def test_a_signature_claimed_for_another_round_fails() -> None:
    assert not drand.verify_beacon(
        QUICKNET, Beacon(round=1001, signature=ROUNDS[1000]["signature"])
    )


def test_a_tampered_signature_fails() -> None:
    signature = ROUNDS[1000]["signature"]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert not drand.verify_beacon(QUICKNET, Beacon(round=1000, signature=flipped))
    assert not drand.verify_beacon(QUICKNET, Beacon(round=1000, signature="00" * 48))
    assert not drand.verify_beacon(QUICKNET, Beacon(round=1000, signature="abcd"))


def test_another_chains_key_fails() -> None:
    other = drand.Chain(
        name="other",
        hash="0" * 64,
        public_key="a0b862a7527fee3a731bcb59280ab6abd62d5c0b6ea03dc4ddf6612fdfc9d01f01c31542541771"
        "903475eb1ec6615f8d0df0b8b6dce385811d6dcf8cbefb8759e5e616a3dfd054c928940766d9a5b9db91e3b6"
        "97e5d70a975181e007f87fca5e",
        genesis=QUICKNET.genesis,
        period=3,
        scheme=QUICKNET.scheme,
    )
    assert not drand.verify_beacon(other, recorded(1000))


def test_check_proof_knows_the_chain_by_its_committed_hash() -> None:
    randomness = {"source": "drand", "chain_hash": QUICKNET.hash, "round": 1002}
    assert drand.check_proof(randomness, recorded(1002).proof())
    assert not drand.check_proof({**randomness, "chain_hash": "0" * 64}, recorded(1002).proof())
    assert not drand.check_proof(randomness, {"round": "1002", "signature": "00"})


# --- time ---------------------------------------------------------------------------------------


def test_rounds_and_their_times() -> None:
    assert drand.round_time(QUICKNET, 1) == datetime(2023, 8, 23, 15, 9, 27, tzinfo=UTC)
    assert drand.round_time(QUICKNET, 1000) == datetime(2023, 8, 23, 15, 59, 24, tzinfo=UTC)
    at_1000 = drand.round_time(QUICKNET, 1000)
    assert drand.round_at(QUICKNET, at_1000) == 1000
    assert drand.round_at(QUICKNET, at_1000 + timedelta(seconds=2)) == 1000
    assert drand.round_at(QUICKNET, at_1000 + timedelta(seconds=3)) == 1001


def test_the_committed_round_is_the_first_one_after_the_closing_time() -> None:
    closes_at = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
    randomness = drand.randomness_after(closes_at)
    assert randomness["source"] == "drand" and randomness["chain_hash"] == QUICKNET.hash
    assert drand.round_time(QUICKNET, randomness["round"]) > closes_at
    assert drand.round_time(QUICKNET, randomness["round"] - 1) <= closes_at
    with pytest.raises(ValueError):
        drand.randomness_after(datetime(2026, 12, 24, 18, 0))


# --- fetching over HTTP -------------------------------------------------------------------------


def body(round_: int, **changes: Any) -> dict[str, Any]:
    beacon = recorded(round_)
    return {
        "round": round_,
        "randomness": beacon.randomness,
        "signature": beacon.signature,
        **changes,
    }


@pytest.fixture
def relay(settings: Any) -> Any:
    with serving() as loopback:
        settings.CHORUS_DRAND_URLS = [loopback.root]
        yield loopback


def test_a_round_is_fetched_from_a_relay_and_checked(relay: Loopback) -> None:
    relay.on("GET", PATH, Reply(200, body(1000)))
    beacon = drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000)
    assert beacon == recorded(1000)
    assert len(relay.requests(PATH)) == 1


def test_a_failing_relay_is_passed_over(settings: Any) -> None:
    with serving() as down, serving() as up:
        settings.CHORUS_DRAND_URLS = [down.root, up.root + "/"]
        down.on("GET", PATH, Reply(502, "bad gateway"))
        up.on("GET", PATH, Reply(200, body(1000)))
        assert drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000) == recorded(1000)
        assert len(down.requests(PATH)) == 1


def test_a_relay_serving_a_forged_round_is_refused(relay: Loopback) -> None:
    relay.on("GET", PATH, Reply(200, body(1000, signature=ROUNDS[1001]["signature"])))
    with pytest.raises(drand.BeaconInvalid):
        drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000)


def test_a_relay_serving_another_round_is_refused(relay: Loopback) -> None:
    relay.on("GET", PATH, Reply(200, body(1001)))
    with pytest.raises(drand.BeaconInvalid):
        drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000)


def test_before_its_time_a_round_is_not_asked_for(relay: Loopback) -> None:
    due = drand.round_time(QUICKNET, 1000)
    with pytest.raises(drand.BeaconNotYet) as raised:
        drand.fetch_beacon(QUICKNET, 1000, now=due - timedelta(seconds=1))
    assert raised.value.due_at == due
    assert "is not out yet" in str(raised.value)
    assert relay.received == []
    with translation.override("fr"):
        with pytest.raises(drand.BeaconNotYet, match="n'est pas encore sorti"):
            drand.fetch_beacon(QUICKNET, 1000, now=due - timedelta(seconds=1))


def test_a_relay_saying_too_early_is_not_yet_and_can_be_retried(relay: Loopback) -> None:
    relay.on("GET", PATH, Reply(425, {"error": "too early"}))
    just_after = drand.round_time(QUICKNET, 1000) + timedelta(seconds=1)
    with pytest.raises(drand.BeaconNotYet) as raised:
        drand.fetch_beacon(QUICKNET, 1000, now=just_after)
    assert isinstance(raised.value, Transient)


def test_an_unreadable_answer_or_no_relay_at_all_is_transient(
    relay: Loopback, settings: Any
) -> None:
    relay.on("GET", PATH, Reply(200, "<html>maintenance</html>"))
    with pytest.raises(Transient) as raised:
        drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000)
    assert not isinstance(raised.value, drand.BeaconNotYet | drand.BeaconInvalid)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.CHORUS_DRAND_URLS = [f"http://127.0.0.1:{closed.getsockname()[1]}"]
        with pytest.raises(Transient, match="No drand relay"):
            drand.fetch_beacon(QUICKNET, 1000, now=AFTER_ROUND_1000)
