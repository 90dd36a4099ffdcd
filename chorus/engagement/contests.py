"""A contest's life: draft -> open (commitment published) -> closed (entries frozen) -> drawn.

Each step checks the state it starts from with a conditional UPDATE, so two people (or a person
and the background draw) can never open, close or draw the same contest twice. What was committed
is never rewritten: editing the spec after opening is refused, and the certificate is rebuilt from
the stored columns so ``draw.verify`` notices any change made behind Chorus's back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.core import crypto
from chorus.core.network_errors import Transient
from chorus.engagement import contest_entries, contest_rules, drand, draw, draw_words
from chorus.engagement.models import (
    Contest,
    ContestEvent,
    ContestStatus,
    EntryExclusion,
    EventKind,
    RandomnessSource,
    Substitution,
)
from chorus.publishing.models import PostTarget


def now() -> datetime:
    """The contest's clock (one place, so a test can move past a closing time)."""
    return timezone.now()


class ContestRuleBroken(Exception):
    """A step the contest's state does not allow, in words for the person who tried."""


def log(
    contest: Contest, kind: str, by: User | None, detail: str = "", at: datetime | None = None
) -> None:
    ContestEvent.objects.create(
        workspace_id=contest.workspace_id,
        contest=contest,
        kind=kind,
        by=by,
        detail=detail[:800],
        at=at or timezone.now(),
    )


def must_be_draft(contest: Contest) -> None:
    if not contest.is_draft:
        raise ContestRuleBroken(
            _("The contest is open: its rules, closing time and number of winners are committed.")
        )


def _move(contest: Contest, start: str, **changes: Any) -> None:
    """Move from ``start`` only if nobody moved it first."""
    moved = Contest.objects.filter(pk=contest.pk, status=start).update(**changes)
    if not moved:
        raise ContestRuleBroken(_("Someone else changed this contest's state meanwhile."))
    for field, value in changes.items():
        setattr(contest, field, value)


@transaction.atomic
def save_draft(
    contest: Contest, posts: Iterable[PostTarget], by: User | None, certificate_url: str
) -> Contest:
    """Store a draft; rules left empty are written from the template (the team edits them)."""
    creating = contest.pk is None
    if not creating:
        must_be_draft(Contest.objects.select_for_update().get(pk=contest.pk))
    contest.save()
    contest.posts.set(posts)
    if not contest.rules_text.strip():
        contest.rules_text = contest_rules.draft_rules(
            contest, contest.rules_language, certificate_url
        )
        contest.save(update_fields=["rules_text"])
    log(contest, EventKind.CREATED if creating else EventKind.EDITED, by)
    return contest


@transaction.atomic
def open_contest(contest: Contest, by: User | None, at: datetime | None = None) -> Contest:
    """Publish the commitment: the spec's SHA-256, with the randomness still to come.
    ``at``: when it happens, for the demo's past contests (default: now)."""
    at = at or now()
    must_be_draft(contest)
    if not contest.rules_text.strip():
        raise ContestRuleBroken(_("Write the rules before opening the contest."))
    if contest.closes_at <= at:
        raise ContestRuleBroken(_("The closing time has passed: choose a later one."))
    secret = ""
    if contest.randomness_source == RandomnessSource.SECRET:
        seed, randomness = draw.secret_randomness()
        secret = crypto.encrypt_json({"seed": seed.hex()})
    else:
        randomness = drand.randomness_after(contest.closes_at)
    spec = draw.contest_spec(
        contest=str(contest.public_id),
        rules_text=contest.rules_text,
        closes_at=contest.closes_at,
        winners=contest.winners,
        alternates=contest.alternates,
        randomness=randomness,
    )
    _move(
        contest,
        ContestStatus.DRAFT,
        status=ContestStatus.OPEN,
        spec=spec,
        commitment=draw.commitment(spec),
        encrypted_secret=secret,
        opened_at=at,
    )
    log(contest, EventKind.OPENED, by, contest.commitment, at)
    return contest


