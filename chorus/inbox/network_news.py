"""What a webhook says was removed or hidden on the network, applied to stored messages.

A comment its author deleted, or a moderator hid on Facebook itself, is marked so here as if it
had been done from Chorus (``services_moderation``): the message stays, with its state, so the
team's history and figures keep it; a deleted message's words leave the conversation's preview.
"""

from __future__ import annotations

import logging

from chorus.channels.base import Connection, InboxItem, WebhookNews
from chorus.channels.capabilities import ReadsMentions, capable
from chorus.channels.errors import ChannelError
from chorus.channels.models import Channel
from chorus.channels.policy import call_network
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Message
from chorus.inbox.previews import forget_deleted_text

log = logging.getLogger(__name__)


def apply_webhook_news(channel: Channel, news: WebhookNews) -> int:
    """Mark the channel's messages named by ``news``; how many changed."""
    stored = Message.objects.filter(channel=channel)
    changed = 0
    for message in stored.filter(remote_id__in=news.deleted, deleted=False):
        Message.objects.filter(pk=message.pk).update(deleted=True)
        forget_deleted_text(message)
        changed += 1
    changed += stored.filter(remote_id__in=news.hidden, hidden=False).update(hidden=True)
    changed += stored.filter(remote_id__in=news.shown, hidden=True).update(hidden=False)
    if news.mentions:
        ingest(channel, read_mentions(channel, news.mentions))
    return changed


def read_mentions(channel: Channel, mentions: tuple[tuple[str, str], ...]) -> list[InboxItem]:
    """The mentions a delivery named by ids, read from the network (a mention that cannot be
    read now is logged: the delivery was accepted, and Meta does not send it again)."""

    def read(connection: Connection) -> list[InboxItem]:
        reader = capable(connection, ReadsMentions)
        if reader is None:
            return []
        return [
            reader.mentioned_comment(comment, media) if comment else reader.mentioned_media(media)
            for comment, media in mentions
        ]

    try:
        return call_network(channel, read)
    except ChannelError as error:
        log.warning("mentions of channel %s could not be read: %s", channel.pk, error)
        return []
