"""Small builders for inbox rows, made straight with the models (no network involved)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chorus.channels.models import Channel, ChannelStatus
from chorus.inbox.models import Author, Conversation, Direction, Kind, Message
from chorus.workspaces.models import Workspace

_ids = itertools.count(1)


def channel(workspace: Workspace, network: str = "mastodon", **fields: Any) -> Channel:
    n = next(_ids)
    values: dict[str, Any] = {
        "name": f"{network} account {n}",
        "remote_id": f"acct-{n}",
        "handle": f"brand{n}",
        "settings": {"base_url": "http://127.0.0.1:9"},
        "status": ChannelStatus.ACTIVE,
        **fields,
    }
    return Channel.objects.create(workspace=workspace, network=network, **values)


def author(
    workspace: Workspace, handle: str = "", network: str = "mastodon", **fields: Any
) -> Author:
    n = next(_ids)
    handle = handle or f"fan{n}@example.social"
    values: dict[str, Any] = {"display_name": f"Fan {n}", "remote_id": f"author-{n}", **fields}
    return Author.objects.create(workspace=workspace, network=network, handle=handle, **values)


def conversation(
    on: Channel,
    text: str = "Hello, is the shop open on Sunday?",
    *,
    by: Author | None = None,
    at: datetime | None = None,
    sentiment: str = "neutral",
    intent: str = "question",
    **fields: Any,
) -> Conversation:
    """A conversation with one incoming message, rolled up the way ingest does it."""
    n = next(_ids)
    at = at or timezone.now() - timedelta(minutes=n % 50)
    by = by or author(on.workspace, network=on.network)
    values: dict[str, Any] = {
        "remote_id": f"thread-{n}",
        "kind": Kind.MENTION,
        "author": by,
        "preview": text[:300],
        "sentiment": sentiment,
        "first_message_at": at,
        "last_message_at": at,
        "waiting_since": at,
        "message_count": 1,
        **fields,
    }
    talk = Conversation.objects.create(workspace=on.workspace, channel=on, **values)
    message(talk, text, by=by, at=at, sentiment=sentiment, intent=intent, remote_id=f"msg-{n}")
    return talk


def message(
    talk: Conversation,
    text: str,
    *,
    by: Author | None = None,
    at: datetime | None = None,
    direction: str = Direction.INCOMING,
    **fields: Any,
) -> Message:
    values: dict[str, Any] = {
        "remote_id": f"msg-{next(_ids)}",
        "sentiment": "neutral",
        "intent": "other",
        **fields,
    }
    at = at or timezone.now()
    return Message.objects.create(
        workspace=talk.workspace,
        conversation=talk,
        channel=talk.channel,
        direction=direction,
        author=by if by is not None else talk.author,
        text=text,
        created_at=at,
        received_at=at,
        **values,
    )
