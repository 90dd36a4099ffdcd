"""The media library: adding files (checked by their content, never their name), describing,
renaming, deleting only what no post uses.

Files live in the default storage (``var/media`` or an S3-compatible bucket, see settings) under
a random name; the name a person gave is kept in ``Media.name``. They are never served from a
public URL: :func:`chorus.publishing.views.media.media_file` checks the workspace first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chorus.accounts.models import User
from chorus.publishing.models import Media, Post
from chorus.publishing.services import PublishingRuleBroken, membership_of
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MIB
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}


class MediaRejected(Exception):
    """A file the library does not take; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    width: int | None = None
    height: int | None = None


def max_bytes() -> int:
    return int(getattr(settings, "CHORUS_MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(upload: UploadedFile) -> Sniffed:
    """What the file really is, from its bytes: Pillow must decode an image, a video's header
    must say MP4, QuickTime or WebM. The extension and the browser's content type are ignored."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if video := _video_type(head):
        return Sniffed(video)
    try:
        with Image.open(upload) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()  # checks the structure (PNG checksums…)
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes every pixel: a truncated or forged JPEG fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MediaRejected(_("This is not a picture or a video Chorus can use.")) from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise MediaRejected(_("Use a JPEG, PNG, GIF or WebP picture."))
    return Sniffed(IMAGE_TYPES[kind], width, height)


def _video_type(head: bytes) -> str:
    if head[4:8] == b"ftyp":
        # ISO base media: the major brand "qt  " is QuickTime, anything else is an MP4 family.
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "video/webm"
    return ""


@transaction.atomic
def add_to_library(workspace: Workspace, by: User, upload: UploadedFile, name: str = "") -> Media:
    """Check and store one uploaded file; nothing is stored when it is refused."""
    _must_compose(workspace, by)
    size = upload.size or 0
    if size > max_bytes():
        raise MediaRejected(
            _("%(name)s weighs %(size).1f MB; the limit is %(limit).1f MB.")
            % {"name": upload.name, "size": size / MIB, "limit": max_bytes() / MIB}
        )
    if size == 0:
        raise MediaRejected(_("%(name)s is empty.") % {"name": upload.name})
    found = sniff(upload)
    media = Media(
        workspace=workspace,
        name=(name or upload.name or "")[:200],
        mime_type=found.mime_type,
        size_bytes=size,
        width=found.width,
        height=found.height,
        uploaded_by=by,
    )
    # A random stored name: the person's file name never becomes a path.
    media.file.save(f"{uuid.uuid4().hex}.{EXTENSIONS[found.mime_type]}", upload, save=False)
    media.save()
    return media


def _must_compose(workspace: Workspace, by: User) -> None:
    if not can(membership_of(by, workspace), Permission.COMPOSE):
        raise PublishingRuleBroken(_("Your role cannot change the media library."))


def library_of(workspace: Workspace) -> QuerySet[Media]:
    """The workspace's files with how many posts use each (invariant 2: scoped here)."""
    return Media.objects.filter(workspace=workspace).annotate(
        uses=Count("targets__post", distinct=True)
    )


def posts_using(media: Media) -> QuerySet[Post]:
    return Post.objects.filter(workspace=media.workspace, targets__media=media).distinct()


def describe(media: Media, by: User, name: str, alt_text: str) -> Media:
    _must_compose(media.workspace, by)
    media.name, media.alt_text = name.strip()[:200], alt_text.strip()
    media.save(update_fields=["name", "alt_text"])
    return media


def set_alt_texts(media: list[Media], alt_texts: dict[int, str]) -> None:
    """Descriptions typed in the composer belong to the library item, for every later post."""
    for item in media:
        if item.pk in alt_texts:
            item.alt_text = alt_texts[item.pk].strip()
            Media.objects.filter(pk=item.pk, workspace=item.workspace_id).update(
                alt_text=item.alt_text
            )


@transaction.atomic
def delete_media(media: Media, by: User) -> None:
    """Only a file no post uses: a scheduled post must never lose its picture."""
    _must_compose(media.workspace, by)
    if posts_using(media).exists():
        raise PublishingRuleBroken(_("This file is used by a post: remove it from the post first."))
    stored = media.file.name
    media.delete()
    # Remove the bytes only once the row is surely gone.
    transaction.on_commit(lambda: media.file.storage.delete(stored))
