"""Media for the CSV import: found in the library by name, or downloaded from an http(s) URL.

Downloads go through ``chorus.core.http`` (timeouts, user agent, test blocking), stop at a size
limit while streaming, and are checked by content, not only by the type the server claims.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from chorus.core import http as chorus_http
from chorus.publishing.models import Media

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/quicktime"}


class MediaRefused(Exception):
    """A media URL that cannot be used; the message is for the person importing."""


@dataclass
class Downloaded:
    url: str
    name: str
    mime_type: str
    data: bytes
    width: int | None = None
    height: int | None = None

    def as_media(self) -> Media:
        """An unsaved library item, for the per-network checks before anything is stored."""
        return Media(
            name=self.name,
            mime_type=self.mime_type,
            size_bytes=len(self.data),
            width=self.width,
            height=self.height,
        )


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _public_host(host: str) -> bool:
    """Refuse addresses inside the server's own network (SSRF), except in the closed test mode
    where only loopback can be reached at all."""
    if getattr(settings, "CHORUS_BLOCK_EXTERNAL_HTTP", False):
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return all(chorus_http.address_allowed(str(a)) for a in addresses)


def _read_limited(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_DOWNLOAD_BYTES:
        raise MediaRefused(_("The file is larger than 20 MB."))
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_DOWNLOAD_BYTES:
            raise MediaRefused(_("The file is larger than 20 MB."))
        chunks.append(chunk)
    return b"".join(chunks)


def _checked(url: str, claimed: str, data: bytes) -> Downloaded:
    name = urlsplit(url).path.rsplit("/", 1)[-1][:200] or "media"
    if claimed in VIDEO_TYPES:
        if data[4:8] != b"ftyp":
            raise MediaRefused(_("The file is not the video it claims to be."))
        return Downloaded(url, name, claimed, data)
    if claimed not in IMAGE_TYPES:
        raise MediaRefused(
            _("Only images (JPEG, PNG, GIF, WebP) and MP4 videos can be used, not %(type)s.")
            % {"type": claimed or "?"}
        )
    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
            width, height = image.size
            real = Image.MIME.get(image.format or "", "")
    except (UnidentifiedImageError, OSError, SyntaxError) as bad:
        raise MediaRefused(_("The file is not a readable image.")) from bad
    if real not in IMAGE_TYPES:
        raise MediaRefused(_("The file is not a readable image."))
    return Downloaded(url, name, real, data, width, height)


def download(url: str, http: httpx.Client | None = None) -> Downloaded:
    """Fetch one media URL, or raise :class:`MediaRefused` with a reason a person can act on."""
    host = urlsplit(url).hostname or ""
    if not host or not _public_host(host):
        raise MediaRefused(_("This address cannot be downloaded from."))
    own = http is None
    http = http or chorus_http.client(timeout=httpx.Timeout(20.0, connect=5.0))
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise MediaRefused(
                    _("The server answered %(status)d.") % {"status": response.status_code}
                )
            claimed = response.headers.get("content-type", "").split(";")[0].strip().lower()
            data = _read_limited(response)
    except httpx.HTTPError as failed:
        raise MediaRefused(_("The file could not be downloaded.")) from failed
    finally:
        if own:
            http.close()
    return _checked(url, claimed, data)
