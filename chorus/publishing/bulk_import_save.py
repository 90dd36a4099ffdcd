"""Saving a checked CSV import: posts, variants, queue slots and media, in one transaction.

Split from :mod:`bulk_import` (reading and checking) so each stays readable; nothing here checks
the rows again, so it is only called with rows that passed every check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from chorus.accounts.models import User
from chorus.publishing import services
from chorus.publishing.bulk_import_media import Downloaded
from chorus.publishing.models import Media, Post, PostTarget, State
from chorus.publishing.queue import SlotAllocator
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

if TYPE_CHECKING:
    from chorus.publishing.bulk_import import Row


def _queues_for(rows: list[Row]) -> dict[int, SlotAllocator]:
    """One slot allocator per queued channel, aware of the times the file itself plans."""
    queues: dict[int, SlotAllocator] = {}
    for row in rows:
        if row.queued:
            for channel in row.channels:
                if channel.pk not in queues:
                    queues[channel.pk] = SlotAllocator(channel)
    for row in rows:
        if row.when is not None:
            for channel in row.channels:
                if channel.pk in queues:
                    queues[channel.pk].take(row.when)
    return queues


def _state_for(row: Row, needs_approval: bool) -> str:
    if row.when is None and not row.queued:
        return State.DRAFT
    return State.AWAITING_APPROVAL if needs_approval else State.SCHEDULED


@transaction.atomic
def save_rows(
    workspace: Workspace, author: User, rows: list[Row], written: list[str]
) -> tuple[int, int]:
    """Everything at once: posts, their variants (queued ones into free slots), their media."""
    membership = services.membership_of(author, workspace)
    needs_approval = not can(membership, Permission.PUBLISH_WITHOUT_APPROVAL)
    posts = Post.objects.bulk_create(
        Post(workspace=workspace, author=author, text=r.text, needs_approval=needs_approval)
        for r in rows
    )
    queues = _queues_for(rows)
    targets: list[PostTarget] = []
    media_of: list[tuple[int, list[Media | Downloaded]]] = []
    for row, post in zip(rows, posts, strict=True):
        for channel in row.channels:
            when = row.when
            if row.queued:
                when = queues[channel.pk].next()
            targets.append(
                PostTarget(
                    workspace=workspace,
                    post=post,
                    channel=channel,
                    text=row.text,
                    state=_state_for(row, needs_approval),
                    scheduled_at=when,
                    due_at=when,
                )
            )
            media_of.append((len(targets) - 1, row.media))
    PostTarget.objects.bulk_create(targets)
    _attach_media(workspace, author, targets, media_of, written)
    return len(posts), len(targets)


def _attach_media(
    workspace: Workspace,
    author: User,
    targets: list[PostTarget],
    media_of: Iterable[tuple[int, list[Media | Downloaded]]],
    written: list[str],
) -> None:
    stored: dict[str, Media] = {}
    links = []
    for index, media in media_of:
        for item in media:
            if isinstance(item, Downloaded):
                if item.url not in stored:
                    stored[item.url] = _store(workspace, author, item, written)
                item = stored[item.url]
            links.append(
                PostTarget.media.through(posttarget_id=targets[index].pk, media_id=item.pk)
            )
    PostTarget.media.through.objects.bulk_create(links, ignore_conflicts=True)


def _store(workspace: Workspace, author: User, item: Downloaded, written: list[str]) -> Media:
    media = Media(
        workspace=workspace,
        name=item.name,
        mime_type=item.mime_type,
        size_bytes=len(item.data),
        width=item.width,
        height=item.height,
        uploaded_by=author,
    )
    media.file.save(item.name, ContentFile(item.data), save=False)
    written.append(media.file.name)
    media.save()
    return media


def save_or_clean_up(workspace: Workspace, author: User, rows: list[Row]) -> tuple[int, int]:
    """Files are written before their rows; if the transaction fails, they are removed again."""
    written: list[str] = []
    try:
        return save_rows(workspace, author, rows, written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
