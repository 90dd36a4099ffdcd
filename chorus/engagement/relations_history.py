"""The history of every exchange with a person, newest first: the inbox conversations they took
part in, the mentions they wrote, and the relation's own events (notes, stage changes,
outreach, imports, linked accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chorus.engagement.models.relations import Relation, RelationEvent
from chorus.inbox.models import Conversation
from chorus.listening.models import Mention

SHOWN = 60  # of each kind: the page is about the relation, not an archive


@dataclass
class Exchange:
    at: datetime
    kind: str  # "conversation" | "mention" | an EventKind
    event: RelationEvent | None = None
    conversation: Conversation | None = None
    mention: Mention | None = None


def history_of(relation: Relation) -> list[Exchange]:
    person_id = relation.person_id
    events = relation.events.select_related("by")[:SHOWN]
    conversations = (
        Conversation.objects.filter(
            workspace_id=relation.workspace_id, messages__author__person_id=person_id
        )
        .select_related("channel")
        .distinct()
        .order_by("-last_message_at")[:SHOWN]
    )
    mentions = Mention.objects.filter(
        workspace_id=relation.workspace_id, author__person_id=person_id
    ).order_by("-published_at")[:SHOWN]
    found = [Exchange(event.at, event.kind, event=event) for event in events]
    found += [Exchange(c.last_message_at, "conversation", conversation=c) for c in conversations]
    found += [Exchange(m.published_at, "mention", mention=m) for m in mentions]
    found.sort(key=lambda exchange: exchange.at, reverse=True)
    return found
