"""What a webhook says was removed or hidden on the network, applied to stored messages.

A comment its author deleted, or a moderator hid on Facebook itself, is marked so here as if it
had been done from Chorus (``services_moderation``): the message stays, with its state, so the
team's history and figures keep it; a deleted message's words leave the conversation's preview.
"""

from __future__ import annotations

from chorus.channels.base import WebhookNews
from chorus.channels.channel_settings import poll_now
from chorus.channels.models import Channel
from chorus.inbox.models import Message
from chorus.inbox.previews import forget_deleted_text


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
    if news.poll_soon:  # news the delivery does not carry whole: the next poll reads it
        poll_now(channel)
    return changed
