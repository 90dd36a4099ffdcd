"""Signed, expiring addresses of stored media, for networks that fetch a file themselves.

Instagram and Threads take no upload: they take an address and fetch the picture or video from
it, a little later and perhaps twice (a retry). So publishing hands them
``CHORUS_BASE_URL/media/s/<token>/``: the token names one file and is signed with Django's
``TimestampSigner`` (the site's secret, a salt of our own), so it cannot be guessed nor changed,
and it stops working after :data:`VALID_FOR`. Anything wrong (tampered, expired, the file deleted
or replaced) gives the same 404: a stranger learns nothing about which files exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from chorus.publishing.models import Media

SALT = "chorus.publishing.public-media"
# Long enough for Meta's fetch, a retry and a post that waits for its container to be ready;
# short enough that a leaked address stops working the next day.
VALID_FOR = timedelta(hours=24)


def public_media_token(media: Media) -> str:
    """The signed token of one stored file. It carries the stored file name too, so a file
    replaced under the same id does not answer to an old address."""
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object({"m": media.pk, "f": media.file.name})


def public_media_url(media: Media) -> str:
    """Where a network may fetch ``media`` without signing in, for :data:`VALID_FOR`."""
    path = reverse("public_media", args=[public_media_token(media)])
    return f"{settings.CHORUS_BASE_URL}{path}"


def media_for_token(token: str) -> Media | None:
    """The file a valid, unexpired token names, or None (whatever the reason)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        found = signer.unsign_object(token, max_age=VALID_FOR)
    except (signing.BadSignature, ValueError, TypeError):  # expired is a BadSignature too
        return None
    if not isinstance(found, dict) or not isinstance(found.get("m"), int):
        return None
    media = Media.objects.filter(pk=found["m"]).first()
    if media is None or media.file.name != found.get("f") or not media.file.name:
        return None
    return media
