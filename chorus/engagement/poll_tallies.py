"""Reading a poll's votes on each network, on a schedule and at closing (``tally_poll``,
``close_poll``), and drafting the results post for approval.

One person counts once per network where the network says who voted: on reactions and replies
only a person's first choice counts (a second emoji or a change of mind is not a second vote);
native polls are counted by the network itself, which already allows one vote per account.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chorus.channels.base import Connection
from chorus.channels.base import Poll as NetworkPoll
from chorus.channels.capabilities import (
    ClosesPoll,
    Reaction,
    ReadsPoll,
    TalliesReactions,
    capable,
)
from chorus.channels.errors import ChannelError
from chorus.channels.policy import call_network
from chorus.engagement.models.polls import CountedBy, Poll, PollTally
from chorus.engagement.poll_results import draft_results_post
from chorus.engagement.polls import EMOJI
from chorus.inbox.models import Direction, Message
from chorus.publishing.models import State

# "2", "#2", "2.", "option 2", "choice 2)": a number standing alone at the start of a reply.
NUMBER_AT_START = re.compile(r"^\W*(?:option|choice|choix|n°|no\.?)?\s*#?(\d{1,2})(?!\d)", re.I)


def tally_poll(poll: Poll, *, final: bool = False) -> None:
    """Read every published variant's count now; a network's error is noted on its row and
    its last good count kept."""
    for tally in _published_tallies(poll):
        try:
            _read(tally, poll, final=final)
        except ChannelError as error:
            tally.error = error.message
            tally.save(update_fields=["error"])


def close_poll(poll: Poll) -> None:
    """At the closing time: stop native polls that Chorus must stop (Telegram), read every
    count one last time, and draft the results post (see :mod:`.poll_results`)."""
    with transaction.atomic():
        claimed = Poll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
    if not claimed:
        return  # closed already, by another worker or a person
    poll.refresh_from_db()
    tally_poll(poll, final=True)
    draft_results_post(poll)


def read_due_polls(now: datetime | None = None) -> tuple[int, int]:
    """The schedule's work: close every open poll past its time, read the others' counts.
    Returns (closed, read). A network's trouble with one poll never stops the others."""
    now = now or timezone.now()
    closed = read = 0
    for poll in Poll.objects.filter(closed_at__isnull=True).select_related("workspace"):
        if poll.closes_at <= now:
            close_poll(poll)
            closed += 1
        elif poll.tallies.filter(target__state=State.PUBLISHED).exists():
            tally_poll(poll)
            read += 1
    return closed, read


def _published_tallies(poll: Poll) -> list[PollTally]:
    return list(
        poll.tallies.select_related("target__channel").filter(
            target__state=State.PUBLISHED, final=False
        )
    )


def _read(tally: PollTally, poll: Poll, *, final: bool) -> None:
    target = tally.target
    if tally.counted_by == CountedBy.NATIVE:
        found = call_network(target.channel, lambda c: _native(c, target.remote_id, final))
        if found is None:  # the network shows nothing until Chorus stops the poll
            tally.hidden = True
        else:
            tally.counts = [option.votes for option in found.options]
            tally.hidden = any(votes is None for votes in tally.counts)
            tally.voters = found.voters
    elif tally.counted_by == CountedBy.REACTIONS:
        reactions = call_network(target.channel, lambda c: _reactions(c, target.remote_id))
        votes = first_choices(((r.sender, r.key) for r in reactions), EMOJI[: len(poll.options)])
        tally.counts, tally.voters = _counts(votes, len(poll.options)), len(votes)
    else:
        votes = reply_votes(target.channel_id, target.remote_id, poll.options)
        tally.counts, tally.voters = _counts(votes, len(poll.options)), len(votes)
    tally.final, tally.read_at, tally.error = final, timezone.now(), ""
    tally.save(update_fields=["counts", "voters", "hidden", "final", "read_at", "error"])


def _native(connection: Connection, remote_id: str, final: bool) -> NetworkPoll | None:
    closer = capable(connection, ClosesPoll)
    if final and closer is not None:
        return closer.close_poll(remote_id)
    reader = capable(connection, ReadsPoll)
    return reader.read_poll(remote_id) if reader is not None else None


def _reactions(connection: Connection, remote_id: str) -> list[Reaction]:
    able = capable(connection, TalliesReactions)
    return able.reactions(remote_id) if able is not None else []


def first_choices(marks: Iterable[tuple[str, str]], keys: Sequence[str]) -> dict[str, int]:
    """Each person's first mark that is one of ``keys``, as the choice's index."""
    chosen: dict[str, int] = {}
    for who, key in marks:
        if who not in chosen and key in keys:
            chosen[who] = keys.index(key)
    return chosen


def reply_votes(channel_id: int, remote_id: str, options: Sequence[str]) -> dict[str, int]:
    """Each author's first reply (from the inbox) to the post that names one choice."""
    replies = Message.objects.filter(
        channel_id=channel_id,
        in_reply_to=remote_id,
        direction=Direction.INCOMING,
        deleted=False,
    ).order_by("created_at", "pk")
    chosen: dict[str, int] = {}
    for pk, author_id, text in replies.values_list("pk", "author_id", "text"):
        key = str(author_id) if author_id else f"message:{pk}"  # no author: nobody to merge
        if key not in chosen and (choice := choice_named(text, options)) is not None:
            chosen[key] = choice
    return chosen


def choice_named(text: str, options: Sequence[str]) -> int | None:
    """The choice a reply names: a number at its start (1 = the first), else the one choice
    whose text it contains; None if it names none or several."""
    if match := NUMBER_AT_START.match(text):
        number = int(match.group(1))
        return number - 1 if 1 <= number <= len(options) else None
    said = f" {normalised(text)} "
    named = [n for n, option in enumerate(options) if f" {normalised(option)} " in said]
    return named[0] if len(named) == 1 else None


def normalised(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (so "Crêpes!" names "crepes")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", bare))


def _counts(votes: dict[str, int], size: int) -> list[int | None]:
    counts: list[int | None] = [0] * size
    for choice in votes.values():
        counts[choice] = (counts[choice] or 0) + 1
    return counts
