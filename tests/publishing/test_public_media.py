"""Signed, expiring media addresses: what Instagram and Threads fetch, and nothing else."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.signing import TimestampSigner, b62_encode
from django.test import Client

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.channels.networks.mastodon.network import Mastodon
from chorus.publishing import connections
from chorus.publishing.models import Media
from chorus.publishing.public_media import SALT, public_media_token, public_media_url
from chorus.workspaces.models import Workspace
from tests.publishing.conftest import scheduled

pytestmark = pytest.mark.django_db

# A real PNG's first bytes, then enough to need many chunks.
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHORUS_BASE_URL = "https://chorus.example.org"


def stored(workspace: Workspace, data: bytes = PICTURE, mime: str = "image/png") -> Media:
    media = Media(workspace=workspace, name="logo.png", mime_type=mime, size_bytes=len(data))
    media.file.save("logo.png", ContentFile(data), save=True)
    return media


def path_of(media: Media) -> str:
    return public_media_url(media).removeprefix("https://chorus.example.org")


def signed_hours_ago(media: Media, hours: float) -> str:
    class SignedEarlier(TimestampSigner):
        def timestamp(self) -> str:
            return b62_encode(int(time.time() - hours * 3600))

    payload = {"m": media.pk, "f": media.file.name}
    return SignedEarlier(salt=SALT).sign_object(payload)


def test_anyone_with_the_address_gets_the_file_streamed_with_its_type(
    client: Client, workspace_a: Workspace
) -> None:
    media = stored(workspace_a, mime="image/jpeg")
    url = public_media_url(media)
    assert url.startswith("https://chorus.example.org/media/s/")
    response = client.get(path_of(media))  # not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.streaming
    chunks = list(response.streaming_content)  # type: ignore[attr-defined]
    assert len(chunks) > 1 and max(len(c) for c in chunks) < len(PICTURE)  # never read whole
    assert b"".join(chunks) == PICTURE
    assert int(response["Content-Length"]) == len(PICTURE)


def test_a_head_request_answers_without_the_body(client: Client, workspace_a: Workspace) -> None:
    response = client.head(path_of(stored(workspace_a)))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_tampered_token_is_a_404(client: Client, workspace_a: Workspace) -> None:
    media = stored(workspace_a)
    token = public_media_token(media)
    other = stored(workspace_a, b"\x89PNG other")
    # The payload of the other file with this file's signature; and a flipped last character.
    forged = public_media_token(other).rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, flipped, "nothing", token + "x"):
        assert client.get(f"/media/s/{bad}/").status_code == 404


def test_another_salt_does_not_open_media(client: Client, workspace_a: Workspace) -> None:
    """A token signed for something else of Chorus (same secret) is no media address."""
    media = stored(workspace_a)
    token = TimestampSigner(salt="chorus.other").sign_object({"m": media.pk, "f": media.file.name})
    assert client.get(f"/media/s/{token}/").status_code == 404


def test_an_address_expires_after_a_day(client: Client, workspace_a: Workspace) -> None:
    media = stored(workspace_a)
    assert client.get(f"/media/s/{signed_hours_ago(media, 23)}/").status_code == 200
    assert client.get(f"/media/s/{signed_hours_ago(media, 25)}/").status_code == 404


def test_a_deleted_or_replaced_file_is_a_404(client: Client, workspace_a: Workspace) -> None:
    media = stored(workspace_a)
    old_path = path_of(media)
    media.file.save("new.png", ContentFile(b"\x89PNG new"), save=True)
    assert client.get(old_path).status_code == 404  # the old address names the old file
    fresh = path_of(media)
    media.file.storage.delete(media.file.name)  # gone from storage, the row still there
    assert client.get(fresh).status_code == 404
    gone = stored(workspace_a)
    gone_path = path_of(gone)
    gone.delete()
    assert client.get(gone_path).status_code == 404


def test_publishing_gives_an_address_only_to_networks_that_fetch(
    monkeypatch: pytest.MonkeyPatch, client: Client, alice: User, channel_a: Channel
) -> None:
    target = scheduled(alice, channel_a, "Our new logo")
    media = stored(channel_a.workspace)
    target.media.add(media)
    (sent,) = connections.outgoing(target).media
    assert sent.public_url == ""  # Mastodon takes an upload
    monkeypatch.setattr(Mastodon, "fetches_media", True)
    (fetched,) = connections.outgoing(target).media
    assert fetched.public_url.startswith("https://chorus.example.org/media/s/")
    path = fetched.public_url.removeprefix("https://chorus.example.org")
    body = b"".join(client.get(path).streaming_content)  # type: ignore[attr-defined]
    assert body == PICTURE