@transaction.atomic
def close_contest(contest: Contest, by: User | None, at: datetime | None = None) -> Contest:
    """Freeze the entries: one id per person, sorted, and their SHA-256."""
    at = at or now()
    if contest.status != ContestStatus.OPEN:
        raise ContestRuleBroken(_("Only an open contest can be closed."))
    if at < contest.closes_at:
        raise ContestRuleBroken(
            _("The rules accept entries until %(closes)s: close the contest then.")
            % {
                "closes": formats.date_format(
                    timezone.localtime(contest.closes_at), "DATETIME_FORMAT"
                )
            }
        )
    counted = contest_entries.entries_of(contest).counting_ids
    if len(counted) < contest.winners + contest.alternates:
        raise ContestRuleBroken(
            _("%(count)d entries count: a draw of %(picks)d needs at least as many.")
            % {"count": len(counted), "picks": contest.winners + contest.alternates}
        )
    entries, entries_sha256 = draw.frozen_entries(counted)
    _move(
        contest,
        ContestStatus.OPEN,
        status=ContestStatus.CLOSED,
        entries=entries,
        entries_sha256=entries_sha256,
        closed_at=at,
    )
    log(contest, EventKind.CLOSED, by, f"{len(entries)} · {entries_sha256}", at)
    return contest


def draw_contest(contest: Contest, by: User | None) -> Contest:
    """Draw once. With drand, the round may not be out yet: the draw then waits (``DrawWaits``)
    and the background task tries again each minute."""
    if contest.status == ContestStatus.DRAWN:
        raise ContestRuleBroken(_("The winners were already drawn: a draw is never redone."))
    if contest.status != ContestStatus.CLOSED:
        raise ContestRuleBroken(_("Close the contest before drawing."))
    seed, proof = _seed_and_proof(contest)
    count = contest.winners + contest.alternates
    picks = draw.picks(seed, list(contest.entries or []), contest.entries_sha256, count)
    with transaction.atomic():
        _move(
            contest,
            ContestStatus.CLOSED,
            status=ContestStatus.DRAWN,
            seed=seed.hex(),
            proof=proof,
            picks=picks,
            draw_error="",
            drawn_at=timezone.now(),
        )
        log(contest, EventKind.DRAWN, by, ", ".join(picks[: contest.winners]))
    return contest


def note_draw_waits(contest: Contest, by: User | None) -> None:
    """The drand round is not out yet: say so once on the timeline; the task draws later."""
    if not contest.draw_error:
        contest.draw_error = _("Waiting for the drand round.")
        contest.save(update_fields=["draw_error"])
        log(contest, EventKind.DRAW_WAITING, by)


def draw_waiting_contests() -> int:
    """The background draw: every closed drand contest whose round may now be out."""
    drawn = 0
    for contest in Contest.objects.filter(status=ContestStatus.CLOSED):
        randomness = (contest.spec or {}).get("randomness") or {}
        if randomness.get("source") != "drand":
            continue  # a secret seed is revealed by a person pressing "Draw"
        try:
            draw_contest(contest, None)
        except Transient:
            note_draw_waits(contest, None)
        except ContestRuleBroken:
            continue  # drawn by someone meanwhile
        else:
            drawn += 1
    return drawn


def _seed_and_proof(contest: Contest) -> tuple[bytes, dict[str, Any] | None]:
    randomness = (contest.spec or {}).get("randomness") or {}
    if randomness.get("source") == "secret":
        return bytes.fromhex(crypto.decrypt_json(contest.encrypted_secret)["seed"]), None
    return drand_seed(randomness)


