"""Telling the winners: an answer to their entry through the inbox (at most once, like any
reply), privately where the network has private answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability
from chorus.channels.registry import get_network
from chorus.engagement import contest_entries
from chorus.engagement.contests import ContestRuleBroken, current_winners, log
from chorus.engagement.models import Contest, ContestStatus, EventKind
from chorus.inbox import replies
from chorus.inbox.models import Message, SavedReply


@dataclass
class Winner:
    entry_id: str
    handle: str
    message: Message | None  # their entry in the inbox, when it came from there
    can_reply: bool
    can_reply_privately: bool
    told: bool


def winners_to_tell(contest: Contest) -> list[Winner]:
    if contest.status != ContestStatus.DRAWN:
        return []
    entries = {e.entry_id: e for e in contest_entries.entries_of(contest).counting}
    told = set(contest.events.filter(kind=EventKind.TOLD).values_list("detail", flat=True))
    messages = Message.objects.select_related("conversation__channel").in_bulk(
        [e.message_id for e in entries.values() if e.message_id]
    )
    winners = []
    for entry_id in current_winners(contest):
        entry = entries.get(entry_id)
        message = messages.get(entry.message_id) if entry and entry.message_id else None
        network = get_network(message.channel.network) if message else None
        winners.append(
            Winner(
                entry_id=entry_id,
                handle=entry.handle if entry else entry_id,
                message=message,
                can_reply=bool(network and network.can(Capability.REPLY)),
                can_reply_privately=bool(network and network.can(Capability.VISIBILITY)),
                told=entry_id in told,
            )
        )
    return winners


def tell_winner(
    contest: Contest,
    entry_id: str,
    text: str,
    by: User | None,
    *,
    saved_reply: SavedReply | None = None,
    privately: bool = False,
) -> Message:
    winner = next((w for w in winners_to_tell(contest) if w.entry_id == entry_id), None)
    if winner is None:
        raise ContestRuleBroken(_("This entry is not one of the current winners."))
    if winner.message is None or not winner.can_reply:
        raise ContestRuleBroken(_("Chorus cannot answer this winner's entry: tell them by hand."))
    if saved_reply is not None and not text.strip():
        text = saved_reply.text
    reply = replies.reply(
        winner.message.conversation,
        text,
        by,
        saved_reply=saved_reply,
        answering=winner.message,
        privately=privately,
    )
    log(contest, EventKind.TOLD, by, entry_id)
    return reply
