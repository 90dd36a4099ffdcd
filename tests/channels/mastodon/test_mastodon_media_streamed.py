"""Media go to the network streamed from storage, never read whole into memory."""

from __future__ import annotations

import io
from pathlib import Path

from mastodon_recordings import Recording

from chorus.channels.base import CHUNK_BYTES, MediaFile, OutgoingPost


class _Watched(io.FileIO):
    """A stored file that remembers how it was read."""

    biggest_read = 0
    opened = 0
    closed_count = 0

    def __init__(self, path: Path) -> None:
        super().__init__(path, "rb")
        type(self).opened += 1

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        type(self).biggest_read = max(type(self).biggest_read, len(chunk))
        return chunk

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        count = super().readinto(buffer)
        type(self).biggest_read = max(type(self).biggest_read, count or 0)
        return count  # type: ignore[return-value]

    def close(self) -> None:
        if not self.closed:
            type(self).closed_count += 1
        super().close()


def _stored(tmp_path: Path, size: int) -> MediaFile:
    path = tmp_path / "clip.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"x" * (size - 4))
    return MediaFile("clip.jpg", "image/jpeg", alt_text="A clip", source=lambda: _Watched(path))


def test_a_stored_file_is_read_in_chunks_and_closed(tmp_path: Path) -> None:
    media = _stored(tmp_path, 3 * CHUNK_BYTES + 5)

    pieces = list(media.chunks())

    assert media.data == b"" and media.byte_size == 3 * CHUNK_BYTES + 5
    assert [len(p) for p in pieces] == [CHUNK_BYTES] * 3 + [5]
    assert _Watched.opened == _Watched.closed_count


def test_mastodon_uploads_the_stored_file_without_reading_it_whole(tmp_path: Path) -> None:
    _Watched.biggest_read = 0
    size = 4 * 1024 * 1024
    media = _stored(tmp_path, size)
    recording = Recording.of("test_media_post_multiple.yaml")

    recording.connect().publish(
        OutgoingPost(text="LOL check this out", media=(media, media), idempotency_key="m-1")
    )

    upload = recording.requests("POST", "/api/v2/media")[0]
    assert b'filename="clip.jpg"' in upload.content and len(upload.content) > size
    assert 0 < _Watched.biggest_read < size  # httpx streamed it piece by piece
    assert _Watched.opened == _Watched.closed_count  # every stream closed after its request
