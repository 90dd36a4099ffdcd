"""The media library: real pictures in, fakes out, files only for members, delete rules."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import Media
from chorus.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db
LIBRARY = "/publishing/media/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(name: str, kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def upload(client: Client, *files: SimpleUploadedFile) -> object:
    return client.post(LIBRARY, {"files": list(files)}, follow=True)


def test_real_png_and_jpeg_go_in_with_their_true_type_and_size(
    alice_client: Client, workspace_a: Workspace
) -> None:
    # The JPEG is named .png on purpose: the bytes decide, not the name.
    page = upload(alice_client, picture("logo.png"), picture("photo.png", "JPEG", (120, 80)))
    assert "2 files added." in page.content.decode()  # type: ignore[attr-defined]
    found = {m.name: (m.mime_type, m.width, m.height) for m in Media.objects.all()}
    assert found == {"logo.png": ("image/png", 64, 48), "photo.png": ("image/jpeg", 120, 80)}
    stored = Media.objects.get(name="photo.png")
    assert stored.workspace == workspace_a and stored.file.name.endswith(".jpg")
    assert "photo" not in stored.file.name  # a random stored name, never the person's


def test_a_fake_image_is_refused_and_nothing_is_stored(alice_client: Client) -> None:
    fake = SimpleUploadedFile("cat.png", b"<svg onload=alert(1)>", content_type="image/png")
    truncated_bytes = picture("x.jpg", "JPEG", (300, 300)).read()[:600]
    truncated = SimpleUploadedFile("half.jpg", truncated_bytes, content_type="image/jpeg")
    page = upload(alice_client, fake, truncated).content.decode()  # type: ignore[attr-defined]
    assert "cat.png: This is not a picture or a video Chorus can use." in page
    assert "half.jpg: This is not a picture or a video Chorus can use." in page
    assert not Media.objects.exists()


def test_videos_are_recognised_by_their_header(alice_client: Client) -> None:
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
    mov = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 200
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200
    upload(
        alice_client,
        SimpleUploadedFile("a.bin", mp4),
        SimpleUploadedFile("b.bin", mov),
        SimpleUploadedFile("c.mp4", webm),
    )
    kinds = dict(Media.objects.values_list("name", "mime_type"))
    assert kinds == {"a.bin": "video/mp4", "b.bin": "video/quicktime", "c.mp4": "video/webm"}


def test_the_size_limit_comes_from_settings(alice_client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_MEDIA_MAX_BYTES = 100
    page = upload(alice_client, picture("big.png", size=(200, 200))).content.decode()  # type: ignore[attr-defined]
    assert "the limit is 0.0 MB" in page
    assert not Media.objects.exists()


def test_files_are_served_only_to_members(
    alice_client: Client, bob_client: Client, charlie_client: Client
) -> None:
    upload(alice_client, picture("logo.png"))
    item = Media.objects.get()
    url = f"/publishing/media/{item.pk}/file/"
    response = bob_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert charlie_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
    assert charlie_client.get(f"/publishing/media/{item.pk}/").status_code == 404
    assert charlie_client.post(f"/publishing/media/{item.pk}/delete/").status_code == 404
    assert "logo.png" not in charlie_client.get(LIBRARY).content.decode()
    assert Media.objects.exists()


def test_name_and_description_are_edited_in_place(alice_client: Client) -> None:
    upload(alice_client, picture("IMG_0042.png"))
    item = Media.objects.get()
    alice_client.post(
        f"/publishing/media/{item.pk}/", {"name": "Spring ride", "alt_text": "Riders on a bridge"}
    )
    item.refresh_from_db()
    assert (item.name, item.alt_text) == ("Spring ride", "Riders on a bridge")


def test_a_file_in_use_cannot_be_deleted_then_can_once_unused(  # type: ignore[no-untyped-def]
    alice: User,
    alice_client: Client,
    workspace_a: Workspace,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    upload(alice_client, picture("logo.png"))
    item = Media.objects.get()
    stored = Path(settings.MEDIA_ROOT) / item.file.name
    channel = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="M", remote_id="1"
    )
    post = services.create_post(workspace_a, alice, "With logo", [channel], media=[item])
    page = alice_client.get(LIBRARY).content.decode()
    assert "Used in 1 post" in page

    refused = alice_client.post(f"/publishing/media/{item.pk}/delete/", follow=True)
    assert "used by a post" in refused.content.decode()
    assert Media.objects.exists() and stored.exists()

    post.delete()
    with django_capture_on_commit_callbacks(execute=True):  # the bytes go once the row is gone
        alice_client.post(f"/publishing/media/{item.pk}/delete/")
    assert not Media.objects.exists() and not stored.exists()


def test_an_analyst_sees_the_library_but_cannot_change_it(
    alice_client: Client, bob: User, bob_client: Client
) -> None:
    upload(alice_client, picture("logo.png"))
    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    item = Media.objects.get()
    assert bob_client.get(LIBRARY).status_code == 200
    assert bob_client.post(f"/publishing/media/{item.pk}/delete/").status_code == 403
    upload(bob_client, picture("other.png"))
    assert Media.objects.count() == 1


def test_upload_from_the_composer_lands_in_the_library_and_is_chosen(
    alice_client: Client, workspace_a: Workspace
) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="B", remote_id="b"
    )
    page = alice_client.post(
        "/publishing/compose/",
        {
            "text": "Look",
            "channels": [channel.pk],
            "uploads": [picture("new.png")],
            "action": "upload",
        },
    ).content.decode()
    item = Media.objects.get()
    assert f'name="chosen_media" value="{item.pk}" checked' in page
    assert "has no description for people who cannot see it" in page  # the warning, live
