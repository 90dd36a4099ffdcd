"""The drand public randomness beacon (League of Entropy), as the draw's source of chance.

Chorus uses the *quicknet* chain: a round every 3 seconds, each round's BLS signature on G1
(scheme ``bls-unchained-g1-rfc9380``) over SHA-256 of the round number alone ("unchained"), so a
round is proved by its number and its signature — nothing else. The round's randomness is
SHA-256 of that signature. The chain's constants below are drand's published chain info; they
must never change, since certificates name the chain by its hash and re-verify forever.

The signature is checked with ``py_ecc`` (the Ethereum Foundation's pure-Python BLS12-381): no
compiled code to install, about a second or two per check, which a draw does once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils.translation import gettext

from chorus.core.network_errors import ChannelError, Permanent, Transient

log = logging.getLogger(__name__)

DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
DEFAULT_RELAYS = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
)


@dataclass(frozen=True)
class Chain:
    name: str
    hash: str  # hex: the chain's id, written into the committed spec
    public_key: str  # hex, compressed G2 point (96 bytes) of the League's group key
    genesis: int  # Unix time of round 1
    period: int  # seconds between rounds
    scheme: str


QUICKNET = Chain(
    name="quicknet",
    hash="52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    public_key=(
        "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a"
        "2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76"
        "eae8991ef5ece45a"
    ),
    genesis=1692803367,
    period=3,
    scheme="bls-unchained-g1-rfc9380",
)
DEFAULT_CHAIN = QUICKNET
CHAINS = {QUICKNET.hash: QUICKNET}


@dataclass(frozen=True)
class Beacon:
    round: int
    signature: str  # hex, compressed G1 point (48 bytes)

    @property
    def randomness(self) -> str:
        return seed_of(self).hex()

    def proof(self) -> dict[str, Any]:
        """What the certificate keeps: the round and its signature prove the seed."""
        return {"round": self.round, "signature": self.signature}


class BeaconNotYet(Transient):
    """The round has not been emitted yet: try again after its time."""

    def __init__(self, message: str, *, due_at: datetime) -> None:
        super().__init__(message)
        self.due_at = due_at


class BeaconInvalid(Permanent):
    """A relay answered with a round whose signature does not verify: never use it."""


# --- time ---------------------------------------------------------------------------------------


def round_at(chain: Chain, when: datetime) -> int:
    """The latest round emitted at ``when`` (round 1 at genesis)."""
    seconds = int(when.timestamp()) - chain.genesis
    return max(1, seconds // chain.period + 1)


def round_time(chain: Chain, round_: int) -> datetime:
    return datetime.fromtimestamp(chain.genesis + (round_ - 1) * chain.period, tz=UTC)


def randomness_after(closes_at: datetime, chain: Chain = DEFAULT_CHAIN) -> dict[str, Any]:
    """What a contest commits to when it opens: the first round emitted after it closes, so
    nobody — Chorus included — can know the seed while entries can still change."""
    if closes_at.tzinfo is None:
        raise ValueError("The closing time must carry its time zone.")
    return {"source": "drand", "chain_hash": chain.hash, "round": round_at(chain, closes_at) + 1}


# --- proof --------------------------------------------------------------------------------------


def seed_of(beacon: Beacon) -> bytes:
    """The round's randomness: SHA-256 of its signature."""
    return hashlib.sha256(bytes.fromhex(beacon.signature)).digest()


def round_message(round_: int) -> bytes:
    """What an unchained round signs: SHA-256 of the round number, 8 bytes big-endian."""
    return hashlib.sha256(round_.to_bytes(8, "big")).digest()


def verify_beacon(chain: Chain, beacon: Beacon) -> bool:
    """Does the signature verify against the chain's group key for this round? (BLS, min-sig:
    e(signature, G2) == e(H(message), public key).)"""
    # py_ecc is heavy to import (field tables); only the checks that need it pay.
    from eth_typing import BLSPubkey, BLSSignature
    from py_ecc.bls.g2_primitives import pubkey_to_G1, signature_to_G2
    from py_ecc.bls.hash_to_curve import hash_to_G1
    from py_ecc.optimized_bls12_381 import (
        FQ12,
        G2,
        curve_order,
        final_exponentiate,
        is_inf,
        multiply,
        neg,
        pairing,
    )

    if chain.scheme != "bls-unchained-g1-rfc9380":
        return False
    try:
        # py_ecc names its decoders after Ethereum's use (keys on G1); quicknet is the swap.
        signature = pubkey_to_G1(BLSPubkey(bytes.fromhex(beacon.signature)))  # G1, 48 bytes
        public_key = signature_to_G2(BLSSignature(bytes.fromhex(chain.public_key)))  # G2, 96
    except (ValueError, TypeError, AssertionError):
        return False
    if is_inf(signature) or not is_inf(multiply(signature, curve_order)):
        return False  # not in the prime-order subgroup: no valid signature is
    message = hash_to_G1(round_message(beacon.round), DST_G1, hashlib.sha256)  # type: ignore[arg-type]
    # e(sig, G2) · e(H, -pk) == 1, with one final exponentiation for both pairings.
    product = pairing(G2, signature, final_exponentiate=False) * pairing(
        neg(public_key), message, final_exponentiate=False
    )
    return bool(final_exponentiate(product) == FQ12.one())


