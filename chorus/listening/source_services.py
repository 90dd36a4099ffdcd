"""The workspace's listening sources: add, change, pause, resume, delete, read now.

Views call these; polling (``chorus.listening.polling``) does the reading. A change to what a
source reads starts its cursor afresh (a new feed is not the old one read further), and a
paused source is left out of every sweep until it is resumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from chorus.channels.models import Channel, ChannelStatus
from chorus.core import background
from chorus.listening.models import ListeningSource, SourceHealth
from chorus.listening.sources.base import SourceKind
from chorus.workspaces.models import Workspace

# How often a person may ask a source to be read; the sweep never reads more often than 30 s.
POLL_CHOICES_SECONDS = (60, 300, 900, 3600)


@dataclass(frozen=True)
class SourceFields:
    name: str
    settings: dict[str, Any]
    channel: Channel | None
    poll_every_seconds: int


def sources_of(workspace: Workspace) -> QuerySet[ListeningSource]:
    return ListeningSource.objects.filter(workspace=workspace).select_related("channel")


def channels_for(workspace: Workspace, kind: type[SourceKind]) -> QuerySet[Channel]:
    """The workspace's connected accounts a kind can read with (none when it needs none)."""
    if kind.channel_network is None:
        return Channel.objects.none()
    return Channel.objects.filter(
        workspace=workspace, network=kind.channel_network, status=ChannelStatus.ACTIVE
    ).order_by("name")


def add_source(
    workspace: Workspace, kind: type[SourceKind], fields: SourceFields
) -> ListeningSource:
    return ListeningSource.objects.create(
        workspace=workspace,
        kind=kind.key,
        name=fields.name,
        settings=fields.settings,
        channel=fields.channel,
        poll_every_seconds=fields.poll_every_seconds,
        next_poll_at=timezone.now(),
    )


def change_source(source: ListeningSource, fields: SourceFields) -> ListeningSource:
    reads_elsewhere = fields.settings != source.settings or fields.channel != source.channel
    source.name = fields.name
    source.settings = fields.settings
    source.channel = fields.channel
    source.poll_every_seconds = fields.poll_every_seconds
    if reads_elsewhere:
        _start_afresh(source)
    source.save()
    return source


def _start_afresh(source: ListeningSource) -> None:
    source.cursor = {}
    source.failures = 0
    source.last_error = ""
    source.next_poll_at = timezone.now()
    if source.is_active:
        source.health = SourceHealth.OK


def pause_source(source: ListeningSource) -> None:
    ListeningSource.objects.filter(pk=source.pk).update(is_active=False, health=SourceHealth.PAUSED)


def resume_source(source: ListeningSource) -> None:
    """Back to work now, with a clean slate: the person has looked at what was wrong."""
    ListeningSource.objects.filter(pk=source.pk).update(
        is_active=True, health=SourceHealth.OK, failures=0, next_poll_at=timezone.now()
    )


def delete_source(source: ListeningSource) -> None:
    """The mentions it brought stay (their source becomes empty); queries stop naming it."""
    with transaction.atomic():
        source.delete()


def read_now(source: ListeningSource) -> None:
    """Read the source at once, in the background, as the sweep would."""
    background.later("listening", "poll_source", source.pk)
