"""The file a Matrix message carries (``m.image``, ``m.video``, ``m.audio``, ``m.file``).

Its address is an ``mxc://`` one, which a browser cannot open and which recent homeservers only
serve to a signed-in client (authenticated media): the inbox keeps the kind and the name, and the
message's own matrix.to link opens it in the reader's client.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import Attachment

MEDIA_MSGTYPES = {"m.image": "image", "m.video": "video", "m.audio": "audio", "m.file": "file"}


def media_of(content: dict[str, Any]) -> tuple[Attachment, ...]:
    kind = MEDIA_MSGTYPES.get(str(content.get("msgtype")))
    if kind is None:
        return ()
    # Since Matrix 1.10 a ``filename`` beside the body makes the body a caption; before, the
    # body is the file's name, which is all the description there is.
    name, body = content.get("filename"), content.get("body")
    if isinstance(name, str) and name:
        return (Attachment(kind=kind, alt_text=name),)
    return (Attachment(kind=kind, alt_text=body if isinstance(body, str) else ""),)
