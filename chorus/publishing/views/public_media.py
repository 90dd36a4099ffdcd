"""One stored file at a signed, expiring address, for a network that fetches it itself."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from chorus.publishing.public_media import media_for_token


@require_safe  # GET and HEAD: Meta may look before it fetches
def public_media(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the signature is the permission. Every refusal is the same 404."""
    media = media_for_token(token)
    if media is None:
        raise Http404
    try:
        stream = media.file.storage.open(media.file.name, "rb")
    except OSError:  # the row is there but the file is gone from storage
        raise Http404 from None
    response = FileResponse(stream, content_type=media.mime_type)  # streamed, never read whole
    # The address is valid for a day: let the network cache it, but not shared caches.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Robots-Tag"] = "noindex"
    return response  # type: ignore[return-value]
