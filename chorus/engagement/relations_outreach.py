"""Outreach templates: a first message written once, filled in for each person.

Only three placeholders exist, {name}, {handle} and {brand}; they are replaced by plain text
substitution (never ``str.format``, which would let a template reach an object's attributes).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability
from chorus.channels.models import ChannelStatus
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.engagement.models.relations import EventKind, OutreachTemplate, Relation, Stage
from chorus.engagement.relations import move, record
from chorus.inbox.models import Conversation, Kind
from chorus.inbox.replies import reply

PLACEHOLDERS = ("name", "handle", "brand")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders a template uses that Chorus cannot fill (shown as a form error)."""
    return sorted({f"{{{key}}}" for key in PLACEHOLDER.findall(text) if key not in PLACEHOLDERS})


def fill(template: OutreachTemplate, relation: Relation) -> str:
    accounts = list(relation.person.accounts.all())
    handle = next((account.handle for account in accounts if account.handle), "")
    values = {
        "name": relation.person.name,
        "handle": f"@{handle}" if handle else relation.person.name,
        "brand": relation.workspace.name,
    }
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), template.text)


@transaction.atomic
def record_outreach(
    relation: Relation, template: OutreachTemplate, text: str, by: User | None
) -> None:
    """The team sent it (copied into a message, an e-mail…): the history keeps what was sent,
    and a person only spotted so far is now contacted."""
    sent = _("Sent “%(template)s”:\n%(text)s") % {"template": template.name, "text": text}
    record(relation, EventKind.OUTREACH, by, sent)
    if relation.stage == Stage.SPOTTED:
        move(relation, Stage.CONTACTED, by)


def direct_conversations(relation: Relation) -> list[Conversation]:
    """Their private conversations in the inbox that Chorus can answer from: the only way it
    sends a direct message (networks do not let an app write first to a stranger)."""
    found = (
        Conversation.objects.filter(
            workspace_id=relation.workspace_id,
            kind=Kind.DIRECT,
            messages__author__person_id=relation.person_id,
        )
        .select_related("channel")
        .distinct()
        .order_by("-last_message_at")[:5]
    )
    return [conversation for conversation in found if _can_answer(conversation)]


def _can_answer(conversation: Conversation) -> bool:
    try:
        network = get_network(conversation.channel.network)
    except UnknownNetwork:
        return False
    active = conversation.channel.status == ChannelStatus.ACTIVE
    return active and network.can(Capability.REPLY)


def send_as_direct_message(
    relation: Relation,
    template: OutreachTemplate,
    conversation: Conversation,
    text: str,
    by: User | None,
) -> None:
    """Answer their private conversation through the inbox (the dispatcher sends it at most
    once); raises the inbox's ``InboxRuleBroken`` when it cannot go, and then records nothing."""
    reply(conversation, text, by)
    record_outreach(relation, template, text, by)