def drand_seed(randomness: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """The committed drand round, fetched and its signature checked against the chain's key."""
    chain = drand.CHAINS.get(str(randomness.get("chain_hash")))
    if chain is None:
        raise ContestRuleBroken(_("The committed drand chain is not one Chorus knows."))
    try:
        beacon = drand.fetch_beacon(chain, randomness["round"])  # its signature checked
    except drand.BeaconInvalid as invalid:
        raise ContestRuleBroken(
            _("The drand round's signature does not verify: no draw.")
        ) from invalid
    return drand.seed_of(beacon), beacon.proof()


def winners_of(contest: Contest) -> list[str]:
    picks = list(contest.picks or [])
    return picks[: contest.winners]


def alternates_of(contest: Contest) -> list[str]:
    return list(contest.picks or [])[contest.winners :]


def current_winners(contest: Contest) -> list[str]:
    """The winners after substitutions (the picks themselves never change)."""
    return list(_slots(contest).values())


def _slots(contest: Contest) -> dict[str, str]:
    """Each drawn winner -> who holds their place now. A substitution always names the drawn
    winner whose place is taken, so the certificate checks it against the picks."""
    slots = {winner: winner for winner in winners_of(contest)}
    for swap in contest.substitutions.all():
        if swap.replaced in slots:
            slots[swap.replaced] = swap.replacement
    return slots


@transaction.atomic
def substitute(contest: Contest, winner: str, reason: str, by: User | None) -> Substitution:
    """Replace a winner who did not answer or is not eligible by the next unused alternate."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.status != ContestStatus.DRAWN:
        raise ContestRuleBroken(_("Only drawn winners can be replaced."))
    place = next((drawn for drawn, now in _slots(contest).items() if now == winner), None)
    if place is None:
        raise ContestRuleBroken(_("This entry is not one of the current winners."))
    if not reason.strip():
        raise ContestRuleBroken(_("Say why the winner is replaced."))
    used = {s.replacement for s in contest.substitutions.all()}
    spare = [a for a in alternates_of(contest) if a not in used]
    if not spare:
        raise ContestRuleBroken(_("No alternate is left."))
    swap = Substitution.objects.create(
        workspace_id=contest.workspace_id,
        contest=contest,
        replaced=place,
        replacement=spare[0],
        reason=reason.strip(),
        by=by,
    )
    log(contest, EventKind.SUBSTITUTED, by, f"{winner} -> {spare[0]}: {reason.strip()}")
    return swap


def exclude_entry(contest: Contest, entry_id: str, reason: str, by: User | None) -> None:
    if contest.status not in (ContestStatus.DRAFT, ContestStatus.OPEN):
        raise ContestRuleBroken(_("The entries are frozen: the contest is closed."))
    if not reason.strip():
        raise ContestRuleBroken(_("Say why the entry is excluded."))
    EntryExclusion.objects.update_or_create(
        contest=contest,
        entry_id=entry_id,
        defaults={"workspace_id": contest.workspace_id, "reason": reason.strip()[:300], "by": by},
    )
    log(contest, EventKind.EXCLUDED, by, f"{entry_id}: {reason.strip()}")


def restore_entry(contest: Contest, entry_id: str, by: User | None) -> None:
    if contest.status not in (ContestStatus.DRAFT, ContestStatus.OPEN):
        raise ContestRuleBroken(_("The entries are frozen: the contest is closed."))
    if EntryExclusion.objects.filter(contest=contest, entry_id=entry_id).delete()[0]:
        log(contest, EventKind.RESTORED, by, entry_id)


def certificate_of(contest: Contest) -> dict[str, Any] | None:
    """The public certificate, exactly the keys of chorus-draw-v1; None before the draw."""
    if contest.status != ContestStatus.DRAWN or contest.spec is None:
        return None
    return draw.certificate(
        spec=contest.spec,
        entries=list(contest.entries or []),
        seed=bytes.fromhex(contest.seed),
        proof=contest.proof,
        picks=list(contest.picks or []),
        substitutions=[
            draw.substitution(
                winner=s.replaced, replaced_by=s.replacement, reason=s.reason, at=s.at
            )
            for s in contest.substitutions.all()
        ],
    )


def problems_of(contest: Contest) -> list[str]:
    """What ``draw.verify`` finds wrong with the stored draw ([]: it checks out). The drand
    signature itself was checked when the round was fetched; checking it again costs a pairing
    per page view, which ``chorus verify-draw`` does."""
    certificate = certificate_of(contest)
    return draw_words.in_words(draw.verify(certificate)) if certificate else []
