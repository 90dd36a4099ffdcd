"""A channel's own settings: its name in Chorus and how often its inbox is checked.

The polling state (``ChannelInbox``) belongs to the inbox app, which comes after channels in the
one-way order of apps; it is reached through the relation the inbox declares on ``Channel``
rather than imported, so channels does not depend on inbox.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from chorus.channels.models import Channel


def _inbox_model() -> Any:
    return cast(Any, Channel._meta.get_field("inbox")).related_model


def poll_now(channel: Channel) -> None:
    """Ask the inbox to check this channel at its next round (after a webhook stops, say)."""
    _inbox_model().objects.filter(channel=channel).update(next_poll_at=timezone.now())


def poll_every_seconds(channel: Channel) -> int:
    model = _inbox_model()
    inbox = model.objects.filter(channel=channel).first()
    if inbox is None:
        return int(model._meta.get_field("poll_every_seconds").default)
    return int(inbox.poll_every_seconds)


def update_channel_settings(channel: Channel, *, name: str, poll_seconds: int | None) -> None:
    """Rename the channel and set its polling interval (creating the inbox row if missing)."""
    with transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(name=name)
        channel.name = name
        if poll_seconds is not None:
            _set_poll_interval(channel, poll_seconds)


def _set_poll_interval(channel: Channel, seconds: int) -> None:
    inbox, _created = (
        _inbox_model()
        .objects.select_for_update()
        .get_or_create(channel=channel, defaults={"workspace": channel.workspace})
    )
    inbox.poll_every_seconds = seconds
    # A shorter interval takes effect now, not after the old, longer wait.
    soonest = timezone.now() + timedelta(seconds=seconds)
    if inbox.next_poll_at > soonest:
        inbox.next_poll_at = soonest
    inbox.save()