def check_proof(randomness: dict[str, Any], proof: dict[str, Any]) -> bool:
    """The ``beacon_check`` of :func:`chorus.engagement.draw.verify`: the committed chain is one
    Chorus knows and the proof's signature verifies for its round."""
    chain = CHAINS.get(str(randomness.get("chain_hash")))
    round_, signature = proof.get("round"), proof.get("signature")
    if chain is None or type(round_) is not int or not isinstance(signature, str):
        return False
    return verify_beacon(chain, Beacon(round=round_, signature=signature))


# --- fetching -----------------------------------------------------------------------------------


def relays() -> list[str]:
    from django.conf import settings

    listed = getattr(settings, "CHORUS_DRAND_URLS", None) or DEFAULT_RELAYS
    return [url.rstrip("/") for url in listed]


def fetch_beacon(chain: Chain, round_: int, *, now: datetime | None = None) -> Beacon:
    """The round from the first relay that gives a valid one.

    Raises :class:`BeaconNotYet` before the round's time (or while the relays do not have it
    yet), :class:`Transient` when no relay answered, :class:`BeaconInvalid` when a relay
    served a round that does not verify and none served a valid one."""
    due_at = round_time(chain, round_)
    moment = now or datetime.now(UTC)
    if moment < due_at:
        raise BeaconNotYet(_not_yet(round_, due_at), due_at=due_at)
    problems: list[ChannelError] = []
    for relay in relays():
        try:
            return _fetch_from(relay, chain, round_)
        except ChannelError as error:
            log.info("drand relay %s: round %s: %s", relay, round_, error)
            problems.append(error)
    if any(isinstance(problem, BeaconInvalid) for problem in problems):
        raise BeaconInvalid(
            gettext(
                "drand round %(round)s came back with a signature that does not verify; "
                "the draw will not use it."
            )
            % {"round": round_}
        )
    if moment < due_at + timedelta(minutes=2) and all(
        isinstance(problem, BeaconNotYet) for problem in problems
    ):
        raise BeaconNotYet(_not_yet(round_, due_at), due_at=due_at)
    raise Transient(
        gettext("No drand relay gave round %(round)s; Chorus will try again.") % {"round": round_}
    )


def _not_yet(round_: int, due_at: datetime) -> str:
    return gettext("drand round %(round)s is due at %(time)s UTC; it is not out yet.") % {
        "round": round_,
        "time": f"{due_at:%Y-%m-%d %H:%M:%S}",
    }


def _fetch_from(relay: str, chain: Chain, round_: int) -> Beacon:
    from chorus.core import http

    with http.client() as session:
        with http.translate_errors():
            response = session.get(f"{relay}/{chain.hash}/public/{round_}")
        if response.status_code in (404, 425):
            # drand relays answer "too early" (or not found) for a round still to come.
            due_at = round_time(chain, round_)
            raise BeaconNotYet(_not_yet(round_, due_at), due_at=due_at)
        http.raise_for_status(response)
    beacon = _parse(response, round_)
    if not verify_beacon(chain, beacon):
        raise BeaconInvalid(f"drand round {round_} from {relay} does not verify.")
    return beacon


def _parse(response: Any, round_: int) -> Beacon:
    try:
        body = response.json()
        beacon = Beacon(round=int(body["round"]), signature=str(body["signature"]))
        bytes.fromhex(beacon.signature)
    except (ValueError, KeyError, TypeError) as error:
        raise Transient(f"A drand relay gave an unreadable round {round_}.") from error
    if beacon.round != round_:
        raise BeaconInvalid(f"Asked drand for round {round_}, got round {beacon.round}.")
    return beacon
